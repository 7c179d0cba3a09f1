import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseUtterances, type LabelledUtterance } from './utterances';

/**
 * The labelled sets operator-request detection is measured on, and which of them may be tuned on.
 *
 * - `tuned`: rules and model were developed against these; their figures say little about unseen text.
 * - `holdout`: never read while developing; each is run once, at the end, and that first figure is
 *   the one reported.
 *
 * The public kit's sets are built outside the repository (their licences do not allow committing
 * them) into a folder given by `--devsets` (default `.devsets` at the repository root); a missing
 * kit file is reported, not an error. The Russian kit set is split in two by a hash of the text,
 * so the split is fixed and independent of file order.
 */
export type HandoffSetSpec = {
  name: string;
  role: 'tuned' | 'holdout';
  /**
   * `committed`: `packages/ai/eval`; `kit`: the devsets folder; `kit-questions`: a retrieval set's
   * `queries.jsonl` in the devsets folder, each query a question its knowledge base answers (no one
   * asking for a person): what a false hand-off costs on ordinary traffic.
   */
  from: 'committed' | 'kit' | 'kit-questions';
  file: string;
  /** For a split kit file: which half. */
  half?: 'tune' | 'holdout';
};

export const HANDOFF_SETS: HandoffSetSpec[] = [
  { name: 'own dev', role: 'tuned', from: 'committed', file: 'handoff-utterances.jsonl' },
  { name: 'own holdout', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout.jsonl' },
  { name: 'own holdout2', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout2.jsonl' },
  // Run once before (see README); listed for completeness, no longer unseen.
  { name: 'own holdout3', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout3.jsonl' },
  { name: 'kit handoff_en_train (HINT3 train)', role: 'tuned', from: 'kit', file: 'handoff_en_train.jsonl' },
  { name: 'kit handoff_ru, tune half', role: 'tuned', from: 'kit', file: 'handoff_ru.jsonl', half: 'tune' },
  { name: 'kit handoff_ru, held-out half', role: 'holdout', from: 'kit', file: 'handoff_ru.jsonl', half: 'holdout' },
  { name: 'kit handoff_en (HINT3 test)', role: 'holdout', from: 'kit', file: 'handoff_en.jsonl' },
  // Written without sight of the detector, after the fourth round of rules. Its first run (hand-off
  // P 0.967 / R 0.806) is in the README; the round after it was tuned on it, so it is no longer unseen.
  { name: 'own holdout4', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout4.jsonl' },
  // Written without sight of the detector or the earlier sets, after the fifth round. Its first run
  // (hand-off P 0.974 / R 0.844) is in the README; later rounds may tune on it.
  { name: 'own holdout5', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout5.jsonl' },
  // Written without sight of the detector or the earlier sets, after the sixth round. First run
  // (hand-off P 0.974 / R 0.838; with the model retrained then, 0.983 / 0.853) in the README.
  { name: 'own holdout6', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout6.jsonl' },
  // Written without sight of the detector or the earlier sets, after the seventh round (more indirect
  // phrasings by request). First run (hand-off P 0.973 / R 0.788) in the README.
  { name: 'own holdout7', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout7.jsonl' },
  // Written without sight of the detector or the earlier sets, after the eighth round. First run
  // (hand-off P 1.000 / R 0.891) in the README; tuned on since.
  { name: 'own holdout8', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout8.jsonl' },
  // Written without sight of the detector or the earlier sets, after the ninth round. First run
  // (hand-off P 1.000 / R 0.800) in the README; listed as tuned because it is committed and now seen,
  // though no rule has been changed for it.
  { name: 'own holdout9', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout9.jsonl' },
  // Written without sight of the detector or the earlier sets, after the ninth round, and run once
  // with the committed detector (hand-off P 0.948 / R 0.807) and once with the model retrained on
  // the first synthetic sets (P 0.953 / R 0.896; README). Learnt from since the second retraining.
  { name: 'own holdout10', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout10.jsonl' },
  // Written like the tenth. First runs: the model retrained on the first synthetic sets P 0.946 /
  // R 0.891 (the model before it, 0.942 / 0.825), then the model retrained again with two more
  // synthetic sets and holdout10: 0.947 / 0.905 (README). Learnt from since the third retraining.
  { name: 'own holdout11', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout11.jsonl' },
  // Written like the tenth. First runs: the model before the synthetic sets P 0.971 / R 0.748, the
  // second retrained model 0.975 / 0.867, the third (two more synthetic sets and holdout11, threshold
  // chosen on holdout11) 0.976 / 0.904 (README). The `talk-with` rule was written after its misses,
  // and the fourth retraining's threshold chosen on it; learnt from since.
  { name: 'own holdout12', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout12.jsonl' },
  // Written like the tenth. First runs: the third retrained model with the rules of commit c85f056
  // P 0.967 / R 0.859, then with the `talk-with` rule 0.967 / 0.874, and the fourth retrained model
  // with it 0.967 / 0.874 (README). The fifth retraining's settings were chosen on it; learnt from since.
  { name: 'own holdout13', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout13.jsonl' },
  // Written like the tenth. First runs: the model before the synthetic sets with today's rules P 0.958
  // / R 0.846, the fourth retrained model 0.962 / 0.926, the fifth (50,000 features, l2 3e-6,
  // threshold 0.93) 0.962 / 0.934 (README). Word-order features were compared on it; learnt from since
  // the sixth retraining.
  { name: 'own holdout14', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout14.jsonl' },
  // Written like the tenth. First runs: the model before the synthetic sets with today's rules P 0.927
  // / R 0.756, the fifth retrained model 0.939 / 0.904 (README). The sixth retraining's threshold was
  // chosen on it; learnt from since.
  { name: 'own holdout15', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout15.jsonl' },
  // Written like the tenth, with more common businesses and short shopping requests among the
  // questions. First runs: the model before the synthetic sets with today's rules P 0.952 / R 0.868,
  // the fifth retrained model 0.949 / 0.956, the sixth 0.956 / 0.956 (README). Learnt from by the
  // seventh (with holdouts 17-19).
  { name: 'own holdout16', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout16.jsonl' },
  // Written from the label guide alone by a writer who saw neither the detector nor any other set,
  // mostly indirect requests across many businesses. Run once, after the detector was final: the
  // shipped detector P 0.932 / R 0.919 (operator requests alone 0.984 / 0.904); the model before the
  // synthetic sets, swapped in, 0.925 / 0.822. 12 of its lines equal lines of earlier sets (common
  // phrasings); without them 0.931 / 0.917. Nothing tuned on it; learnt from by the seventh model.
  { name: 'own holdout17', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout17.jsonl' },
  // E-mail-shaped (240 letters, median 521 characters, a third with a quoted earlier message; the
  // chat-shaped sets above have medians of 30–70). First run, the detector of holdout17: P 0.869 /
  // R 0.861. Its misses led to reading long messages sentence by sentence, dropping signature blocks
  // and reading "чтобы … позвонил" as a wish: tuned on since.
  { name: 'own holdout18 (e-mail)', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout18.jsonl' },
  // A second e-mail-shaped set (240 letters, median 442 characters), written while the round on
  // holdout18 was made and run once after it: P 0.830 / R 0.853 (the detector before that round
  // 0.820 / 0.752). Learnt from by the model since.
  { name: 'own holdout19 (e-mail)', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout19.jsonl' },
  // A third e-mail-shaped set (240, median 419 characters; a quarter quote the company's offer of a
  // call that the customer accepts or declines), written meanwhile and run once per detector, its
  // errors unread: P 0.840 / R 0.785 with the letter round, 0.838 / 0.776 after that round's review
  // (the detector before the round 0.844 / 0.710); 0.859 / 0.794 with the model retrained on holdouts
  // 16-19, which never saw it; 0.904 / 0.794 with the letter vetoes and 0.908 / 0.832 with the model
  // deciding letters the rules set aside whole (chosen with its figures in view). Learnt from by the
  // model of the second letter round.
  { name: 'own holdout20 (e-mail)', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout20.jsonl' },
  // Two more e-mail-shaped sets (240 letters each, medians 425 and 419 characters, a third quoting
  // an earlier message; twelve businesses each, none shared with each other or earlier sets), written
  // from the label guide alone by writers who saw neither the detector nor any set. First runs with
  // the detector of the session before: P 0.860 / R 0.907 and 0.953 / 0.927; after the letter
  // vetoes 0.876 / 0.917 and 0.953 / 0.936. The model of the second letter round was chosen among
  // four with them in view (0.897 / 0.963 and 0.954 / 0.945); their errors unread.
  { name: 'own holdout21 (e-mail)', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout21.jsonl' },
  { name: 'own holdout22 (e-mail)', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout22.jsonl' },
  // Chat lines again (300, twelve businesses none of the earlier sets had), written from the label
  // guide alone by a writer who saw neither the detector nor any set, after the letter round. First
  // run, the detector of the round: P 0.928 / R 0.963 (operator requests alone 0.970 / 0.963); the
  // model of the second letter round, chosen with it in view: 0.929 / 0.970.
  { name: 'own holdout23', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout23.jsonl' },
  // Written after the second letter round was final, from the label guide alone, by writers who saw
  // neither the detector nor any set: letters (240, median 409 characters) and chat lines (300),
  // twelve businesses each that no earlier set had. Run once with the shipped detector and once with
  // the detector of the session before the letter rounds' second; nothing chosen on them.
  { name: 'own holdout24 (e-mail)', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout24.jsonl' },
  { name: 'own holdout25', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout25.jsonl' },
  // Written while the third round (rules on the misses of holdouts 9-25, the model retrained on
  // holdouts 21-25 and two new training sets) was made, from the label guide alone, by writers who saw
  // neither the detector nor any set; run once when the round was final, errors unread: chat lines
  // (holdouts 26 and 28, 300 each) and letters (27 and 29, 240 each), twelve businesses each that no
  // earlier set had. Nothing chosen on them.
  { name: 'own holdout26', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout26.jsonl' },
  { name: 'own holdout27 (e-mail)', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout27.jsonl' },
  { name: 'own holdout28', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout28.jsonl' },
  { name: 'own holdout29 (e-mail)', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout29.jsonl' },
  // Two more chat-line sets (300 each, twelve businesses each that no earlier set had), written from
  // the label guide alone while the rules were changed on the misses of holdouts 26-29, and run once
  // when that was final; errors unread, nothing chosen on them.
  { name: 'own holdout30', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout30.jsonl' },
  { name: 'own holdout31', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout31.jsonl' },
  // Written while the round on holdouts 30-31 was made, from the label guide alone: chat lines (300)
  // and letters (240), twelve businesses each that no earlier set had; run once when that round was
  // final, errors unread, nothing chosen on them.
  { name: 'own holdout32', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout32.jsonl' },
  { name: 'own holdout33 (e-mail)', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout33.jsonl' },
  // Written while the round on holdouts 32-33 was made, from the label guide alone: chat lines (300)
  // and letters (240), twelve businesses each that no earlier set had; run once when that round was
  // final, errors unread, nothing chosen on them.
  { name: 'own holdout34', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout34.jsonl' },
  { name: 'own holdout35 (e-mail)', role: 'tuned', from: 'committed', file: 'handoff-utterances-holdout35.jsonl' },
  // Real questions to real knowledge bases: any hand-off among them is a false alarm. Their false
  // alarms were read once (after the fifth round) and fixed by word class, so they count as tuned.
  { name: 'kit en_covid questions', role: 'tuned', from: 'kit-questions', file: 'en_covid/queries.jsonl' },
  { name: 'kit en_stackfaq questions', role: 'tuned', from: 'kit-questions', file: 'en_stackfaq/queries.jsonl' },
  { name: 'kit ru_aitk questions', role: 'tuned', from: 'kit-questions', file: 'ru_aitk/queries.jsonl' },
  { name: 'kit ru_school questions', role: 'tuned', from: 'kit-questions', file: 'ru_school/queries.jsonl' },
  { name: 'kit ru_vtb questions', role: 'tuned', from: 'kit-questions', file: 'ru_vtb/queries.jsonl' },
];

/** The half of a split set a text belongs to: the parity of the first byte of its SHA-1. */
export function halfOf(text: string): 'tune' | 'holdout' {
  return (createHash('sha1').update(text).digest()[0] as number) % 2 === 0 ? 'tune' : 'holdout';
}

/** The committed sets' folder. */
export const COMMITTED_DIR = join(__dirname, '..', '..', 'eval');
/** The default kit folder: `.devsets` at the repository root. */
export const DEFAULT_DEVSETS_DIR = join(__dirname, '..', '..', '..', '..', '.devsets');

/** Loads a set's utterances, or `undefined` when its kit file has not been built. */
export function loadHandoffSet(spec: HandoffSetSpec, devsetsDir: string = DEFAULT_DEVSETS_DIR): LabelledUtterance[] | undefined {
  const path = join(spec.from === 'committed' ? COMMITTED_DIR : devsetsDir, spec.file);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const items = spec.from === 'kit-questions' ? questionsAsNegatives(text) : parseUtterances(text);
  return spec.half ? items.filter((it) => halfOf(it.text) === spec.half) : items;
}

/** A retrieval set's queries (`{"query": …}` lines) as utterances that want no person. */
function questionsAsNegatives(jsonl: string): LabelledUtterance[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ text: String((JSON.parse(line) as { query?: unknown }).query ?? ''), wants_human: false }))
    .filter((u) => u.text !== '');
}
