/** A task-list line carrying a hidden item id: `- [x] <!-- item:<checklist>/<item> --> text`. */
const ITEM = /^\s*[-*] \[( |x|X)\] <!-- item:([a-z0-9-]+)\/([a-z0-9-]+) -->/gm;

export type ItemKey = `${string}/${string}`;

/** The checkbox state of every item line in a comment body, keyed `checklist/item`. */
export function readCheckboxes(body: string): Map<ItemKey, boolean> {
  const out = new Map<ItemKey, boolean>();
  for (const m of body.matchAll(ITEM)) out.set(`${m[2]}/${m[3]}`, m[1] !== " ");
  return out;
}

/**
 * The items whose box changed between two versions of the comment. Lines that were added,
 * removed or reworded by hand are not changes: only a flipped box of an item present in both is.
 */
export function checkboxChanges(before: string, after: string): { checklist: string; item: string; checked: boolean }[] {
  const a = readCheckboxes(before);
  const b = readCheckboxes(after);
  const out: { checklist: string; item: string; checked: boolean }[] = [];
  for (const [key, checked] of b) {
    const was = a.get(key);
    if (was === undefined || was === checked) continue;
    const [checklist, item] = key.split("/") as [string, string];
    out.push({ checklist, item, checked });
  }
  return out.sort((x, y) => `${x.checklist}/${x.item}`.localeCompare(`${y.checklist}/${y.item}`));
}
