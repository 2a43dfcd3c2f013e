import { describe, expect, it } from "vitest";
import { validateRequest } from "../helpers/openapi.js";

describe("validateRequest (the OpenAPI guard every app test relies on)", () => {
  it("accepts valid requests, GHE paths included", () => {
    expect(validateRequest("POST", "https://api.github.com/repos/o/r/check-runs", { name: "Lockstep", head_sha: "abc", status: "completed", conclusion: "neutral", output: { title: "t", summary: "s" } })).toEqual([]);
    expect(validateRequest("GET", "http://127.0.0.1:9/api/v3/repos/o/r/contents/.github%2Fcompliance.yml?ref=main", undefined)).toEqual([]);
    expect(validateRequest("GET", "https://api.github.com/repos/o/r/pulls/7/files?per_page=100&page=2", undefined)).toEqual([]);
  });

  it.each([
    ["an unknown path", "GET", "https://api.github.com/repos/o/r/pullz/7", undefined, /no such operation/],
    ["a wrong method", "PUT", "https://api.github.com/repos/o/r/check-runs", {}, /no such operation/],
    ["an undeclared query parameter", "GET", "https://api.github.com/repos/o/r/pulls/7/files?perpage=100", undefined, /undeclared query parameter "perpage"/],
    ["a missing required body field", "POST", "https://api.github.com/repos/o/r/check-runs", { name: "x" }, /required property 'head_sha'/],
    ["a bad enum value", "PATCH", "https://api.github.com/repos/o/r/check-runs/5", { conclusion: "passed" }, /allowed values/],
    ["a wrong nested type", "POST", "https://api.github.com/repos/o/r/pulls/7/requested_reviewers", { reviewers: "alice" }, /body\/reviewers must be array/],
    ["a body where none is taken", "GET", "https://api.github.com/repos/o/r/pulls/7", { x: 1 }, /takes no JSON body/],
  ])("rejects %s", (_name, method, url, body, message) => {
    expect(validateRequest(method, url, body).join("\n")).toMatch(message);
  });
});
