import { hasStatus, type RepoClient } from "./repo-client.js";

/** Reads a file's text at `ref` (default: the default branch) of this repository; `undefined` when it does not exist (404). */
export async function readFile(gh: RepoClient, path: string, ref?: string): Promise<string | undefined> {
  try {
    const { data } = await gh.octokit.rest.repos.getContent({ owner: gh.owner, repo: gh.repo, path, ...(ref ? { ref } : {}), mediaType: { format: "raw" } });
    return asText(data);
  } catch (error) {
    if (hasStatus(error, 404)) return undefined;
    throw error;
  }
}

/** The raw media type yields a string, or an ArrayBuffer when the server sends no charset. */
export function asText(data: unknown): string {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  throw new Error("expected the raw text of a file, got a directory or structured content");
}
