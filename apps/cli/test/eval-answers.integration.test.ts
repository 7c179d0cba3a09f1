import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { adminDatabaseUrl, startFakeChatModel } from '@repo/testing';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');

const articles = [
  { id: 'delivery', title: 'Сроки доставки', body: 'Курьер привозит заказ по Москве за 1–2 дня, в регионы за 3–7 дней.' },
  { id: 'returns', title: 'Возврат товара', body: 'Вернуть товар надлежащего качества можно в течение 14 дней после получения.' },
  { id: 'payment', title: 'Способы оплаты', body: 'Оплатить заказ можно банковской картой, через СБП или наличными курьеру.' },
  {
    id: 'warranty',
    title: 'Гарантийный ремонт',
    body: '## Гарантийный срок\n\nГарантия на смартфоны 12 месяцев.\n\n## Когда гарантия не действует\n\nМеханические повреждения не гарантийный случай.',
  },
  { id: 'pickup', title: 'Пункты выдачи', body: 'Заказ хранится в пункте выдачи 7 дней, срок хранения можно продлить.' },
  { id: 'gift', title: 'Подарочные карты', body: 'Подарочную карту можно купить на сайте, номинал от 500 рублей.' },
];
const queries = [
  { query: 'Сколько дней хранится заказ в пункте выдачи?', relevant_article_ids: ['pickup'] },
  { query: 'Сколько действует гарантия на смартфон?', relevant_article_ids: ['warranty'], answer_contains: '12 месяцев' },
  { query: 'Можно ли оплатить через СБП?', relevant_article_ids: ['payment'] },
  { query: 'Вы продаёте запчасти для тракторов?', relevant_article_ids: [] },
];

function files(): { a: string; q: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'eval-answers-'));
  const a = path.join(dir, 'a.jsonl');
  const q = path.join(dir, 'q.jsonl');
  writeFileSync(a, articles.map((x) => JSON.stringify(x)).join('\n'));
  writeFileSync(q, queries.map((x) => JSON.stringify(x)).join('\n'));
  return { a, q };
}

async function evalAnswers(args: string[], env: Record<string, string> = {}): Promise<Record<string, number | string>> {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'apps', 'cli', 'dist', 'eval', 'eval-answers.js'), ...args], {
    env: { ...process.env, DATABASE_URL: adminDatabaseUrl(), ...env },
    timeout: 120_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number | string>;
}

