import { Writable } from 'node:stream';
import winston from 'winston';
import { providerSettings } from '@repo/config';
import { createLogger } from '@repo/logger';
import { startFakeChatModel, type FakeChatModel } from '@repo/testing';
import { AdminEnv } from '../src/config';
import { testBoxProviders } from '../src/services/preview.service';
import { startFixture, type Fixture } from './fixture';
import { TestClient } from './http-client';

const LLM_KEY = 'sk-test-BOX-LLM-KEY-4711';
const baseEnv = {
  SECRETS_KEY: '5f0c2a9e7b13d48c6e21f9a07d3b85c41e6f2d90a8c37b5e14d62f0e9a7c3b18',
  ADMIN_SESSION_SECRET: 'test-session-secret-that-is-long-enough-1234',
};
const QUESTION = 'Какие способы оплаты у вас есть?';

/** The text of the test box's answer, as the page shows it. */
function shownReply(page: string): string {
  const m = /<pre>([\s\S]*?)<\/pre>/.exec(page.slice(page.indexOf('data-testid="test-result"')));
  return m?.[1] ?? '';
}

function shownProviders(page: string): string {
  return /data-testid="test-providers">([^<]*)</.exec(page)?.[1] ?? '';
}

function shownReasons(page: string): string {
  return /data-testid="test-reasons">([^<]*)</.exec(page)?.[1] ?? '';
}

