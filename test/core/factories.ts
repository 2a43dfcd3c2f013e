import { DEFAULT_CONFIG } from "../../src/core/config.js";
import type { ChangedFile, Checklist, RepoConfig, Trigger } from "../../src/types.js";

/** A minimal valid checklist; override what the test is about. */
export function makeChecklist(overrides: Partial<Checklist> & { triggers?: Trigger[] } = {}): Checklist {
  return {
    id: "test-list",
    title: "Test list",
    summary: "A checklist for tests.",
    references: ["Test Ref"],
    reviewers: "counsel",
    triggers: [{ paths: ["**/*.rb"], risk: "medium" }],
    exclude: [],
    items: [{ id: "look", text: "Look at it", owner: "counsel" }],
    examples: { fire: [], quiet: [] },
    source: "test-list.yml",
    ...overrides,
  };
}

export function makeConfig(overrides: Partial<RepoConfig> = {}): RepoConfig {
  return { ...structuredClone(DEFAULT_CONFIG), ...overrides };
}

/** A changed file whose patch adds `added` (and removes `removed`) starting at line `start`. */
export function makeFile(filename: string, added: string[] = [], options: Partial<ChangedFile> & { removed?: string[]; start?: number } = {}): ChangedFile {
  const { removed = [], start = 1, ...rest } = options;
  const patch = `@@ -${start},${removed.length} +${start},${added.length} @@\n${[...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`)].join("\n")}`;
  return { filename, status: "modified", patch, additions: added.length, deletions: removed.length, ...rest };
}
