import { parseSkillSettings } from '@repo/domain';
import { seedDialog } from '@repo/testing';
import { startFixture, type Fixture } from './fixture';
import { TestClient } from './http-client';

/** A valid policy form as the browser posts it (the fields the page draws). */
function policyForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    confidenceThreshold: '0.45',
    maxBotReplies: '3',
    answerMode: 'extractive',
    handoffOnNegativeTone: '1',
    'greeting.ru': 'Добрый день!',
    'greeting.en': 'Good afternoon!',
    'greeting.uk': '',
    'signoff.ru': 'Пишите, если что.',
    'signoff.en': 'Write back any time.',
    'signoff.uk': '',
    'workingHours.enabled': '1',
    'workingHours.timezone': 'Asia/Yekaterinburg',
    'workingHours.from': '10:00',
    'workingHours.to': '19:00',
    'topics.0.id': 'delivery',
    'topics.0.name': 'Доставка',
    'topics.0.keywords': 'курьер, доставка',
    'topics.0.examples': 'Когда привезут?\nГде курьер?',
    'topics.1.id': '',
    'topics.1.name': '',
    'topics.1.keywords': '',
    'topics.1.examples': '',
    'blockedTopics.0.id': 'legal',
    'blockedTopics.0.name': 'Юристы',
    'blockedTopics.0.keywords': 'суд',
    'blockedTopics.0.examples': '',
    synonyms: 'возврат, вернуть деньги\nчек, квитанция',
    'handoffMessages.0.code': 'low_confidence',
    'handoffMessages.0.ru': 'Передаю оператору.',
    'handoffMessages.0.en': 'Passing you to an agent.',
    'handoffMessages.0.uk': '',
    ...overrides,
  };
}

