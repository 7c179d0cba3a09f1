import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseSkillSettings } from '@repo/domain';
import { startFakeChatModel, type FakeChatModel } from '@repo/testing';
import { classify } from '../classify';
import { createOpenAiRequestReader } from '../llm/request-reader';
import { evaluateHandoffWithReader } from './eval-handoff-llm';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', 'dist', 'eval', 'eval-handoff.js');

// Labels are the test's own (the second message is labelled a request to see the LLM add it).
const ITEMS = [
  { text: 'Позовите оператора, пожалуйста', wants_human: true },
  { text: 'Расскажите про тарифы', wants_human: true },
  { text: 'Сколько стоит доставка?', wants_human: false },
  { text: 'Как сменить пароль?', wants_human: false },
  { text: 'Что такое API?', wants_human: false },
  { text: 'Где мой заказ?', wants_human: true },
];

/** The fake model's reading of each message: HANDOFF, QUESTION, or a reply that is neither. */
const SCRIPTED: Record<string, string> = {
  'Расскажите про тарифы': 'HANDOFF',
  'Сколько стоит доставка?': 'QUESTION',
  'Как сменить пароль?': 'HANDOFF',
  'Что такое API?': 'maybe',
  'Где мой заказ?': 'QUESTION',
};

describe('eval:handoff with the LLM as second reader', () => {
  let llm: FakeChatModel;
  beforeAll(async () => {
    llm = await startFakeChatModel();
    llm.mode = 'scripted';
    llm.script = (user) => SCRIPTED[user.replace("Customer's message:\n", '')] ?? 'unexpected';
  });
  afterAll(async () => llm?.close());

  it('asks about every message the detector does not hand off, and counts what the model adds', async () => {
    // What the offline detector reads, so a changed detector fails here rather than in the figures.
    const skill = parseSkillSettings({});
    expect(ITEMS.map((i) => classify({ text: i.text, skill }).intent)).toEqual([
      'operator_request',
      'question',
      'question',
      'question',
      'question',
      'question',
    ]);
    const before = llm.requests.length;
    const reader = createOpenAiRequestReader({ baseUrl: llm.url, apiKey: 'k', model: 'fake', timeoutMs: 3000 });
    const r = await evaluateHandoffWithReader(ITEMS, reader, { concurrency: 2 });
    expect(llm.requests.length - before).toBe(5);
    expect(r.asked).toBe(5);
    expect(r.failures).toBe(1);
    expect(r.detector).toEqual({ precision: 1, recall: 0.3333 });
    expect(r.combined).toEqual({ precision: 0.6667, recall: 0.6667 });
    expect(r.combinedRequests).toEqual({ precision: 0.6667, recall: 0.6667 });
    expect(r.addedRight).toEqual(['Расскажите про тарифы']);
    expect(r.addedWrong).toEqual(['Как сменить пароль?']);
  });

  it('runs from the command line with the worker’s LLM settings and names a missing one without values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-handoff-'));
    try {
      const file = join(dir, 'set.jsonl');
      writeFileSync(file, ITEMS.map((i) => JSON.stringify(i)).join('\n'));
      const env = { ...process.env, LLM_BASE_URL: llm.url, LLM_API_KEY: 'sk-eval-key', LLM_MODEL: 'fake' };
      const { stdout } = await run(process.execPath, [SCRIPT, '--utterances', file, '--llm'], { env });
      const last = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
      expect(last).toMatchObject({
        n: 6,
        precision: 1,
        recall: 0.3333,
        llm: { asked: 5, failures: 1, added_right: 1, added_wrong: 1, precision: 0.6667, recall: 0.6667 },
      });
      expect(llm.requests.at(-1)!.authorization).toBe('Bearer sk-eval-key');

      const missing = { ...process.env, LLM_BASE_URL: 'https://user:pw-secret@llm.example.test/v1', LLM_API_KEY: '' };
      const failed = await run(process.execPath, [SCRIPT, '--utterances', file, '--llm'], { env: missing }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect((failed as { code: number }).code).toBe(1);
      expect((failed as { stderr: string }).stderr).toContain('LLM_API_KEY');
      expect((failed as { stderr: string }).stderr).not.toContain('pw-secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