// The test box must say what the bot would do. With an LLM configured (the same LLM_* variables as
// the worker's), it runs the worker's last step too: the generated answer in `llm` mode, and the
// hand-off when the model reads a request for a person (in `llm` mode, and for quoting skills with
// LLM_READS_REQUESTS). Without one it quotes the KB and calls nobody.
describe('admin test box with the worker’s LLM settings', () => {
  let fx: Fixture;
  let llm: FakeChatModel;
  let withLlm: TestClient;
  let plain: TestClient;
  let limited: TestClient;
  const logLines: string[] = [];
  let skillId: string;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    fx = await startFixture();
    llm = await startFakeChatModel();
    const config = AdminEnv.parse({
      ...baseEnv,
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: LLM_KEY,
      LLM_MODEL: 'fake-box-model',
      LLM_TIMEOUT_MS: '3000',
      LLM_READS_REQUESTS: 'true',
    });
    // Every line the providers log, at every level, to check that neither the key nor the message gets there.
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ service: 'admin-test', level: 'debug', transports: [new winston.transports.Stream({ stream })] });
    const app = await fx.startApp({}, { turnProviders: testBoxProviders(providerSettings(config), fx.store, logger) });
    closers.push(app.close);
    // The same wiring without any provider configured, as the admin app starts without LLM_* set.
    const none = await fx.startApp({}, { turnProviders: testBoxProviders(providerSettings(AdminEnv.parse(baseEnv)), fx.store, logger) });
    closers.push(none.close);
    const tight = await fx.startApp({ testBoxPerMinute: 2 });
    closers.push(tight.close);

    const boss = await fx.createUser('box@example.test', 'admin');
    withLlm = new TestClient(app.url);
    plain = new TestClient(none.url);
    limited = new TestClient(tight.url);
    for (const client of [withLlm, plain, limited]) expect((await client.login(boss.email, boss.password)).status).toBe(303);

    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Box');
    // A low threshold: this small knowledge base's confidence is not what these tests are about.
    skillId = (
      await fx.store.organizations.createSkill({
        organizationId: fx.orgId,
        consultantId: consultant.id,
        name: 'Shop',
        settings: { confidenceThreshold: 0.1 },
      })
    ).id;
    const articles: Array<[string, string, string]> = [
      ['pay', 'Способы оплаты', 'Оплатить заказ можно банковской картой на сайте или наличными курьеру при получении заказа.'],
      ['ship', 'Сроки доставки', 'Доставка по Москве занимает один день, по России от трёх до семи дней.'],
      ['ret', 'Возврат товара', 'Вернуть товар надлежащего качества можно в течение четырнадцати дней с чеком.'],
      ['pwd', 'Восстановление пароля', 'Чтобы восстановить пароль, нажмите «Забыли пароль» на странице входа и следуйте письму.'],
    ];
    for (const [externalId, title, body] of articles) {
      await fx.addArticle(skillId, externalId, title, body);
    }
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await llm?.close();
    await fx?.close();
  });

  const ask = (client: TestClient, message: string) => client.post(`/skills/${skillId}/kb/test`, { message }, `/skills/${skillId}/kb`);
  const setMode = async (answerMode: 'llm' | 'extractive') => {
    const skill = await fx.store.organizations.getSkill(skillId);
    await fx.store.organizations.updateSkillSettings(skillId, { ...(skill!.settings as object), answerMode });
  };

  it('in llm mode shows the generated, cited answer, asked with the configured model and key', async () => {
    await setMode('llm');
    llm.mode = 'grounded';
    const before = llm.requests.length;
    const page = await ask(withLlm, QUESTION);
    expect(page.status).toBe(200);
    expect(llm.requests).toHaveLength(before + 1);
    const request = llm.requests.at(-1)!;
    expect(request.url).toBe('/chat/completions');
    expect(request.authorization).toBe(`Bearer ${LLM_KEY}`);
    expect(request.body.model).toBe('fake-box-model');
    const generated = llm.answers.at(-1)!;
    // The model's sentence with its citation marker, not the article's whole quote.
    expect(shownReply(page.text)).toContain(generated);
    expect(shownProviders(page.text)).toBe(
      'Поиск: по словам. Языковая модель fake-box-model: пишет ответ в режиме «llm», читает просьбы позвать человека и в режиме цитат.',
    );
    expect(page.text).not.toContain(LLM_KEY);
  });

  it('in llm mode shows the hand-off when the model reads a request for a person', async () => {
    await setMode('llm');
    llm.mode = 'person';
    const page = await ask(withLlm, QUESTION);
    expect(page.text).toMatch(/class="badge handoff"/);
    expect(shownReasons(page.text)).toContain('Языковая модель прочла в сообщении просьбу позвать человека');
  });

  it('for a quoting skill with LLM_READS_REQUESTS, asks about the message and hands off on HANDOFF, answers on QUESTION', async () => {
    await setMode('extractive');
    llm.mode = 'person';
    const handedOff = await ask(withLlm, QUESTION);
    expect(handedOff.text).toMatch(/class="badge handoff"/);
    expect(shownReasons(handedOff.text)).toContain('Клиент попросил оператора');

    llm.mode = 'no_person';
    const answered = await ask(withLlm, QUESTION);
    expect(answered.text).toMatch(/class="badge answer"/);
    expect(shownReply(answered.text)).toContain('банковской картой');
  });

  it('falls back to the quote when the model fails, as the worker does', async () => {
    await setMode('llm');
    llm.mode = 'http_500';
    const page = await ask(withLlm, QUESTION);
    expect(page.text).toMatch(/class="badge answer"/);
    expect(shownReply(page.text)).toContain('банковской картой');
    expect(shownReasons(page.text)).toContain('Сгенерированный ответ не опирался на базу знаний');
  });

  it('without an LLM configured quotes the KB, calls no model and says so', async () => {
    await setMode('llm');
    llm.mode = 'person';
    const before = llm.requests.length;
    const page = await ask(plain, QUESTION);
    expect(page.text).toMatch(/class="badge answer"/);
    expect(shownReply(page.text)).toContain('банковской картой');
    expect(shownProviders(page.text)).toBe('Поиск: по словам. Ответ: цитата из базы знаний, языковая модель не подключена.');
    expect(llm.requests).toHaveLength(before);
  });

  it('limits runs per user and minute, the page and the API together', async () => {
    await setMode('extractive');
    expect((await ask(limited, QUESTION)).status).toBe(200);
    expect((await ask(limited, QUESTION)).status).toBe(200);
    const third = await ask(limited, QUESTION);
    expect(third.status).toBe(429);
    expect(third.text).toContain('Слишком много проверок подряд');
  });

  it('logs neither the key nor the customer’s message', () => {
    const all = logLines.join('');
    expect(all).toContain('LLM answer not used');
    expect(all).not.toContain(LLM_KEY);
    expect(all).not.toContain('способы оплаты');
  });
});
