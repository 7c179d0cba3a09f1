import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFixture, type Fixture } from './fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REPO = path.resolve(__dirname, '..', '..', '..');
/** Where the test leaves its screenshot. */
const OUTPUT_DIR = path.join(__dirname, '..', 'test-output');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a built app (ingress, worker) as a child process; `npm test` builds them first. */
function startBuilt(name: 'ingress' | 'worker', env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [path.join(REPO, 'apps', name, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Reloads `url` until `selector` appears (the pipeline runs in other processes). */
async function reloadUntil(page: Page, url: string, selector: string, tries = 60): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    await page.goto(url);
    if ((await page.locator(selector).count()) > 0) return;
    await page.waitForTimeout(500);
  }
  throw new Error(`${selector} did not appear on ${url}`);
}

async function login(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(/\/dialogs/), page.click('button[type=submit]')]);
}

const ready =
  existsSync(CHROMIUM) &&
  existsSync(path.join(REPO, 'apps', 'ingress', 'dist', 'main.js')) &&
  existsSync(path.join(REPO, 'apps', 'worker', 'dist', 'main.js'));
// Never skipped under CI: .ci/run installs Chromium and `npm test` builds the apps first.
if (!ready && process.env.CI === 'true') {
  throw new Error(`Browser test prerequisites missing: ${!existsSync(CHROMIUM) ? CHROMIUM : 'apps/*/dist (run the build)'}`);
}
const maybe = ready ? describe : describe.skip;

/**
 * The product in a real browser: an admin sets up an integration against the simulator (the token
 * is read from the page), a customer writes through the simulator, the dialog appears with its
 * decision; a member without access sees it only once «visible to all» is switched on.
 */
maybe('admin app in Chromium', () => {
  let fx: Fixture;
  let browser: Browser;
  let base: string;
  let ingress: ReturnType<typeof startBuilt> | undefined;
  let worker: ReturnType<typeof startBuilt> | undefined;
  let ingressPort: number;

  beforeAll(async () => {
    ingressPort = await freePort();
    fx = await startFixture({ cookieSecure: false, publicWebhookBaseUrl: `http://127.0.0.1:${ingressPort}` });
    base = fx.url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (worker) await stop(worker.child);
    if (ingress) await stop(ingress.child);
    await fx?.close();
  });

  it('sets up an integration, shows a customer dialog with its decision, and applies the visibility option', async () => {
    const admin = await fx.createUser('lead@example.test', 'admin');
    const member = await fx.createUser('agent@example.test', 'member');
    const account = fx.sim.createAccount({ slug: 'shop', adminEmail: 'bot@shop.example' });
    const customer = fx.sim.createCustomer('shop', { name: 'Анна', email: 'anna@mail.example' });

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await login(page, base, admin.email, admin.password);

    // Settings → Consultants → a consultant → a skill → Integrations → HelpDeskEddy.
    await page.goto(`${base}/settings`);
    await page.fill('#cname', 'Эдди');
    await Promise.all([page.waitForURL(/\/settings\/consultants\//), page.click('form[action="/settings/consultants"] button')]);
    await page.fill('#sname', 'Поддержка');
    await Promise.all([page.waitForURL(/\/settings\/skills\//), page.click('form[action$="/skills"] button')]);
    const skillId = page.url().split('/').pop()!;
    await page.click('[data-testid=add-integration]');
    await page.fill('#domain', account.baseUrl);
    await page.fill('#email', account.adminEmail);
    await page.fill('#apiKey', account.apiKey);
    // Setup refuses a hand-off without a target: hand off to a department of the account.
    await page.fill('#hd', String(fx.sim.createDepartment('shop', { name: 'Поддержка' }).id));
    await page.click('[data-testid=setup-submit]');
    const webhookUrl = (await page.locator('[data-testid=webhook-url]').textContent())!.trim();
    expect(webhookUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${ingressPort}/api/bots/helpdeskeddy_bot/webhook/hdeb_`));
    expect(await page.locator('[data-testid=webhook-body]').textContent()).toContain('{answer_last}');
    const integrationId = (await page.locator('a.button[href^="/integrations/"]:not([data-testid=check-connection])').getAttribute('href'))!
      .split('/')
      .pop()!;

    // A knowledge-base article for the bot to answer from.
    await page.goto(`${base}/skills/${skillId}/kb/new`);
    await page.fill('#title', 'Оплата заказа');
    await page.fill('#body', 'Оплатить заказ можно банковской картой на сайте или по счёту для юридических лиц.');
    await page.fill('#tags', 'оплата');
    await Promise.all([page.waitForURL(/\/kb\/\d+/), page.click(`form[action="/skills/${skillId}/kb"] button`)]);

    // The pipeline: ingress and worker as built processes; the simulator's dispatcher rule gets the URL from the page.
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
    worker = startBuilt('worker', { ...env, TURN_DEBOUNCE_MS: '200', SWEEP_INTERVAL_MS: '0' });
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

    const ticket = fx.sim.openTicket('shop', {
      customerId: customer.id,
      title: 'Оплата',
      text: 'Здравствуйте! Как оплатить заказ картой?',
    });
    await fx.sim.waitForDispatches();

    await reloadUntil(page, `${base}/dialogs`, '[data-testid=dialog-row]');
    await page.click(`a[href^="/dialogs/"]`);
    await reloadUntil(page, page.url(), '[data-testid=decision]');
    expect(await page.locator('[data-testid=hde-link]').getAttribute('href')).toBe(
      `${account.baseUrl}/ru/ticket/list/filter/id/1/ticket/${ticket.id}`,
    );
    expect(await page.locator('[data-testid=message]').first().textContent()).toContain('Как оплатить заказ картой?');
    const decision = await page.locator('[data-testid=decision]').first().textContent();
    expect(decision?.trim().length).toBeGreaterThan(0);
    const dialogUrl = page.url();
    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'dialog-page.png'), fullPage: true });

    // A member without access: nothing while the option is off.
    const memberContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const memberPage = await memberContext.newPage();
    await login(memberPage, base, member.email, member.password);
    await memberPage.goto(`${base}/dialogs`);
    expect(await memberPage.locator('[data-testid=dialog-row]').count()).toBe(0);
    const denied = await memberPage.goto(dialogUrl);
    expect(denied?.status()).toBe(404);

    // The admin switches on «Диалоги интеграции доступны всем пользователям».
    await page.goto(`${base}/integrations/${integrationId}`);
    await page.check('[data-testid=visible-to-all]');
    await Promise.all([page.waitForURL(/flash=/), page.click('[data-testid=save-settings]')]);

    await memberPage.goto(`${base}/dialogs`);
    expect(await memberPage.locator('[data-testid=dialog-row]').count()).toBe(1);
    const allowed = await memberPage.goto(dialogUrl);
    expect(allowed?.status()).toBe(200);
    expect(await memberPage.locator('[data-testid=decision]').count()).toBeGreaterThan(0);
    await memberContext.close();
    await context.close();
  });
});
