import type { AdminUser } from '@repo/store';
import { html, type Html } from './html';
import { csrfField, type PageContext } from './layout';

/** The signed-in user's own account: who they are and a password change form. */
export function accountView(p: PageContext, user: AdminUser): Html {
  const { t } = p;
  return html`<div class="card"><p>${user.email} · ${t(`role.${user.role}`)}</p></div>
    <form method="post" action="/account/password" class="card">
      ${csrfField(p)}
      <h2>${t('account.changePassword')}</h2>
      <label for="cp">${t('account.currentPassword')}</label
      ><input id="cp" name="current" type="password" required autocomplete="current-password" />
      <label for="np">${t('account.newPassword')}</label
      ><input id="np" name="password" type="password" minlength="10" required autocomplete="new-password" />
      <label for="rp">${t('account.repeatPassword')}</label
      ><input id="rp" name="repeat" type="password" minlength="10" required autocomplete="new-password" />
      <p><button type="submit">${t('common.save')}</button></p>
    </form>`;
}
