/** One sentence of a text and where it lies in it. */
export type SentencePiece = { start: number; end: number; text: string };

const ENDS = new Set(['.', '!', '?', '…']);

/**
 * The sentences of a text with their offsets, trimmed, empty ones left out: a sentence ends at a line
 * break, or after ".", "!", "?" or "…" followed by a space or the end, so "mail.ru", "5.2.1" and
 * "14.30" stay inside their sentence. What the search text ({@link searchableText}) and the
 * sentence-by-sentence reading of a request for a person split a message into. One pass, by hand: a
 * regular expression for it backtracked over long runs of dots.
 */
export function sentencePieces(text: string): SentencePiece[] {
  const out: SentencePiece[] = [];
  const push = (from: number, to: number): void => {
    const raw = text.slice(from, to);
    const trimmed = raw.trim();
    if (trimmed === '' || [...trimmed].every((ch) => ENDS.has(ch))) return;
    const start = from + (raw.length - raw.trimStart().length);
    out.push({ start, end: start + trimmed.length, text: trimmed });
  };
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\n') {
      push(start, i);
      start = i + 1;
    } else if (ENDS.has(ch)) {
      let j = i + 1;
      while (j < text.length && ENDS.has(text[j] as string)) j++;
      if (j === text.length || /\s/.test(text[j] as string)) {
        push(start, j);
        start = j;
      }
      i = j - 1;
    }
  }
  push(start, text.length);
  return out;
}
