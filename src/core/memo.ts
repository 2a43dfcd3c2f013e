/** How many answers a memo keeps before it starts again (a bound for long-running apps). */
const MEMO_SIZE = 10_000;

/**
 * `compute` remembered by its first argument: the other arguments only help compute an answer
 * not known yet (a value the caller already has), never change it. Past MEMO_SIZE answers the
 * memo forgets them all at once.
 */
export function memoize<K, V, A extends unknown[]>(compute: (key: K, ...rest: A) => V): (key: K, ...rest: A) => V {
  const answers = new Map<K, V>();
  return (key, ...rest) => {
    if (answers.has(key)) return answers.get(key) as V;
    const answer = compute(key, ...rest);
    if (answers.size >= MEMO_SIZE) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}
