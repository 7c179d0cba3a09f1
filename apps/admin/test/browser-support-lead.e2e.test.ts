import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DECISION_REASONS } from '@repo/domain';
import { startFixture, type Fixture } from './fixture';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  OUTPUT_DIR,
  browserPrerequisites,
  freePort,
  horizontalOverflow,
  reloadUntil,
  startBuilt,
  stopChild,
} from './browser-helpers';

/** Codes that must never reach a support lead's screen. */
const RAW_CODES = [...DECISION_REASONS, 'operator_request', 'quarantined', 'handed_off', 'reply-', 'summary-', 'assign-'];

const maybe = browserPrerequisites() ? describe : describe.skip;

/**
 * A support lead's first hour, in Chromium: sign in over plain http with the default cookie setting,
 * set up HDE, import a file with broken lines, see a send HDE refused shown as failed (and counted as
 * failed, not answered), read the dialog in both languages without codes, and use it on a phone.
 */
maybe('a support lead in Chromium', () => {
  let fx: Fixture;
  let browser: Browser;
  let ingress: ReturnType<typeof startBuilt> | undefined;
  let worker: ReturnType<typeof startBuilt> | undefined;
  let ingressPort: number;

  beforeAll(async () => {
    ingressPort = await freePort();
    // The default of ADMIN_COOKIE_SECURE: Secure cookies only over HTTPS, so plain http works.
    fx = await startFixture({ cookieSecure: 'auto', publicWebhookBaseUrl: `http://127.0.0.1:${ingressPort}` });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(OUTPUT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    if (worker) await stopChild(worker.child);
    if (ingress) await stopChild(ingress.child);
    await fx?.close();
  });

  async function signIn(context: BrowserContext, email: string, password: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${fx.url}/login`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(/\/dialogs/), page.click('button[type=submit]')]);
    return page;
  }

  it('says why sign-in cannot work when cookies are forced Secure over plain http', async () => {
    const secureOnly = await fx.startApp({ cookieSecure: true });
    try {
      const context = await browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(`${secureOnly.url}/login`);
      expect(await page.locator('.flash.error').textContent()).toContain('ADMIN_COOKIE_SECURE');
      await context.close();
    } finally {
      await secureOnly.close();
    }
  }, 120_000);

  it('walks sign-in, setup, import with broken lines, a failed send, both languages and a phone', async () => {
    const lead = await fx.createUser('lead@shop.example', 'admin');
    const account = fx.sim.createAccount({ slug: 'shop', adminEmail: 'bot@shop.example' });
    const customer = fx.sim.createCustomer('shop', { name: 'Анна Петрова', email: 'anna@mail.example' });

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ru-RU' });
    const page = await signIn(context, lead.email, lead.password);

    // Setup: consultant, skill, HDE integration.
    await page.goto(`${fx.url}/settings`);
    await page.fill('#cname', 'Эдди');
    await Promise.all([page.waitForURL(/\/settings\/consultants\//), page.click('form[action="/settings/consultants"] button')]);
    await page.fill('#sname', 'Поддержка');
    await Promise.all([page.waitForURL(/\/settings\/skills\//), page.click('form[action$="/skills"] button')]);
    const skillId = page.url().split('/').pop()!;

    // The skill's policy is a form: a bad threshold comes back with the error beside it and what was typed.
    await page.fill('#pf-confidenceThreshold', '1.5');
    await page.fill('#pf-greeting-ru', 'Добрый день, это бот магазина!');
    await page.check('input[name="workingHours.days"][value="6"]');
    await Promise.all([page.waitForURL(/\/policy$/), page.click('[data-testid=policy-form] button[type=submit]')]);
    const threshold = page.locator('#pf-confidenceThreshold');
    expect(await threshold.inputValue()).toBe('1.5');
    expect(await threshold.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await threshold.getAttribute('aria-describedby'))!;
    expect(await page.locator(`#${errorId}`).textContent()).toContain('Введите число от 0 до 1');
    expect(await page.locator(`#${errorId}`).isVisible()).toBe(true);
    expect(await page.locator('#pf-greeting-ru').inputValue()).toBe('Добрый день, это бот магазина!');
    expect(await page.locator('input[name="workingHours.days"][value="6"]').isChecked()).toBe(true);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'policy-error-ru-1366.png'), fullPage: true });
    await page.fill('#pf-confidenceThreshold', '0.35');
    await Promise.all([page.waitForURL(/\/settings\/skills\/[^/]+\?flash=/), page.click('[data-testid=policy-form] button[type=submit]')]);
    expect(await page.locator('#pf-confidenceThreshold').inputValue()).toBe('0.35');
    expect(await page.locator('#pf-greeting-ru').inputValue()).toBe('Добрый день, это бот магазина!');

    await page.click('[data-testid=add-integration]');
    await page.fill('#domain', account.baseUrl);
    await page.fill('#email', account.adminEmail);
    await page.fill('#apiKey', account.apiKey);
    // Setup refuses a hand-off without a target: hand off to a department of the account.
    await page.fill('#hd', String(fx.sim.createDepartment('shop', { name: 'Поддержка' }).id));
    await page.click('[data-testid=setup-submit]');
    const webhookUrl = (await page.locator('[data-testid=webhook-url]').textContent())!.trim();

    // Import with broken lines: each rejected line is named with its number and reason.
    await page.goto(`${fx.url}/skills/${skillId}/kb`);
    const lines = [
      '{"id": "pay", "title": "Оплата заказа", "body": "Оплатить заказ можно банковской картой на сайте или по счёту."}',
      `{"id": "bad", "title": 'Сломано'}`,
      '{"id": "ship", "title": "Доставка", "body": "Курьер привозит заказ на следующий день."}',
      '{"id": "notitle", "body": "Без заголовка"}',
      '{"id": "ret", "title": "Возврат", "body": "Вернуть товар можно в течение 14 дней."}',
    ];
    await page.fill('#imp', lines.join('\n'));
    await page.click(`form[action="/skills/${skillId}/kb/import"] button`);
    const banner = (await page.locator('.flash').textContent()) ?? '';
    expect(banner).toContain('Импортировано 3 из 5, отклонено 2');
    expect(banner).toContain('строка 2: not JSON: unexpected quote at column 24');
    expect(banner).toContain('строка 4: title is missing');
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'kb-import-ru-1366.png'), fullPage: true });

    // The pipeline, with HDE refusing every write: the bot's reply cannot be posted.
    const env = {
      DATABASE_URL: fx.db.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: fx.prefix,
      SECRETS_KEY: fx.secretsKeyHex,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      RUN_MIGRATIONS: 'false',
      HDE_ALLOW_PRIVATE_NETWORK: 'true',
    };
    ingress = startBuilt('ingress', {
      ...env,
      INGRESS_PORT: String(ingressPort),
      INGRESS_HOST: '127.0.0.1',
      SPOOL_DIR: path.join(OUTPUT_DIR, `spool-${fx.prefix}`),
    });
    worker = startBuilt('worker', { ...env, TURN_DEBOUNCE_MS: '200', SWEEP_INTERVAL_MS: '0', KB_SYNC_INTERVAL_MS: '0' });
    fx.sim.setDispatcher('shop', { url: webhookUrl });
    for (
      let i = 0;
      i < 100 &&
      !(await fetch(`http://127.0.0.1:${ingressPort}/healthz`).then(
        (r) => r.ok,
        () => false,
      ));
      i += 1
    )
      await page.waitForTimeout(100);
    fx.sim.injectFault('shop', { method: 'POST', path: '/tickets/*', kind: 'status', status: 403 });
    fx.sim.openTicket('shop', { customerId: customer.id, title: 'Оплата', text: 'Здравствуйте! Как оплатить заказ банковской картой?' });
    await fx.sim.waitForDispatches();

    // The row can show before its first message is stored; the preview follows.
    await reloadUntil(page, `${fx.url}/dialogs`, '[data-testid=dialog-preview]');
    expect(await page.locator('[data-testid=dialog-preview]').first().textContent()).toContain('Как оплатить заказ');
    await page.click('a[href^="/dialogs/"]');
    const dialogUrl = page.url();
    await reloadUntil(page, dialogUrl, '[data-testid=turn-failed]');
    const failure = (await page.locator('[data-testid=turn-failed]').first().textContent()) ?? '';
    expect(failure).toMatch(/Не отправлено/);

    // Both languages, no raw codes.
    for (const locale of ['ru', 'en'] as const) {
      await page.goto(`${fx.url}/locale?l=${locale}&back=${encodeURIComponent(new URL(dialogUrl).pathname)}`);
      const text = await page.locator('main').innerText();
      for (const code of RAW_CODES) expect(text).not.toContain(code);
      expect(text).toContain(locale === 'ru' ? 'Не отправлено' : 'Not sent');
      await page.screenshot({ path: path.join(OUTPUT_DIR, `dialog-${locale}-1366.png`), fullPage: true });
    }

    // The integrations list and the API reference are one menu click away.
    await page.click('header a[href="/integrations"]');
    expect(await page.locator('[data-testid=integration-list] a[href^="/integrations/"]').count()).toBe(1);
    await page.click('header a[href="/api-docs"]');
    expect(await page.locator('[data-testid=api-reference] tr').count()).toBeGreaterThan(20);

    // The overview counts the failed turn as failed, never as answered.
    await page.goto(`${fx.url}/overview`);
    expect(await page.locator('[data-testid=stat-failed-turns] b').textContent()).not.toBe('0');
    expect(await page.locator('[data-testid=stat-answered] small').textContent()).toMatch(/^0 answers delivered/);
    // Setup was given a hand-off department, so no "hand-offs go nowhere" warning (kept for old integrations).
    expect(await page.locator('[data-testid=handoff-warning]').count()).toBe(0);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'overview-en-1366.png'), fullPage: true });
    await page.goto(`${fx.url}/locale?l=ru&back=/overview`);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'overview-ru-1366.png'), fullPage: true });
    await context.close();

    // A phone: overview, the dialog list and the dialog fit the screen width.
    for (const locale of ['ru', 'en'] as const) {
      const phone = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 1,
        isMobile: true,
        hasTouch: true,
        locale: locale === 'ru' ? 'ru-RU' : 'en-US',
      });
      const p = await signIn(phone, lead.email, lead.password);
      await p.goto(`${fx.url}/locale?l=${locale}&back=/overview`);
      const pages = [
        ['overview', `${fx.url}/overview`],
        ['dialogs', `${fx.url}/dialogs`],
        ['dialog', dialogUrl],
        ['integrations', `${fx.url}/integrations`],
        ['api', `${fx.url}/api-docs`],
      ] as const;
      for (const [name, url] of pages) {
        await p.goto(url);
        const { scrollWidth, innerWidth } = await horizontalOverflow(p);
        expect({ page: name, scrollWidth }).toEqual({ page: name, scrollWidth: Math.min(scrollWidth, innerWidth) });
        if (name === 'dialog') {
          // Names and zone-labelled times fit the phone too.
          expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
          expect(await p.locator('[data-testid=author-name]').first().textContent()).toBe('Анна Петрова');
          expect(await p.locator('[data-testid=message-time]').first().textContent()).toMatch(
            /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Europe\/Moscow\)$/,
          );
        }
        await p.screenshot({ path: path.join(OUTPUT_DIR, `${name}-${locale}-390.png`), fullPage: true });
      }
      await phone.close();
    }
  }, 300_000);
});
