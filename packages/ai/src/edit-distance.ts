/**
 * Optimal-string-alignment (Damerau–Levenshtein) distance: insertions, deletions, substitutions and
 * swaps of two neighbouring letters each cost one. Stops early and returns `max + 1` once the
 * distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Three rolling rows (the swap looks two rows back) instead of the whole matrix: no allocation
  // per cell and O(|b|) memory.
  let older = new Uint32Array(b.length + 1);
  let prev = new Uint32Array(b.length + 1);
  let row = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (older[j - 2] as number) + 1);
      row[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const spare = older;
    older = prev;
    prev = row;
    row = spare;
  }
  return prev[b.length] as number;
}

/** How many typos a word of this length may carry and still count as the word: 0, 1 or 2. */
export function typoBudget(length: number): number {
  if (length >= 8) return 2;
  if (length >= 5) return 1;
  return 0;
}

/** True when `word` is `target` with at most the typos its length allows. */
export function isFuzzyMatch(word: string, target: string): boolean {
  const budget = typoBudget(target.length);
  return editDistance(word, target, budget) <= budget;
}
