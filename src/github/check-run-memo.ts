/** Lockstep's run on a sha, and how many annotations it already carries (GitHub appends them on each update). */
export type KnownRun = { id: number; annotations?: number };

/**
 * Remembers, per process, the `Lockstep` run Lockstep wrote for a repo and sha, so a
 * redelivered or concurrent event for a sha GitHub just saw updates that run instead of adding a
 * second one, without a lookup. Bounded: the oldest entries go first.
 */
export type CheckRunMemo = {
  get(repo: string, sha: string): KnownRun | undefined;
  set(repo: string, sha: string, run: KnownRun): void;
};

export function checkRunMemo(max = 5000): CheckRunMemo {
  const ids = new Map<string, KnownRun>();
  return {
    get: (repo, sha) => ids.get(`${repo}@${sha}`),
    set(repo, sha, run) {
      const key = `${repo}@${sha}`;
      ids.delete(key);
      ids.set(key, run);
      if (ids.size > max) ids.delete(ids.keys().next().value!);
    },
  };
}
