import { contentStems } from '../text-tokens';

/** A sentence of a generated answer that its cited passages do not support, and why. */
export type UnsupportedSentence = {
  sentence: string;
  reason: 'low_overlap' | 'number_not_in_passages' | 'bad_citation';
};

/** The verdict of {@link checkGrounding}. */
export type GroundingResult = {
  /** True when the answer cites at least one passage and every checked sentence is supported. */
  grounded: boolean;
  /** Passage numbers (1-based) the answer cites, ascending. */
  citedPassages: number[];
  unsupported: UnsupportedSentence[];
};

/** Share of a sentence's content words that must occur in its cited passages. */
export const GROUNDING_OVERLAP = 0.5;

const MARKER = /\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;
const NUMBER = /\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)?/g;
/** Courtesy sentences an answer may carry without a source. */
const BOILERPLATE =
  /^(надеюсь|рады помочь|обращайтесь|если (у вас )?(остались|появятся|будут) вопросы|hope this helps|let me know|feel free|if you have (any )?(more|other|further) questions|сподіваюся|звертайтеся)/i;

function normaliseNumber(n: string): string {
  return n.replace(/[ \u00a0]/g, '').replace(',', '.');
}

function numbersOf(text: string): Set<string> {
  return new Set((text.replace(MARKER, ' ').match(NUMBER) ?? []).map(normaliseNumber));
}

function markersOf(sentence: string): number[] {
  const out: number[] = [];
  for (const m of sentence.matchAll(MARKER)) {
    for (const n of (m[1] ?? '').split(/[,;]/)) out.push(Number(n.trim()));
  }
  return out;
}

/** Splits an answer into paragraphs of sentences; a citation marker stays with the sentence before it. */
export function splitSentences(text: string): string[][] {
  return text
    .split(/\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)/)
    .map((p) =>
      p
        .replace(/\n/g, ' ')
        .split(/(?<=[.!?…])(?:\s*(?:\[\d+(?:\s*[,;]\s*\d+)*\])+)?\s+(?=[\p{Lu}\p{N}«"(])/u)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )
    .filter((p) => p.length > 0);
}

/**
 * Checks that a generated answer says only what the retrieved passages say. Every sentence is checked
 * against the passages it cites as `[n]` (or, without its own marker, those of the next sentence in its
 * paragraph, else all passages the answer cites): at least {@link GROUNDING_OVERLAP} of its content
 * words (stemmed) must occur there, and every number or price in it must occur there too. Sentences
 * with fewer than two content words and no numbers, and courtesy phrases, are not checked. An answer
 * that cites nothing, or cites a passage that does not exist, is not grounded.
 *
 * `passages` are the passage texts in prompt order: `passages[0]` is `[1]`.
 */
export function checkGrounding(answerText: string, passages: string[]): GroundingResult {
  // The splitter keeps markers that follow a full stop attached to the previous sentence.
  const paragraphs = splitSentences(answerText.replace(/([.!?…])\s*((?:\[\d+(?:\s*[,;]\s*\d+)*\]\s*)+)/g, '$2$1 '));
  const all = paragraphs.flat();
  const cited = [...new Set(all.flatMap(markersOf))].sort((a, b) => a - b);
  const unsupported: UnsupportedSentence[] = [];
  const passageStems = passages.map((p) => new Set(contentStems(p)));
  const passageNumbers = passages.map(numbersOf);

  for (const paragraph of paragraphs) {
    // A sentence without a marker is read against the next marked sentence of its paragraph (the
    // usual "claim. claim [1]." shape): found in one backward pass, not by rescanning the rest.
    const markers = paragraph.map(markersOf);
    const nextMarked: Array<number[] | undefined> = new Array<number[] | undefined>(paragraph.length);
    let next: number[] | undefined;
    for (let j = paragraph.length - 1; j >= 0; j -= 1) {
      nextMarked[j] = next;
      if (markers[j]!.length > 0) next = markers[j];
    }
    paragraph.forEach((sentence, i) => {
      let refs = markers[i]!;
      if (refs.some((n) => !Number.isInteger(n) || n < 1 || n > passages.length)) {
        unsupported.push({ sentence, reason: 'bad_citation' });
        return;
      }
      if (refs.length === 0) refs = nextMarked[i] ?? cited;
      refs = refs.filter((n) => n >= 1 && n <= passages.length);
      const body = sentence.replace(MARKER, ' ');
      const stems = [...new Set(contentStems(body).filter((s) => !/^\d/.test(s)))];
      const numbers = [...numbersOf(body)];
      if ((stems.length < 2 && numbers.length === 0) || BOILERPLATE.test(body.trim())) return;
      const supportStems = new Set(refs.flatMap((n) => [...(passageStems[n - 1] ?? [])]));
      const supportNumbers = new Set(refs.flatMap((n) => [...(passageNumbers[n - 1] ?? [])]));
      if (numbers.some((x) => !supportNumbers.has(x))) {
        unsupported.push({ sentence, reason: 'number_not_in_passages' });
        return;
      }
      const found = stems.filter((s) => supportStems.has(s)).length;
      if (stems.length > 0 && found / stems.length < GROUNDING_OVERLAP) unsupported.push({ sentence, reason: 'low_overlap' });
    });
  }
  const validCited = cited.filter((n) => n >= 1 && n <= passages.length);
  return { grounded: validCited.length > 0 && unsupported.length === 0, citedPassages: validCited, unsupported };
}