describe('npm run eval:answers', () => {
  it('runs every query through the pipeline core and counts what the bot did', async () => {
    const { a, q } = files();
    const out = await evalAnswers(['--articles', a, '--queries', q]);
    expect(out.queries).toBe(4);
    expect(
      Number(out.answered_right) + Number(out.answered_wrong) + Number(out.clarified) + Number(out.handed_off) + Number(out.ignored),
    ).toBe(4);
    expect(out.mode).toBe('full');
    // Nothing is answered with the wrong article (the tractor question included), and the warranty
    // question's top hit quotes the warranty-period passage.
    expect(out.answered_wrong).toBe(0);
    expect(out.passage_checked).toBe(1);
    expect(out.passage_right).toBe(1);
  });

  it('with --as-letters, asks each question inside a letter and answers it as the plain question', async () => {
    const { a, q } = files();
    const plain = await evalAnswers(['--articles', a, '--queries', q]);
    const letters = await evalAnswers(['--articles', a, '--queries', q, '--as-letters']);
    expect(letters.questions).toBe('as letters');
    expect(plain.questions).toBe('as written');
    for (const key of ['answered_right', 'answered_wrong', 'handed_off', 'ignored', 'passage_right']) expect(letters[key]).toBe(plain[key]);
  });

  it('with --leave-out, counts every answer as wrong and skips questions without relevant articles', async () => {
    const { a, q } = files();
    const out = await evalAnswers(['--articles', a, '--queries', q, '--leave-out']);
    expect(out.queries).toBe(3);
    expect(out.answered_right).toBe(0);
    expect(out.mode).toBe('leave-out');
  });

  it('with --llm, ends the pipeline with the configured LLM as the worker does, and counts what it changed', async () => {
    const { a, q } = files();
    const offline = await evalAnswers(['--articles', a, '--queries', q]);
    const answered = Number(offline.answered_right) + Number(offline.answered_wrong);
    expect(answered).toBeGreaterThan(0);
    const llm = await startFakeChatModel();
    try {
      const env = { LLM_BASE_URL: llm.url, LLM_API_KEY: 'sk-eval-answers', LLM_MODEL: 'fake' };
      // The model reads every question as a request for a person: each answer becomes a hand-off.
      llm.mode = 'person';
      const person = await evalAnswers(['--articles', a, '--queries', q, '--llm'], env);
      expect(person).toMatchObject({ llm: 'llm', answered_right: 0, answered_wrong: 0, llm_handed_off: answered, llm_ungrounded: 0 });
      expect(person.handed_off).toBe(Number(offline.handed_off) + answered);
      expect(llm.requests.every((r) => r.authorization === 'Bearer sk-eval-answers')).toBe(true);
      // A model that answers with passage [1] word for word, cited: grounded, so the generated text is
      // sent, and counted right or wrong by its citations as the quote was.
      llm.mode = 'scripted';
      llm.script = (user) => {
        const passage = /Passages:\n\[1\] [^\n]*\n([^\n]+)/.exec(user)?.[1];
        return passage ? `${passage} [1]` : 'NO_ANSWER';
      };
      const grounded = await evalAnswers(['--articles', a, '--queries', q, '--llm'], env);
      expect(grounded).toMatchObject({ answered_right: offline.answered_right, answered_wrong: offline.answered_wrong, llm_ungrounded: 0 });
      // A failing provider leaves the quotes: the same answers, each marked.
      llm.mode = 'http_500';
      const failing = await evalAnswers(['--articles', a, '--queries', q, '--llm'], env);
      expect(failing).toMatchObject({
        answered_right: offline.answered_right,
        answered_wrong: offline.answered_wrong,
        llm_ungrounded: answered,
      });
      // Quoting skills: the request reader, but only with LLM_READS_REQUESTS.
      llm.mode = 'person';
      const before = llm.requests.length;
      const quoting = await evalAnswers(['--articles', a, '--queries', q, '--llm', '--answer-mode', 'extractive'], env);
      expect(quoting).toMatchObject({ answered_right: offline.answered_right, llm_handed_off: 0 });
      expect(llm.requests).toHaveLength(before);
      const reading = await evalAnswers(['--articles', a, '--queries', q, '--llm', '--answer-mode', 'extractive'], {
        ...env,
        LLM_READS_REQUESTS: 'true',
      });
      expect(reading).toMatchObject({ answered_right: 0, llm_handed_off: answered });
    } finally {
      await llm.close();
    }
  });

  it('with --llm but no LLM_API_KEY, names the variable and not the URL', async () => {
    const { a, q } = files();
    const failed = (await evalAnswers(['--articles', a, '--queries', q, '--llm'], {
      LLM_BASE_URL: 'https://user:pw-secret@llm.example.test/v1',
      LLM_API_KEY: '',
      LLM_TIMEOUT_MS: 'soon',
    }).catch((error: unknown) => error)) as { stderr?: string };
    expect(failed.stderr).toContain('LLM_API_KEY');
    expect(failed.stderr).toContain('LLM_TIMEOUT_MS');
    expect(failed.stderr).not.toContain('pw-secret');
    expect(failed.stderr).not.toContain('soon');
  });

  it('names the missing options', async () => {
    await expect(run(process.execPath, [path.join(ROOT, 'apps', 'cli', 'dist', 'eval', 'eval-answers.js')])).rejects.toMatchObject({
      stderr: expect.stringContaining('--articles A.jsonl --queries Q.jsonl'),
    });
  });
});
