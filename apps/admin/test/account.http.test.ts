import { startFixture, type Fixture } from './fixture';
import { TestClient } from './http-client';

// A user changes their own password: the current one is checked, other sessions end, this one stays.
describe('own account', () => {
  let fx: Fixture;

  beforeAll(async () => {
    fx = await startFixture();
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
  });

  it('changes the password only with the current one, and ends the other sessions', async () => {
    const user = await fx.createUser('self@example.test', 'member');
    const here = new TestClient(fx.url);
    const elsewhere = new TestClient(fx.url);
    await here.login(user.email, user.password);
    await elsewhere.login(user.email, user.password);
    expect((await here.get('/account')).status).toBe(200);

    const wrong = await here.post(
      '/account/password',
      { current: 'not-it-at-all', password: 'a-new-password-1', repeat: 'a-new-password-1' },
      '/account',
    );
    expect(wrong.status).toBe(400);
    const mismatch = await here.post(
      '/account/password',
      { current: user.password, password: 'a-new-password-1', repeat: 'something-else-1' },
      '/account',
    );
    expect(mismatch.status).toBe(400);

    const ok = await here.post(
      '/account/password',
      { current: user.password, password: 'a-new-password-1', repeat: 'a-new-password-1' },
      '/account',
    );
    expect(ok.status).toBe(303);
    expect(ok.location).toContain('account.passwordChanged');
    expect((await here.get('/account')).status).toBe(200);
    expect((await elsewhere.get('/account')).status).not.toBe(200);

    const fresh = new TestClient(fx.url);
    expect((await fresh.login(user.email, user.password)).location ?? '').not.toContain('/dialogs');
    const again = new TestClient(fx.url);
    await again.login(user.email, 'a-new-password-1');
    expect((await again.get('/account')).status).toBe(200);
  });
});
