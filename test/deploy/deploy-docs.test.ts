import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const doc = readFileSync(new URL("../../docs/deploy.md", import.meta.url), "utf8");

describe("docs/deploy.md", () => {
  it.each(["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "PORT", "HOST", "LOG_LEVEL", "LOG_FORMAT", "GHE_HOST", "GHE_PROTOCOL", "REDIS_URL", "LOCKSTEP_STATE_KEY", "NODE_ENV"])(
    "documents %s in the environment reference",
    (name) => expect(doc).toMatch(new RegExp(`^\\| \`${name}\` \\| [^|]+ \\| .{20,} \\|$`, "m")),
  );

  it("has the three guides", () => {
    for (const heading of ["## A plain Node host (systemd)", "## A container platform", "## Serverless (AWS Lambda)"]) expect(doc).toContain(heading);
  });
});
