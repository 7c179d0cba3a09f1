import type { AdminUser, ConsultantRow, Integration, SkillListRow, SkillRow } from '@repo/store';
import { html, type Html } from './html';
import { csrfField, type PageContext } from './layout';
import type { PolicyValues } from '../services/skill-policy-form';
import { EMPTY_FORM, nameField, valueOf, type FieldErrors, type FormState } from './form-field';
import { policyFormView } from './skill-policy.view';

/** Settings → consultants; after a failed create, the name typed and its error. */
export function consultantsView(p: PageContext, consultants: ConsultantRow[], form: FormState = EMPTY_FORM): Html {
  const { t } = p;
  const admin = p.user?.role === 'admin';
  return html`<div class="card">
    <h2>${t('settings.consultants')}</h2>
    ${consultants.length === 0 ? html`<p class="muted">${t('common.none')}</p>` : ''}
    <table>
      <tr>
        <th>${t('common.name')}</th>
        <th>${t('settings.skills')}</th>
      </tr>
      ${consultants.map(
        (c) =>
          html`<tr>
            <td><a href="/settings/consultants/${c.id}">${c.name}</a></td>
            <td>${c.skills}</td>
          </tr>`,
      )}
    </table>
    ${
      admin
        ? html`<form method="post" action="/settings/consultants" class="inline">
            ${csrfField(p)} ${nameField(p, { id: 'cname', label: 'settings.newConsultant', form })}
            <div><button type="submit">${t('common.create')}</button></div>
          </form>`
        : ''
    }
  </div>`;
}

/** Settings → a consultant → skills; after a failed create, what was typed and the error. */
export function consultantView(p: PageContext, consultant: ConsultantRow, skills: SkillListRow[], form: FormState = EMPTY_FORM): Html {
  const { t } = p;
  const language = valueOf(form, 'language', 'ru');
  const admin = p.user?.role === 'admin';
  return html`<p><a href="/settings">← ${t('settings.consultants')}</a></p>
    <div class="card">
      <h2>${t('settings.skills')}</h2>
      <table>
        <tr>
          <th>${t('common.name')}</th>
          <th>${t('settings.language')}</th>
          <th>${t('settings.integrations')}</th>
          <th>${t('settings.articles')}</th>
        </tr>
        ${skills.map(
          (s) =>
            html`<tr>
              <td><a href="/settings/skills/${s.id}">${s.name}</a></td>
              <td>${s.language}</td>
              <td>${s.integrations}</td>
              <td>${s.articles}</td>
            </tr>`,
        )}
      </table>
      ${
        admin
          ? html`<form method="post" action="/settings/consultants/${consultant.id}/skills" class="inline">
              ${csrfField(p)} ${nameField(p, { id: 'sname', label: 'settings.newSkill', form })}
              <div>
                <label for="slang">${t('settings.language')}</label
                ><select id="slang" name="language">
                  <option value="ru" ${language === 'ru' ? 'selected' : ''}>ru</option>
                  <option value="en" ${language === 'en' ? 'selected' : ''}>en</option>
                </select>
              </div>
              <div><button type="submit">${t('common.create')}</button></div>
            </form>`
          : ''
      }
    </div>`;
}

/** Settings → a skill: integrations, knowledge base, owners, policy. */
export function skillView(
  p: PageContext,
  input: {
    skill: SkillRow;
    integrations: Integration[];
    owners: Array<{ userId: string; email: string }>;
    users: AdminUser[];
    isOwner: boolean;
    /** The policy form: the stored policy, or what was typed and what is wrong with it. */
    policy: { values: PolicyValues; errors: FieldErrors };
  },
): Html {
  const { t } = p;
  const admin = p.user?.role === 'admin';
  const { skill } = input;
  return html`<p><a href="/settings/consultants/${skill.consultantId}">← ${t('settings.skills')}</a></p>
    <div class="card">
      <h2>${t('settings.integrations')}</h2>
      <table>
        <tr>
          <th>${t('common.name')}</th>
          <th>HDE</th>
          <th>${t('integration.replyMode')}</th>
          <th></th>
        </tr>
        ${input.integrations.map(
          (i) =>
            html`<tr>
              <td>${admin ? html`<a href="/integrations/${i.id}">${i.name}</a>` : i.name}</td>
              <td class="mono">${i.hdeBaseUrl}</td>
              <td>${t(`integration.mode.${i.replyMode}`)}</td>
              <td>
                <a href="/dialogs?integration=${i.id}">${t('nav.dialogs')}</a> ·
                <a href="/overview?integration=${i.id}">${t('nav.overview')}</a>
              </td>
            </tr>`,
        )}
      </table>
      ${admin ? html`<p><a class="button" href="/settings/skills/${skill.id}/integrations/new" data-testid="add-integration">${t('skill.addIntegration')}</a></p>` : ''}
    </div>
    <div class="card">
      <h2>${t('skill.kb')}</h2>
      <p>
        <a href="/skills/${skill.id}/kb">${t('skill.kb')}</a>
        ${input.isOwner ? html` · <a href="/skills/${skill.id}/ratings">${t('skill.ratings')}</a>` : ''}
      </p>
    </div>
    <div class="card">
      <h2>${t('skill.owners')}</h2>
      <ul>
        ${input.owners.map(
          (o) =>
            html`<li>
              ${o.email}
              ${admin ? html`<form method="post" action="/settings/skills/${skill.id}/owners" class="inl">${csrfField(p)}<input type="hidden" name="userId" value="${o.userId}" /><input type="hidden" name="owner" value="0" /><button class="secondary" type="submit">${t('integration.revokeAccess')}</button></form>` : ''}
            </li>`,
        )}
      </ul>
      ${
        admin
          ? html`<form method="post" action="/settings/skills/${skill.id}/owners" class="inline">
              ${csrfField(p)}<input type="hidden" name="owner" value="1" />
              <div>
                <select name="userId">
                  ${input.users.map((u) => html`<option value="${u.id}">${u.email}</option>`)}
                </select>
              </div>
              <div><button type="submit">${t('common.save')}</button></div>
            </form>`
          : ''
      }
    </div>
    ${
      admin
        ? html`<div class="card" id="policy">
            <h2>${t('skill.policy')}</h2>
            ${policyFormView(p, skill.id, input.policy.values, input.policy.errors)}
          </div>`
        : ''
    }`;
}