/** Posts a form whose `workingHours.days` field repeats, as checkboxes do. */
async function postPolicy(c: TestClient, skillId: string, form: Record<string, string>, days: string[]) {
  const csrf = await c.csrf(`/settings/skills/${skillId}`);
  const body = new URLSearchParams({ _csrf: csrf, ...form });
  for (const d of days) body.append('workingHours.days', d);
  const cookie = `__Host-hde_sid=${c.cookie('__Host-hde_sid')}`;
  const res = await fetch(`${c.baseUrl}/settings/skills/${skillId}/policy`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: body.toString(),
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

describe('skill policy form and KB paging', () => {
  let fx: Fixture;
  let admin: TestClient;
  let skillId: string;
  let bossEmail: string;
  let bossPassword: string;

  beforeAll(async () => {
    fx = await startFixture();
    const boss = await fx.createUser('boss@example.test', 'admin');
    [bossEmail, bossPassword] = [boss.email, boss.password];
    admin = new TestClient(fx.url);
    expect((await admin.login(boss.email, boss.password)).status).toBe(303);
    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Eddy');
    skillId = (await fx.store.organizations.createSkill({ organizationId: fx.orgId, consultantId: consultant.id, name: 'Support' })).id;
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('shows the policy as labelled fields, not a JSON box', async () => {
    const page = await admin.get(`/settings/skills/${skillId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="policy-form"');
    expect(page.text).not.toContain('name="settings"');
    expect(page.text).toMatch(/<label for="pf-confidenceThreshold">Порог уверенности/);
    expect(page.text).toMatch(/id="pf-confidenceThreshold" name="confidenceThreshold" type="number" value="0.3"/);
    expect(page.text).toContain('Здравствуйте!');
  });

  it('saves every field through the policy schema', async () => {
    const res = await postPolicy(admin, skillId, policyForm(), ['1', '2', '3', '4', '5', '6']);
    expect(res.status).toBe(303);
    const stored = parseSkillSettings((await fx.store.organizations.getSkill(skillId))!.settings);
    expect(stored).toMatchObject({
      confidenceThreshold: 0.45,
      maxBotReplies: 3,
      handoffOnNegativeTone: true,
      clarifyOnAmbiguity: false,
      greeting: { ru: 'Добрый день!', en: 'Good afternoon!' },
      workingHours: { timezone: 'Asia/Yekaterinburg', days: [1, 2, 3, 4, 5, 6], from: '10:00', to: '19:00' },
      topics: [{ id: 'delivery', name: 'Доставка', keywords: ['курьер', 'доставка'], examples: ['Когда привезут?', 'Где курьер?'] }],
      blockedTopics: [{ id: 'legal', name: 'Юристы', keywords: ['суд'], examples: [] }],
      synonyms: [
        ['возврат', 'вернуть деньги'],
        ['чек', 'квитанция'],
      ],
      handoffMessages: { low_confidence: { ru: 'Передаю оператору.', en: 'Passing you to an agent.' } },
    });
    expect(stored.greeting.uk).toBeUndefined();
    // The page draws the saved values back.
    const page = await admin.get(`/settings/skills/${skillId}`);
    expect(page.text).toMatch(/name="confidenceThreshold" type="number" value="0.45"/);
    expect(page.text).toMatch(/name="workingHours.days" value="6" checked/);
    expect(page.text).not.toMatch(/name="workingHours.days" value="7" checked/);
  });

  it('refuses a bad threshold with 422, the error beside the field and every typed value kept', async () => {
    const before = (await fx.store.organizations.getSkill(skillId))!.settings;
    const res = await postPolicy(
      admin,
      skillId,
      policyForm({ confidenceThreshold: '1.5', 'greeting.ru': 'Привет, <друг>!', 'workingHours.to': '7pm' }),
      ['2', '4'],
    );
    expect(res.status).toBe(422);
    expect(res.text).toMatch(
      /id="pf-confidenceThreshold" name="confidenceThreshold" type="number" value="1.5"\s+aria-invalid="true" aria-describedby="pf-confidenceThreshold-error"/,
    );
    expect(res.text).toMatch(/<span class="field-error" id="pf-confidenceThreshold-error"[^>]*>Введите число от 0 до 1/);
    expect(res.text).toMatch(/<span class="field-error" id="pf-workingHours-to-error"[^>]*>Время в виде ЧЧ:ММ/);
    expect(res.text).toContain('Привет, &lt;друг&gt;!');
    expect(res.text).toMatch(/value="7pm"/);
    expect(res.text).toMatch(/name="workingHours.days" value="2" checked/);
    expect(res.text).not.toMatch(/name="workingHours.days" value="1" checked/);
    expect(res.text).toContain('value="Asia/Yekaterinburg"');
    expect((await fx.store.organizations.getSkill(skillId))!.settings).toEqual(before);
  });

  it('tells the fields apart: a topic without a name, a one-word synonym line, an unknown time zone', async () => {
    const res = await postPolicy(
      admin,
      skillId,
      policyForm({ 'topics.0.name': '', synonyms: 'одинокое', 'workingHours.timezone': 'Mars/Base', maxBotReplies: '2.5' }),
      ['1'],
    );
    expect(res.status).toBe(422);
    for (const [id, text] of [
      ['pf-topics-0-name', 'Заполните это поле'],
      ['pf-synonyms', 'не меньше двух слов'],
      ['pf-workingHours-timezone', 'Неизвестный часовой пояс'],
      ['pf-maxBotReplies', 'целое число'],
    ])
      expect(res.text).toMatch(new RegExp(`<span class="field-error" id="${id}-error"[^>]*>[^<]*${text}`));
  });

  it("lists on an article's page the questions agents answered with it (escaped), which the bot learns from", async () => {
    const integration = await fx.store.integrations.create({
      organizationId: fx.orgId,
      skillId,
      hdeBaseUrl: 'https://acme.helpdeskeddy.com',
      adminEmail: 'bot@acme.test',
      apiKey: 'k',
    });
    const article = (externalId: string, title: string, body: string) => fx.addArticle(skillId, externalId, title, body);
    const tracking = await article(
      'tracking',
      'Как отследить заказ',
      'Статус заказа отображается в разделе «Мои заказы» в личном кабинете на сайте и в мобильном приложении.',
    );
    const other = await article(
      'payment',
      'Способы оплаты',
      'Оплатить заказ можно картой на сайте, при получении или по счёту для юридических лиц.',
    );
    await article('returns', 'Возврат', 'Вернуть товар надлежащего качества можно в течение 14 дней после покупки, сохранив чек.');
    await article('warranty', 'Гарантия', 'Гарантийный срок на смартфоны составляет двенадцать месяцев с даты покупки по чеку.');
    await seedDialog(fx.store.db, integration.id, 1, [
      ['customer', 'посылочка <b>запропастилась</b>'],
      [
        'agent',
        '',
        '<p>Добрый день!</p><p>Статус заказа отображается в разделе «Мои заказы» в личном кабинете на сайте и в мобильном приложении.</p>',
      ],
    ]);

    const page = await admin.get(`/skills/${skillId}/kb/${tracking.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="answered-questions"');
    expect(page.text).toContain('посылочка &lt;b&gt;запропастилась&lt;/b&gt;');
    expect(page.text).not.toContain('<b>запропастилась');
    // Another article's page lists nothing.
    expect((await admin.get(`/skills/${skillId}/kb/${other.id}`)).text).not.toContain('data-testid="answered-questions"');
    // A member who may not read this integration's dialogs sees the article, not its customers' questions.
    const member = new TestClient(fx.url);
    const someone = await fx.createUser('kb-member@example.test', 'member');
    await member.login(someone.email, someone.password);
    const hidden = await member.get(`/skills/${skillId}/kb/${tracking.id}`);
    expect(hidden.status).toBe(200);
    expect(hidden.text).not.toContain('data-testid="answered-questions"');
    expect(hidden.text).not.toContain('запропастилась');
    await fx.store.integrations.update(integration.id, { dialogsVisibleToAll: true });
    expect((await member.get(`/skills/${skillId}/kb/${tracking.id}`)).text).toContain('data-testid="answered-questions"');
    // With learning from conversations off (KB_LEARN_INTERVAL_MS=0, as the worker's), nothing is read or shown.
    const off = await fx.startApp({ kbLearnEveryMs: 0 });
    try {
      const offAdmin = new TestClient(off.url);
      expect((await offAdmin.login(bossEmail, bossPassword)).status).toBe(303);
      const quiet = await offAdmin.get(`/skills/${skillId}/kb/${tracking.id}`);
      expect(quiet.status).toBe(200);
      expect(quiet.text).not.toContain('data-testid="answered-questions"');
      expect(quiet.text).not.toContain('запропастилась');
    } finally {
      await off.close();
    }
  });

  it('pages the KB list by 100 with the total, keeping the search', async () => {
    const kbSkill = (
      await fx.store.organizations.createSkill({
        organizationId: fx.orgId,
        consultantId: (await fx.store.organizations.createConsultant(fx.orgId, 'KB')).id,
        name: 'Big KB',
      })
    ).id;
    for (let i = 1; i <= 250; i += 1) {
      const n = String(i).padStart(3, '0');
      await fx.addArticle(kbSkill, `a-${n}`, `Статья ${n}`, i % 2 === 0 ? `Чётная статья ${n}` : `Нечётная статья ${n}`);
    }
    const first = await admin.get(`/skills/${kbSkill}/kb`);
    expect(first.text).toMatch(/data-testid="kb-showing"\s*>Показаны 1–100 из 250</);
    expect(first.text).not.toContain('data-testid="kb-prev"');
    expect(first.text).toContain(`href="/skills/${kbSkill}/kb?page=2"`);

    const third = await admin.get(`/skills/${kbSkill}/kb?page=3`);
    expect(third.text).toMatch(/data-testid="kb-showing"\s*>Показаны 201–250 из 250</);
    const titles = [...third.text.matchAll(/>Статья (\d{3})</g)].map((m) => m[1]);
    expect(titles).toHaveLength(50);
    expect(titles[0]).toBe('201');
    expect(titles[49]).toBe('250');
    expect(third.text).toContain(`href="/skills/${kbSkill}/kb?page=2"`);
    expect(third.text).not.toContain('data-testid="kb-next"');

    // With a search: "Нечётная" matches 125 articles; page 2 holds 26 of them and keeps the query in its links.
    const q = encodeURIComponent('Нечётная');
    const searched = await admin.get(`/skills/${kbSkill}/kb?q=${q}&page=2`);
    expect(searched.text).toMatch(/Показаны 101–125 из 125/);
    expect(searched.text).toContain(`href="/skills/${kbSkill}/kb?q=${q}"`);

    // English numbers and a page past the end shows the last page.
    const en = new TestClient(fx.url);
    const boss2 = await fx.createUser('kb-en@example.test', 'member');
    await en.login(boss2.email, boss2.password);
    await en.get('/locale?l=en&back=/dialogs');
    expect((await en.get(`/skills/${kbSkill}/kb?page=99`)).text).toMatch(/Showing 201–250 of 250/);
  });
});
