import { providerSettings } from '@repo/config';
import { createLogger } from '@repo/logger';
import { startFakeChatModel, type FakeChatModel } from '@repo/testing';
import { AdminEnv } from '../src/config';
import { testBoxProviders } from '../src/services/preview.service';
import { startFixture, type Fixture } from './fixture';
import { TestClient } from './http-client';

const LLM_KEY = 'sk-test-BOX-LLM-KEY-4711';

/** The text of the test box's answer, as the page shows it. */
function shownReply(page: string): string {
  const m = /<pre>([\s\S]*?)<\/pre>/.exec(page.slice(page.indexOf('data-testid="test-result"')));
  return m?.[1] ?? '';
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
  let skillId: string;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    fx = await startFixture();
    llm = await startFakeChatModel();
    const config = AdminEnv.parse({
      SECRETS_KEY: 'a'.repeat(64),
      ADMIN_SESSION_SECRET: 'test-session-secret-that-is-long-enough-1234',
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: LLM_KEY,
      LLM_MODEL: 'fake-box-model',
      LLM_TIMEOUT_MS: '3000',
      LLM_READS_REQUESTS: 'true',
    });
    const logger = createLogger({ service: 'admin-test', level: 'error' });
    const app = await fx.startApp({}, { turnProviders: testBoxProviders(providerSettings(config), fx.store, logger) });
    closers.push(app.close);

    const boss = await fx.createUser('box@example.test', 'admin');
    withLlm = new TestClient(app.url);
    plain = new TestClient(fx.url);
    expect((await withLlm.login(boss.email, boss.password)).status).toBe(303);
    expect((await plain.login(boss.email, boss.password)).status).toBe(303);

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
      await fx.store.kb.upsertArticle({
        skillId,
        source: 'manual',
        externalId,
        title,
        body,
        bodyFormat: 'markdown',
        tags: [],
        language: 'ru',
        url: null,
      });
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
    const page = await ask(withLlm, 'Какие способы оплаты у вас есть?');
    expect(page.status).toBe(200);
    expect(llm.requests).toHaveLength(before + 1);
    const request = llm.requests.at(-1)!;
    expect(request.url).toBe('/chat/completions');
    expect(request.authorization).toBe(`Bearer ${LLM_KEY}`);
    expect(request.body.model).toBe('fake-box-model');
    const generated = llm.answers.at(-1)!;
    // The model's sentence with its citation marker, not the article's whole quote.
    expect(shownReply(page.text)).toContain(generated);
    expect(page.text).not.toContain(LLM_KEY);
  });

  it('in llm mode shows the hand-off when the model reads a request for a person', async () => {
    await setMode('llm');
    llm.mode = 'person';
    const page = await ask(withLlm, 'Какие способы оплаты у вас есть?');
    expect(page.text).toMatch(/class="badge handoff"/);
    expect(shownReasons(page.text)).toContain('Языковая модель прочла в сообщении просьбу позвать человека');
  });

  it('for a quoting skill with LLM_READS_REQUESTS, asks about the message and hands off on HANDOFF, answers on QUESTION', async () => {
    await setMode('extractive');
    llm.mode = 'person';
    const handedOff = await ask(withLlm, 'Какие способы оплаты у вас есть?');
    expect(handedOff.text).toMatch(/class="badge handoff"/);
    expect(shownReasons(handedOff.text)).toContain('Клиент попросил оператора');

    llm.mode = 'no_person';
    const answered = await ask(withLlm, 'Какие способы оплаты у вас есть?');
    expect(answered.text).toMatch(/class="badge answer"/);
    expect(shownReply(answered.text)).toContain('банковской картой');
  });

  it('falls back to the quote when the model fails, as the worker does', async () => {
    await setMode('llm');
    llm.mode = 'http_500';
    const page = await ask(withLlm, 'Какие способы оплаты у вас есть?');
    expect(page.text).toMatch(/class="badge answer"/);
    expect(shownReply(page.text)).toContain('банковской картой');
    expect(shownReasons(page.text)).toContain('Сгенерированный ответ не опирался на базу знаний');
  });

  it('without an LLM configured quotes the KB and calls no model', async () => {
    await setMode('llm');
    llm.mode = 'person';
    const before = llm.requests.length;
    const page = await ask(plain, 'Какие способы оплаты у вас есть?');
    expect(page.text).toMatch(/class="badge answer"/);
    expect(shownReply(page.text)).toContain('банковской картой');
    expect(llm.requests).toHaveLength(before);
  });
});
