import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startFixture, type Fixture } from './fixture';
import { CHROMIUM, CHROMIUM_ARGS, OUTPUT_DIR, browserPrerequisites } from './browser-helpers';

const maybe = browserPrerequisites() ? describe : describe.skip;

/**
 * An admin in Chromium picks the hand-off department from HDE's list by name and switches the
 * integration off through its confirmation (declining it first changes nothing).
 */
maybe('integrations in Chromium', () => {
  let fx: Fixture;
  let browser: Browser;

  beforeAll(async () => {
    fx = await startFixture({ cookieSecure: 'auto' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(OUTPUT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it('picks a department from the dropdown and switches the integration off with its confirmation', async () => {
    const lead = await fx.createUser('lead@shop.example', 'admin');
    const account = fx.sim.createAccount({ slug: 'shop', adminEmail: 'bot@shop.example' });
    const sales = fx.sim.createDepartment('shop', { name: { ru: 'Продажи', en: 'Sales' } });
    fx.sim.createDepartment('shop', { name: { ru: 'Поддержка', en: 'Support' } });
    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Эдди');
    const skill = await fx.store.organizations.createSkill({ organizationId: fx.orgId, consultantId: consultant.id, name: 'Поддержка' });
    const integration = await fx.store.integrations.create({
      organizationId: fx.orgId,
      skillId: skill.id,
      hdeBaseUrl: account.baseUrl,
      adminEmail: account.adminEmail,
      apiKey: account.apiKey,
      botUserId: account.adminUserId,
      replyMode: 'note',
    });

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${fx.url}/login`);
    await page.fill('#email', lead.email);
    await page.fill('#password', lead.password);
    await Promise.all([page.waitForURL(/\/dialogs/), page.click('button[type=submit]')]);

    await page.goto(`${fx.url}/integrations/${integration.id}`);
    await page.selectOption('#htg', 'department');
    const options = await page.locator('[data-testid=handoff-department] option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(['Продажи', 'Поддержка']));
    await page.selectOption('[data-testid=handoff-department]', { label: 'Продажи' });
    await Promise.all([page.waitForURL(/flash=common\.saved/), page.click('[data-testid=save-settings]')]);
    expect(await page.locator('[data-testid=handoff-summary]').textContent()).toContain('Продажи');
    expect((await fx.store.integrations.get(integration.id))!.handoffDepartmentId).toBe(sales.id);

    // Declining the confirmation keeps the integration on.
    const declined = page.waitForEvent('dialog').then((d) => d.dismiss());
    await page.click('[data-testid=disable-integration]');
    await declined;
    expect((await fx.store.integrations.get(integration.id))!.enabled).toBe(true);

    const accepted = page.waitForEvent('dialog').then(async (d) => {
      expect(d.message()).toContain('Выключить интеграцию');
      await d.accept();
    });
    await Promise.all([page.waitForURL(/flash=common\.saved/), page.click('[data-testid=disable-integration]'), accepted]);
    expect(await page.locator('[data-testid=integration-disabled]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=enable-integration]').isVisible()).toBe(true);
    expect((await fx.store.integrations.get(integration.id))!.enabled).toBe(false);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'integration-disabled-ru-1366.png'), fullPage: true });
    await context.close();
  }, 120_000);
});
