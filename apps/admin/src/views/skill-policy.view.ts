import type { MessageKey } from '../i18n/messages';
import { POLICY_LANGUAGES, rowsOf, type PolicyValues } from '../services/skill-policy-form';
import { fieldAria, fieldError, type FieldErrors } from './form-field';
import { html, type Html } from './html';
import { csrfField, type PageContext } from './layout';

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * The skill's policy as a form: one labelled field per setting of the policy schema, drawn from
 * `values` (the stored policy, or what was typed when a save failed) with each error beside its field.
 */
export function policyFormView(p: PageContext, skillId: string, values: PolicyValues, errors: FieldErrors = {}): Html {
  const { t } = p;
  const id = (name: string) => `pf-${name.replace(/\./g, '-')}`;
  const one = (name: string) => {
    const v = values[name];
    return Array.isArray(v) ? (v[v.length - 1] ?? '') : (v ?? '');
  };
  const checked = (name: string) => (one(name) === '1' ? 'checked' : '');
  const err = (name: string) => fieldError(p, errors, name, id(name));
  const aria = (name: string) => fieldAria(errors, name, id(name));
  const text = (name: string, label: string, extra: { hint?: string; type?: string; attrs?: Html } = {}) =>
    html`<div class="field">
      <label for="${id(name)}">${label}</label
      ><input id="${id(name)}" name="${name}" type="${extra.type ?? 'text'}" value="${one(name)}" ${aria(name)}${extra.attrs ?? ''} />
      ${extra.hint ? html`<span class="muted">${extra.hint}</span>` : ''} ${err(name)}
    </div>`;
  const area = (name: string, label: string, hint?: string, rows = 3) =>
    html`<div class="field">
      <label for="${id(name)}">${label}</label
      ><textarea id="${id(name)}" name="${name}" rows="${rows}" ${aria(name)}>${one(name)}</textarea>
      ${hint ? html`<span class="muted">${hint}</span>` : ''} ${err(name)}
    </div>`;
  const box = (name: string, label: string) =>
    html`<div class="field">
      <label><input type="checkbox" name="${name}" value="1" ${checked(name)} /> ${label}</label>
    </div>`;
  const localised = (prefix: string, label: MessageKey) =>
    html`<fieldset>
      <legend>${t(label)}</legend>
      ${POLICY_LANGUAGES.map((lang) => area(`${prefix}.${lang}`, t(`policy.lang.${lang}`), undefined, 2))}
    </fieldset>`;
  // Every row already there, and one spare row to add a new one (unless the last row is still blank).
  const withSpare = (prefix: string) => {
    const rows = rowsOf(values, prefix);
    const last = rows[rows.length - 1];
    const blank = last !== undefined && Object.keys(values).every((k) => !k.startsWith(`${prefix}.${last}.`) || one(k).trim() === '');
    return blank ? rows : [...rows, (last ?? -1) + 1];
  };
  const topics = (prefix: 'topics' | 'blockedTopics', label: MessageKey, hint: MessageKey) =>
    html`<fieldset data-testid="policy-${prefix}">
      <legend>${t(label)}</legend>
      <p class="muted">${t(hint)}</p>
      ${withSpare(prefix).map(
        (i) =>
          html`<div class="policy-row">
            ${text(`${prefix}.${i}.id`, t('policy.topicId'))} ${text(`${prefix}.${i}.name`, t('common.name'))}
            ${text(`${prefix}.${i}.keywords`, t('policy.keywords'))} ${area(`${prefix}.${i}.examples`, t('policy.examples'), undefined, 2)}
          </div>`,
      )}
    </fieldset>`;
  const days = (values['workingHours.days'] === undefined ? [] : ([] as string[]).concat(values['workingHours.days'])).map(String);
  return html`<form method="post" action="/settings/skills/${skillId}/policy" data-testid="policy-form" novalidate>
    ${csrfField(p)} ${errors._form ? html`<p class="field-error" role="alert">${t(errors._form)}</p>` : ''}
    <fieldset>
      <legend>${t('policy.answering')}</legend>
      ${text('confidenceThreshold', t('policy.threshold'), {
        hint: t('policy.thresholdHint'),
        type: 'number',
        attrs: html` min="0" max="1" step="0.01" inputmode="decimal"`,
      })}
      ${text('maxBotReplies', t('policy.maxBotReplies'), { type: 'number', attrs: html` min="0" step="1" inputmode="numeric"` })}
      <div class="field">
        <label for="${id('answerMode')}">${t('policy.answerMode')}</label
        ><select id="${id('answerMode')}" name="answerMode" ${aria('answerMode')}>
          <option value="extractive" ${one('answerMode') === 'extractive' ? 'selected' : ''}>${t('policy.mode.extractive')}</option>
          <option value="llm" ${one('answerMode') === 'llm' ? 'selected' : ''}>${t('policy.mode.llm')}</option>
        </select>
        ${err('answerMode')}
      </div>
      ${box('handoffOnNegativeTone', t('policy.handoffOnNegativeTone'))} ${box('clarifyOnAmbiguity', t('policy.clarifyOnAmbiguity'))}
    </fieldset>
    ${localised('greeting', 'policy.greeting')} ${localised('signoff', 'policy.signoff')}
    <fieldset>
      <legend>${t('policy.workingHours')}</legend>
      ${box('workingHours.enabled', t('policy.workingHoursOn'))}
      ${text('workingHours.timezone', t('policy.timezone'), { attrs: html` placeholder="Europe/Moscow"` })}
      <div class="field" role="group" aria-labelledby="${id('workingHours.days')}-label" ${aria('workingHours.days')}>
        <span id="${id('workingHours.days')}-label">${t('policy.days')}</span>
        ${DAYS.map(
          (d) =>
            html`<label class="inl"
              ><input type="checkbox" name="workingHours.days" value="${d}" ${days.includes(String(d)) ? 'checked' : ''} />
              ${t(`policy.day.${d}`)}</label
            >`,
        )}
        ${err('workingHours.days')}
      </div>
      ${text('workingHours.from', t('policy.from'), { attrs: html` placeholder="09:00"` })}
      ${text('workingHours.to', t('policy.to'), { attrs: html` placeholder="18:00"` })}
    </fieldset>
    ${topics('topics', 'policy.topics', 'policy.topicsHint')} ${topics('blockedTopics', 'policy.blockedTopics', 'policy.blockedTopicsHint')}
    <fieldset>
      <legend>${t('policy.synonyms')}</legend>
      ${area('synonyms', t('policy.synonyms'), t('policy.synonymsHint'), 4)}
    </fieldset>
    <fieldset data-testid="policy-handoffMessages">
      <legend>${t('policy.handoffMessages')}</legend>
      <p class="muted">${t('policy.handoffMessagesHint')}</p>
      ${withSpare('handoffMessages').map(
        (i) =>
          html`<div class="policy-row">
            ${text(`handoffMessages.${i}.code`, t('policy.reasonCode'))}
            ${POLICY_LANGUAGES.map((lang) => area(`handoffMessages.${i}.${lang}`, t(`policy.lang.${lang}`), undefined, 2))}
          </div>`,
      )}
    </fieldset>
    <p><button type="submit">${t('common.save')}</button></p>
  </form>`;
}
