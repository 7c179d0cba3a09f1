import type { AdminUser } from '@repo/store';
import { html, type Html } from './html';
import { csrfField, type PageContext } from './layout';
import { fieldAria, fieldError, type FieldErrors } from './form-field';

/** The signed-in user's own account: who they are and a password change form (errors beside the fields). */
export function accountView(p: PageContext, user: AdminUser, errors: FieldErrors = {}): Html {
  const { t } = p;
  const e = errors;
  return html`<div class="card"><p>${user.email} · ${t(`role.${user.role}`)}</p></div>
    <form method="post" action="/account/password" class="card">
      ${csrfField(p)}
      <h2>${t('account.changePassword')}</h2>
      <label for="cp">${t('account.currentPassword')}</label
      ><input
        id="cp"
        name="current"
        type="password"
        required
        autocomplete="current-password"
        ${fieldAria(e, 'current', 'cp')}
      />${fieldError(p, e, 'current', 'cp')} <label for="np">${t('account.newPassword')}</label
      ><input
        id="np"
        name="password"
        type="password"
        minlength="10"
        required
        autocomplete="new-password"
        ${fieldAria(e, 'password', 'np')}
      />${fieldError(p, e, 'password', 'np')} <label for="rp">${t('account.repeatPassword')}</label
      ><input
        id="rp"
        name="repeat"
        type="password"
        minlength="10"
        required
        autocomplete="new-password"
        ${fieldAria(e, 'repeat', 'rp')}
      />${fieldError(p, e, 'repeat', 'rp')}
      <p><button type="submit">${t('common.save')}</button></p>
    </form>`;
}
