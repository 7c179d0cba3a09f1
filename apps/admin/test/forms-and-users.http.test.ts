import { startFixture, type Fixture } from './fixture';
import { apiClient, TestClient } from './http-client';

/** The `value` of the input with this id in a page. */
function inputValue(page: string, id: string): string | undefined {
  const tag = new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(page)?.[0];
  return tag ? (/value="([^"]*)"/.exec(tag)?.[1] ?? '') : undefined;
}

/** Whether the field with this id points at an error element that is on the page. */
function describedError(page: string, id: string): string | undefined {
  const tag = new RegExp(`<(?:input|textarea|select)[^>]*id="${id}"[^>]*>`).exec(page)?.[0] ?? '';
  const ref = /aria-describedby="([^"]+)"/.exec(tag)?.[1];
  if (!ref || !/aria-invalid="true"/.test(tag)) return undefined;
  return new RegExp(`<span class="field-error" id="${ref}"[^>]*>([^<]*)</span>`).exec(page)?.[1];
}

// Forms keep what was typed and show each error beside its field; users can be deleted and reset.
describe('admin forms and user management', () => {
  let fx: Fixture;
  let boss: { id: string; email: string; password: string };
  let admin: TestClient;
  let skillId: string;

  beforeAll(async () => {
    fx = await startFixture();
    boss = await fx.createUser('boss@example.test', 'admin');
    admin = new TestClient(fx.url);
    expect((await admin.login(boss.email, boss.password)).status).toBe(303);
    const consultant = await fx.store.organizations.createConsultant(fx.orgId, 'Eddy');
    skillId = (await fx.store.organizations.createSkill({ organizationId: fx.orgId, consultantId: consultant.id, name: 'Support' })).id;
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
  });

  describe('field errors with the typed values', () => {
    it('new user: keeps e-mail, name and role, never the password, and tells each field what is wrong (ru)', async () => {
      const res = await admin.post(
        '/users',
        { email: 'not-an-email', name: 'Анна Петрова', password: 'short-pw', role: 'admin' },
        '/users',
      );
      expect(res.status).toBe(400);
      expect(inputValue(res.text, 'ue')).toBe('not-an-email');
      expect(inputValue(res.text, 'un')).toBe('Анна Петрова');
      expect(res.text).not.toContain('short-pw');
      expect(res.text).toMatch(/<option value="admin" selected>/);
      expect(describedError(res.text, 'ue')).toContain('Введите e-mail');
      expect(describedError(res.text, 'up')).toContain('от 10 до 200');
      expect(describedError(res.text, 'un')).toBeUndefined();
    });

    it('new user: a taken e-mail is shown at the e-mail field, in English when the user chose it', async () => {
      const en = new TestClient(fx.url);
      await en.login(boss.email, boss.password);
      await en.get('/locale?l=en&back=/users');
      const res = await en.post('/users', { email: boss.email, name: '', password: 'long-enough-password', role: 'member' }, '/users');
      expect(res.status).toBe(400);
      expect(describedError(res.text, 'ue')).toBe('A user with this e-mail already exists.');
      expect(inputValue(res.text, 'ue')).toBe(boss.email);
    });

    it('account: the wrong current password and a short new one are marked at their fields, nothing is echoed', async () => {
      const res = await admin.post('/account/password', { current: 'wrong-current-pw', password: 'short', repeat: 'short' }, '/account');
      expect(res.status).toBe(400);
      expect(describedError(res.text, 'cp')).toContain('Текущий пароль неверен');
      expect(describedError(res.text, 'np')).toContain('от 10 до 200');
      expect(res.text).not.toContain('wrong-current-pw');
    });

    it('KB article: an empty title is marked and the body typed is kept', async () => {
      const res = await admin.post(
        `/skills/${skillId}/kb`,
        { title: '   ', body: 'Курьер привозит заказ <за день>.', tags: 'доставка, курьер' },
        `/skills/${skillId}/kb/new`,
      );
      expect(res.status).toBe(400);
      expect(describedError(res.text, 'title')).toContain('заголовок');
      expect(res.text).toContain('Курьер привозит заказ &lt;за день&gt;.');
      expect(inputValue(res.text, 'tags')).toBe('доставка, курьер');
      const ok = await admin.post(`/skills/${skillId}/kb`, { title: 'Доставка', body: 'Курьер.', tags: '' }, `/skills/${skillId}/kb/new`);
      expect(ok.status).toBe(303);
      const test = await admin.post(`/skills/${skillId}/kb/test`, { message: '  ' }, `/skills/${skillId}/kb`);
      expect(test.status).toBe(400);
      expect(describedError(test.text, 'tm')).toContain('Введите сообщение клиента');
    });
  });

  it('settings and tokens: an empty or too long name is marked at its field with the rest kept', async () => {
    const consultant = await admin.post('/settings/consultants', { name: '   ' });
    expect(consultant.status).toBe(400);
    expect(describedError(consultant.text, 'cname')).toContain('Введите название');
    const long = 'Я'.repeat(101);
    const consultantId = (await fx.store.organizations.createConsultant(fx.orgId, 'Second')).id;
    const skill = await admin.post(
      `/settings/consultants/${consultantId}/skills`,
      { name: long, language: 'en' },
      `/settings/consultants/${consultantId}`,
    );
    expect(skill.status).toBe(400);
    expect(inputValue(skill.text, 'sname')).toBe(long);
    expect(skill.text).toMatch(/<option value="en" selected>/);
    expect(describedError(skill.text, 'sname')).toContain('до 100 символов');
    const token = await admin.post('/api-tokens', { name: ' ', userId: boss.id }, '/api-tokens');
    expect(token.status).toBe(400);
    expect(describedError(token.text, 'tn')).toContain('Введите название');
    expect(token.text).toMatch(new RegExp(`<option value="${boss.id}" selected>`));
  });

  describe('delete and reset password', () => {
    it('deletes another user of the organization; their session stops working at once', async () => {
      const victim = await fx.createUser('leaving@example.test', 'member');
      const theirs = new TestClient(fx.url);
      await theirs.login(victim.email, victim.password);
      expect((await theirs.get('/dialogs')).status).toBe(200);

      const page = await admin.get('/users');
      expect(page.text).toContain(`action="/users/${victim.id}/delete"`);
      expect(page.text).toMatch(new RegExp(`action="/users/${victim.id}/delete"[^>]*data-confirm=`));
      // Without the form token nothing happens.
      expect((await admin.request('POST', `/users/${victim.id}/delete`, { form: {} })).status).toBe(403);

      const res = await admin.post(`/users/${victim.id}/delete`, {}, '/users');
      expect(res.status).toBe(303);
      expect(res.location).toContain('users.deleted');
      expect(await fx.admin.accounts.getUser(victim.id)).toBeUndefined();
      expect((await theirs.get('/dialogs')).status).toBe(303);
      expect((await new TestClient(fx.url).login(victim.email, victim.password)).status).toBe(401);
    });

    it('refuses to delete oneself, and the store refuses to remove the last admin', async () => {
      const res = await admin.post(`/users/${boss.id}/delete`, {}, '/users');
      expect(res.status).toBe(400);
      expect(await fx.admin.accounts.getUser(boss.id)).toBeDefined();
      expect(await fx.admin.accounts.deleteUser(fx.orgId, boss.id)).toBe('last_admin');

      // With a second admin, one admin may delete the other; then the remaining one is the last.
      const second = await fx.createUser('second-admin@example.test', 'admin');
      const secondClient = new TestClient(fx.url);
      await secondClient.login(second.email, second.password);
      expect((await admin.post(`/users/${second.id}/delete`, {}, '/users')).status).toBe(303);
      expect(await fx.admin.accounts.deleteUser(fx.orgId, boss.id)).toBe('last_admin');
    });

    it('resets a password: the new one is shown once, the old one and the user’s sessions stop working', async () => {
      const user = await fx.createUser('forgetful@example.test', 'member');
      const theirs = new TestClient(fx.url);
      await theirs.login(user.email, user.password);
      expect((await theirs.get('/dialogs')).status).toBe(200);

      const res = await admin.post(`/users/${user.id}/reset-password`, {}, '/users');
      expect(res.status).toBe(200);
      const generated = /data-testid="new-password">([^<]+)</.exec(res.text)?.[1];
      expect(generated).toMatch(/^[A-Za-z0-9]{16}$/);
      expect((await admin.get('/users')).text).not.toContain(generated!);

      expect((await theirs.get('/dialogs')).status).toBe(303);
      expect((await new TestClient(fx.url).login(user.email, user.password)).status).toBe(401);
      const fresh = new TestClient(fx.url);
      expect((await fresh.login(user.email, generated!)).status).toBe(303);
      expect((await fresh.get('/dialogs')).status).toBe(200);
      // The admin's own session is untouched.
      expect((await admin.get('/users')).status).toBe(200);
    });

    it('never touches a user of another organization', async () => {
      const otherOrg = await fx.store.organizations.createOrganization('Other org');
      const stranger = await fx.createUser('stranger@example.test', 'admin', otherOrg.id);
      const strangersMember = await fx.createUser('their-member@example.test', 'member', otherOrg.id);
      expect((await admin.get('/users')).text).not.toContain('stranger@example.test');
      for (const target of [stranger, strangersMember]) {
        expect((await admin.post(`/users/${target.id}/delete`, {}, '/users')).status).toBe(404);
        expect((await admin.post(`/users/${target.id}/reset-password`, {}, '/users')).status).toBe(404);
        expect(await fx.admin.accounts.getUser(target.id)).toBeDefined();
      }
      expect((await new TestClient(fx.url).login(strangersMember.email, strangersMember.password)).status).toBe(303);
      // And the other organization's admin cannot touch ours.
      const them = new TestClient(fx.url);
      await them.login(stranger.email, stranger.password);
      expect((await them.post(`/users/${boss.id}/delete`, {}, '/users')).status).toBe(404);
      expect((await them.post(`/users/${boss.id}/reset-password`, {}, '/users')).status).toBe(404);
      expect((await admin.get('/users')).status).toBe(200);
    });

    it('the JSON API deletes and resets with the same rules', async () => {
      const api = apiClient(fx.url, (await fx.admin.accounts.issueApiToken({ userId: boss.id, name: 'ops', createdBy: boss.id })).token);
      const user = await fx.createUser('api-target@example.test', 'member');
      const reset = await api('POST', `/users/${user.id}/reset-password`);
      expect(reset.status).toBe(200);
      expect((await new TestClient(fx.url).login(user.email, reset.body.password)).status).toBe(303);
      expect((await api('DELETE', `/users/${user.id}`)).status).toBe(204);
      expect((await api('DELETE', `/users/${user.id}`)).status).toBe(404);
      expect((await api('DELETE', `/users/${boss.id}`)).status).toBe(400);
      const otherOrg = await fx.store.organizations.createOrganization('API other');
      const stranger = await fx.createUser('api-stranger@example.test', 'member', otherOrg.id);
      expect((await api('DELETE', `/users/${stranger.id}`)).status).toBe(404);
      expect((await api('POST', `/users/${stranger.id}/reset-password`)).status).toBe(404);
    });

    it('a member can neither delete nor reset', async () => {
      const member = await fx.createUser('plain@example.test', 'member');
      const target = await fx.createUser('target@example.test', 'member');
      const c = new TestClient(fx.url);
      await c.login(member.email, member.password);
      expect((await c.post(`/users/${target.id}/delete`, {}, '/account')).status).toBe(403);
      expect((await c.post(`/users/${target.id}/reset-password`, {}, '/account')).status).toBe(403);
    });
  });
});
