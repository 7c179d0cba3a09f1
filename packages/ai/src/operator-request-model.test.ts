import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decide, extractFeatures, scoreFeatures, scoreText, trainModel, type TrainConfig } from './operator-request-model';
import { OPERATOR_REQUEST_MODEL, operatorRequestProbability, prepareRequestText, readOperatorRequest } from './operator-request';
import { parseUtterances } from './eval/eval-handoff';
import {
  assignFolds,
  CHOSEN,
  chooseRule,
  crossValidate,
  letterSentenceNegatives,
  prepareUtterance,
  SYNTHETIC_FILES,
  TRAINING_FILES,
  type PreparedExample,
} from './eval/train-handoff-model';

const tiny: TrainConfig = {
  features: { unigrams: true, bigrams: true, charMin: 3, charMax: 4 },
  l2: 0.0001,
  iterations: 200,
  minCount: 1,
  maxFeatures: 500,
};
const fixture: [string, boolean][] = [
  ['позовите оператора', true],
  ['соедините с оператором пожалуйста', true],
  ['talk to a human', true],
  ['I want a human agent', true],
  ['где мой заказ', false],
  ['как оплатить картой', false],
  ['what are your opening hours', false],
  ['спасибо, всё понятно', false],
];
const examples = fixture.map(([text, label]) => ({ features: extractFeatures(prepareUtterance(text), tiny.features), label }));

