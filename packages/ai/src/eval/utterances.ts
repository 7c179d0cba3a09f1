/** One labelled utterance. */
export type LabelledUtterance = { text: string; wants_human: boolean };

/** Parses a JSONL file of {@link LabelledUtterance}s; blank lines are skipped, bad lines throw. */
export function parseUtterances(jsonl: string): LabelledUtterance[] {
  return jsonl
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const v = JSON.parse(line) as Partial<LabelledUtterance>;
      if (typeof v.text !== 'string' || typeof v.wants_human !== 'boolean') {
        throw new Error(`line ${i + 1}: expected {"text": string, "wants_human": boolean}`);
      }
      return { text: v.text, wants_human: v.wants_human };
    });
}
