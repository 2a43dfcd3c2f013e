/**
 * Remembers, per process, the id of the `Lockstep` run Lockstep created for a repo and sha, so a
 * redelivered or concurrent event for a sha GitHub just saw updates that run instead of adding a
 * second one, without a lookup. Bounded: the oldest entries go first.
 */
export type CheckRunMemo = {
  get(repo: string, sha: string): number | undefined;
  set(repo: string, sha: string, id: number): void;
};

export function checkRunMemo(max = 5000): CheckRunMemo {
  const ids = new Map<string, number>();
  return {
    get: (repo, sha) => ids.get(`${repo}@${sha}`),
    set(repo, sha, id) {
      const key = `${repo}@${sha}`;
      ids.delete(key);
      ids.set(key, id);
      if (ids.size > max) ids.delete(ids.keys().next().value!);
    },
  };
}