describe('operator-request model', () => {
  it('extracts stem unigrams, bigrams with a start marker and character n-grams, sorted and unique', () => {
    const f = extractFeatures('позовите оператора, оператора', { unigrams: true, bigrams: true, charMin: 3, charMax: 3 });
    expect(f).toContain('u:оператор');
    expect(f).toContain('b:<s>_позов');
    expect(f).toContain('c: оп');
    expect(f.filter((x) => x === 'u:оператор')).toHaveLength(1);
    expect([...f].sort()).toEqual(f);
  });

  it('trains deterministically on a tiny fixture and separates it', () => {
    const a = trainModel(examples, tiny);
    const b = trainModel(examples, tiny);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    examples.forEach((e) => expect(scoreFeatures(e.features, a) >= 0.5).toBe(e.label));
    expect(Object.keys(a.weights).length).toBeLessThanOrEqual(tiny.maxFeatures);
  });

  it('prunes to maxFeatures by |weight|', () => {
    const m = trainModel(examples, { ...tiny, maxFeatures: 10 });
    expect(Object.keys(m.weights)).toHaveLength(10);
  });

  it('combines rules and model: a rule hit stands unless vetoed, a confident model adds a hit', () => {
    const rule = { threshold: 0.6, vetoBelow: 0.1 };
    expect(decide(true, 0.5, rule)).toBe(true);
    expect(decide(true, 0.05, rule)).toBe(false);
    expect(decide(false, 0.7, rule)).toBe(true);
    expect(decide(false, 0.5, rule)).toBe(false);
    expect(decide(false, 0.99, { threshold: 2, vetoBelow: 0 })).toBe(false);
  });

  it('chooses the decision rule with most recall at precision ≥ 0.95', () => {
    const gold = [true, true, true, false, false];
    const rules = [true, false, false, true, false];
    const probs = [0.9, 0.8, 0.7, 0.05, 0.3];
    const r = chooseRule(probs, rules, gold);
    expect(r.recall).toBe(1);
    expect(r.precision).toBe(1);
    expect(r.rule.vetoBelow).toBeGreaterThan(0.05);
  });

  it('assigns stratified, deterministic folds', () => {
    expect(assignFolds([true, false, true, true, false], 2)).toEqual([0, 0, 1, 0, 1]);
  });

  it('learns from train-only examples in every fold and scores only the others', () => {
    // "курлык" is a request word only in the train-only texts: the real texts that use it can
    // score high out of fold only if every fold learnt from the train-only ones.
    const real: PreparedExample[] = [
      ...['курлык пожалуйста', 'курлык срочно', 'нужен курлык', 'дайте курлык'].map((t, line) => ({
        prepared: t,
        label: true,
        file: 'r',
        line,
      })),
      ...['где заказ', 'как оплатить', 'какая цена', 'где доставка'].map((t, line) => ({
        prepared: t,
        label: false,
        file: 'r',
        line: 4 + line,
      })),
    ];
    const synthetic: PreparedExample[] = ['курлык', 'позовите курлык', 'курлык сейчас', 'хочу курлык'].map((t, line) => ({
      prepared: t,
      label: true,
      file: 's',
      line,
      trainOnly: true,
    }));
    const negatives: PreparedExample[] = ['где товар', 'как вернуть', 'сколько стоит', 'когда привезут'].map((t, line) => ({
      prepared: t,
      label: false,
      file: 's',
      line: 4 + line,
      trainOnly: true,
    }));
    const config: TrainConfig = { ...tiny, features: { unigrams: true, bigrams: false, charMin: 0, charMax: 0 } };
    const without = crossValidate(real, config, 4);
    const withSynthetic = crossValidate([...real, ...synthetic, ...negatives], config, 4);
    for (let i = 0; i < 4; i++) expect(withSynthetic[i]).toBeGreaterThan(without[i] as number);
    // Train-only examples get no out-of-fold score.
    expect(withSynthetic.slice(real.length).every((p) => p === 0)).toBe(true);
  });

  it('loads the committed model: version 1, pruned, small, with a decision rule', () => {
    expect(OPERATOR_REQUEST_MODEL.version).toBe(1);
    const n = Object.keys(OPERATOR_REQUEST_MODEL.weights).length;
    expect(n).toBeGreaterThan(100);
    expect(n).toBeLessThanOrEqual(CHOSEN.maxFeatures);
    expect(statSync(join(__dirname, 'models', 'operator-request-model.json')).size).toBeLessThan(1_200_000);
    expect(OPERATOR_REQUEST_MODEL.decision.threshold).toBeGreaterThan(0);
    const p = operatorRequestProbability('позовите оператора');
    expect(p).toBeGreaterThan(0.5);
    expect(readOperatorRequest('позовите оператора').probability).toBeCloseTo(p, 10);
  });

  // Sentences written for this test, checked below not to be in any training set.
  const behaviour: [string, boolean][] = [
    ['а можно как-то попасть на живого сотрудника поддержки?', true],
    ['хватит автоматических ответов, нужна помощь человека', true],
    ['I would rather sort this out on a call with your team', true],
    ['is there a way to reach an actual person', true],
    ['оператор не нужен, я уже разобрался', false],
    ['сколько операторов можно добавить на тарифе Старт?', false],
    ['спасибо, оператор Ирина мне вчера всё объяснила', false],
    ['какой у вас оператор фискальных данных?', false],
    ['где посмотреть историю заказов?', false],
  ];

  it('behaviour sentences are not in the training sets', () => {
    const seen = new Set(
      [...TRAINING_FILES, ...SYNTHETIC_FILES].flatMap((f) =>
        parseUtterances(readFileSync(join(__dirname, '..', 'eval', f), 'utf8')).map((u) => u.text.trim().toLowerCase()),
      ),
    );
    for (const [text] of behaviour) expect(seen.has(text.toLowerCase())).toBe(false);
  });

  it.each(behaviour)('reads %j as request = %s', (text, expected) => {
    expect(readOperatorRequest(text).isRequest).toBe(expected);
  });

  it('lets the model add a request the rules miss, but not overrule a refusal, a job or a story the rules recognised', () => {
    const added = readOperatorRequest('I would rather sort this out on a call with your team');
    expect(added.rule).toBe('model');
    expect(readOperatorRequest('оператор не нужен').rule).toBe('entity-excluded');
    expect(readOperatorRequest('хочу устроиться к вам специалистом').isRequest).toBe(false);
    expect(readOperatorRequest('Оператор, который мне звонил, не представился').rule).toBe('entity-story');
  });
});

describe('letterSentenceNegatives', () => {
  it('gives the prepared sentences of a letter, and nothing for a chat line', () => {
    const letter =
      'Hello,\n\nI just wanted to say thanks to Ruth at the Elm Road branch. My parcel with a birthday present had been lost for a week, and she found it in ten minutes, called the courier herself and had it delivered the same evening. Please make sure her manager hears about this.\n\nBest,\nAnna';
    const sentences = letterSentenceNegatives(letter);
    expect(sentences).toContain(prepareRequestText('Please make sure her manager hears about this.'));
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(letterSentenceNegatives('Thanks to Ruth. Please make sure her manager hears about this.')).toEqual([]);
  });
});

describe('scoreText', () => {
  it('gives the probability of the sorted features, within rounding, for the committed model', () => {
    const texts = [
      'позовите оператора',
      'Где мой заказ? Уже неделю жду',
      "I'd like a claims handler assigned to my case to phone me, please.",
      '',
      'операторa спецiалiст человечка',
    ];
    for (const text of texts) {
      const prepared = prepareRequestText(text);
      const expected = scoreFeatures(extractFeatures(prepared, OPERATOR_REQUEST_MODEL.features), OPERATOR_REQUEST_MODEL);
      expect(scoreText(prepared, OPERATOR_REQUEST_MODEL)).toBeCloseTo(expected, 12);
    }
  });
});
