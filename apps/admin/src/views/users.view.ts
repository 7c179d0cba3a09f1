import type { AdminApiToken, AdminUser } from '@repo/store';
import { fmtDate, html, type Html } from './html';
import { csrfField, type PageContext } from './layout';
import { EMPTY_FORM, fieldAria, fieldError, nameField, valueOf, type FormState } from './form-field';

/**
 * Users of the organization, with role changes, delete and password reset (each behind a
 * confirmation), and a new-user form that shows what was typed and each error beside its field.
 */
export function usersView(
  p: PageContext,
  users: AdminUser[],
  options: { form?: FormState; reset?: { email: string; password: string } } = {},
): Html {
  const { t } = p;
  const form = options.form ?? EMPTY_FORM;
  const e = form.errors;
  const role = valueOf(form, 'role', 'member');
  return html`${
      options.reset
        ? html`<div class="warn" data-testid="reset-password">
            <b>${t('users.resetOnce', { email: options.reset.email })}</b>
            <span class="mono" id="new-password" data-testid="new-password">${options.reset.password}</span>
            <button type="button" data-copy="#new-password" data-copied="${t('common.copied')}">${t('common.copy')}</button>
          </div>`
        : ''
    }
    <table>
      <tr>
        <th>E-mail</th>
        <th>${t('common.name')}</th>
        <th>${t('users.role')}</th>
        <th>${t('users.disabled')}</th>
        <th></th>
      </tr>
      ${users.map(
        (u) =>
          html`<tr>
            <td>${u.email}</td>
            <td>${u.name}</td>
            <td>${t(`role.${u.role}`)}</td>
            <td>${u.disabled ? t('common.yes') : t('common.no')}</td>
            <td>
              <form method="post" action="/users/${u.id}" class="inline">
                ${csrfField(p)}
                <div>
                  <select name="role">
                    <option value="member" ${u.role === 'member' ? 'selected' : ''}>${t('role.member')}</option>
                    <option value="admin" ${u.role === 'admin' ? 'selected' : ''}>${t('role.admin')}</option>
                  </select>
                </div>
                <div>
                  <label><input type="checkbox" name="disabled" value="1" ${u.disabled ? 'checked' : ''} /> ${t('users.disabled')}</label>
                </div>
                <div><button type="submit" class="secondary">${t('common.save')}</button></div>
              </form>
              ${
                u.id === p.user?.id
                  ? ''
                  : html`<form
                        method="post"
                        action="/users/${u.id}/reset-password"
                        class="inl"
                        data-confirm="${t('confirm.resetPassword', { email: u.email })}"
                      >
                        ${csrfField(p)}<button type="submit" class="secondary" data-testid="reset-${u.email}">
                          ${t('users.resetPassword')}
                        </button>
                      </form>
                      <form
                        method="post"
                        action="/users/${u.id}/delete"
                        class="inl"
                        data-confirm="${t('confirm.deleteUser', { email: u.email })}"
                      >
                        ${csrfField(p)}<button type="submit" class="danger" data-testid="delete-${u.email}">${t('common.delete')}</button>
                      </form>`
              }
            </td>
          </tr>`,
      )}
    </table>
    <form method="post" action="/users" class="card" data-testid="new-user-form">
      ${csrfField(p)}
      <h2>${t('users.new')}</h2>
      <label for="ue">E-mail</label
      ><input
        id="ue"
        name="email"
        type="email"
        required
        value="${valueOf(form, 'email')}"
        ${fieldAria(e, 'email', 'ue')}
      />${fieldError(p, e, 'email', 'ue')} <label for="un">${t('common.name')}</label
      ><input
        id="un"
        name="name"
        type="text"
        value="${valueOf(form, 'name')}"
        ${fieldAria(e, 'name', 'un')}
      />${fieldError(p, e, 'name', 'un')} <label for="up">${t('login.password')}</label
      ><input
        id="up"
        name="password"
        type="password"
        minlength="10"
        required
        autocomplete="new-password"
        ${fieldAria(e, 'password', 'up')}
      />${fieldError(p, e, 'password', 'up')} <label for="ur">${t('users.role')}</label
      ><select id="ur" name="role" ${fieldAria(e, 'role', 'ur')}>
        <option value="member" ${role === 'member' ? 'selected' : ''}>${t('role.member')}</option>
        <option value="admin" ${role === 'admin' ? 'selected' : ''}>${t('role.admin')}</option></select
      >${fieldError(p, e, 'role', 'ur')}
      <p><button type="submit">${t('common.create')}</button></p>
    </form>`;
}

/** Personal API tokens: list, issue (shown once), revoke. */
export function apiTokensView(
  p: PageContext,
  input: { tokens: Array<AdminApiToken & { userEmail: string }>; users: AdminUser[]; issued?: string; form?: FormState },
): Html {
  const { t } = p;
  const form = input.form ?? EMPTY_FORM;
  return html`${
      input.issued
        ? html`<div class="warn">
            <b>${t('tokens.once')}</b> <span class="mono" id="api-token" data-testid="api-token">${input.issued}</span>
            <button type="button" data-copy="#api-token" data-copied="${t('common.copied')}">${t('common.copy')}</button>
          </div>`
        : ''
    }
    <table>
      <tr>
        <th>${t('common.name')}</th>
        <th>${t('tokens.user')}</th>
        <th>${t('token.hint')}</th>
        <th>${t('token.created')}</th>
        <th>${t('token.lastUsed')}</th>
        <th>${t('token.revoked')}</th>
        <th></th>
      </tr>
      ${input.tokens.map(
        (k) =>
          html`<tr>
            <td>${k.name}</td>
            <td>${k.userEmail}</td>
            <td class="mono">${k.hint}</td>
            <td>${fmtDate(k.createdAt)}</td>
            <td>${fmtDate(k.lastUsedAt)}</td>
            <td>${fmtDate(k.revokedAt)}</td>
            <td>
              ${k.revokedAt ? '' : html`<form method="post" action="/api-tokens/${k.id}/revoke" data-confirm="${t('confirm.revokeApiToken')}">${csrfField(p)}<button class="danger" type="submit">${t('token.revoke')}</button></form>`}
            </td>
          </tr>`,
      )}
    </table>
    <form method="post" action="/api-tokens" class="card inline">
      ${csrfField(p)} ${nameField(p, { id: 'tn', label: 'common.name', form })}
      <div>
        <label for="tu">${t('tokens.user')}</label
        ><select id="tu" name="userId">
          ${input.users.map((u) => html`<option value="${u.id}" ${form.values.userId === u.id ? 'selected' : ''}>${u.email}</option>`)}
        </select>
      </div>
      <div><button type="submit">${t('tokens.new')}</button></div>
    </form>`;
}
