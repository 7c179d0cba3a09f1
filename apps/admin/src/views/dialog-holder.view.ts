import { MESSAGES, type MessageKey } from '../i18n/messages';
import { codeText } from '../i18n/codes';
import type { DialogDetail } from '../services/dialog-detail.service';
import { html, type Html } from './html';
import { csrfField, type PageContext } from './layout';
import { zonedTime } from './zoned-time';

/** A message key of the admin app's own words, when it has one. */
function ownKey(key: string): MessageKey | undefined {
  return key in MESSAGES ? (key as MessageKey) : undefined;
}

/** Why a dialog is in its state, in words (the decision words, which hold the holder reasons too). */
export function holderReasonText(p: PageContext, reason: string): string {
  return codeText(p.locale, 'reason', reason);
}

/** The buttons that take a ticket over from the bot or return it to the bot, as its state allows. */
export function holderForms(p: PageContext, detail: DialogDetail): Html | '' {
  const { t } = p;
  const id = detail.dialog.id;
  if (detail.holderActions.includes('take_over')) {
    return html`<form method="post" action="/dialogs/${id}/take-over" class="inline" data-testid="take-over-form">
      ${csrfField(p)}
      <div><button type="submit" class="secondary" data-testid="take-over">${t('dialog.takeOver')}</button></div>
      <div class="muted">${t('dialog.takeOverHint')}</div>
    </form>`;
  }
  if (detail.holderActions.includes('return')) {
    return html`<form method="post" action="/dialogs/${id}/return" class="inline" data-testid="return-form">
      ${csrfField(p)}
      <div><button type="submit" class="secondary" data-testid="return-to-bot">${t('dialog.returnToBot')}</button></div>
      <div class="muted">${t('dialog.returnHint')}</div>
    </form>`;
  }
  return '';
}

/** Who took the ticket over or returned it to the bot, and when, oldest first. */
export function holderHistory(p: PageContext, detail: DialogDetail): Html | '' {
  const { t } = p;
  if (detail.holderChanges.length === 0) return '';
  return html`<div data-testid="holder-history">
    <b>${t('dialog.holderHistory')}:</b>
    <ul>
      ${detail.holderChanges.map((c) => {
        const who = c.by
          ? c.by.name || c.by.email || c.by.id
          : c.reason === 'agent_quiet'
            ? t('dialog.holderBot')
            : t('dialog.holderDeletedUser');
        const key = ownKey(`holder.${c.reason}`);
        const what = key ? t(key) : holderReasonText(p, c.reason);
        return html`<li data-testid="holder-change">
          <time datetime="${c.at.toISOString()}">${zonedTime(c.at, detail.timeZone)}</time> ·
          ${t('dialog.holderBy', { who: who ?? '', what })}
        </li>`;
      })}
    </ul>
  </div>`;
}
