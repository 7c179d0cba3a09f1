import { KB_ACCESS_LEVELS } from '@repo/domain';
import type { settingsView } from '../services/integration-settings.service';
import { HDE_ACCOUNT_LIMIT_PER_MINUTE } from '../services/integration-limits';
import type { AccountLimit } from '../services/account-limit.service';
import type { DirectoryEntry } from '../services/hde-directory.service';
import { fieldError, invalidFlag, type FieldProblem } from './field-problem';
import { html, type Html } from './html';
import type { PageContext } from './layout';

/**
 * The settings form's sections on what the bot spends HDE requests on: the KB sync (on/off, categories,
 * access levels), reading the ticket before a reply, and the account's requests-per-minute limit.
 */
export function syncAndBudgetFields(
  p: PageContext,
  s: ReturnType<typeof settingsView>,
  problem: FieldProblem | undefined,
  account: AccountLimit | undefined,
  kbCategories?: DirectoryEntry[],
): Html {
  const { t } = p;
  const always = s.staleAfterMs === 0;
  // A stored 0 shows the default to type when switching to "trust": ten minutes.
  const trustSeconds = always ? 600 : Math.round(s.staleAfterMs / 1000);
  return html`<fieldset data-testid="kb-sync-settings">
      <legend>${t('integration.kbSync')}</legend>
      <label
        ><input type="checkbox" name="kbSyncEnabled" value="1" ${s.kbSyncEnabled ? 'checked' : ''} data-testid="kb-sync-enabled" />
        ${t('integration.kbSyncEnabled')}</label
      >
      <p class="muted">${t('integration.kbSyncHint')}</p>
      <label for="kbcat">${t('integration.kbSyncCategoryIds')}</label
      ><input
        id="kbcat"
        name="kbSyncCategoryIds"
        type="text"
        value="${s.kbSyncCategoryIds.join(', ')}"
        placeholder="3, 7"
        aria-invalid="${invalidFlag(problem, 'kbSyncCategoryIds')}"
        data-testid="kb-sync-categories"
      />
      ${fieldError(problem, 'kbSyncCategoryIds')}
      <p class="muted">${t('integration.kbSyncCategoryHint')}</p>
      ${kbCategoryList(p, kbCategories, s.kbSyncCategoryIds)}
      <p id="kbaccess-label">${t('integration.kbSyncAccess')}</p>
      <div role="group" aria-labelledby="kbaccess-label" aria-invalid="${invalidFlag(problem, 'kbSyncAccess')}">
        ${KB_ACCESS_LEVELS.map(
          (level) =>
            html`<label
              ><input
                type="checkbox"
                name="kbSyncAccess"
                value="${level}"
                ${s.kbSyncAccess.includes(level) ? 'checked' : ''}
                data-testid="kb-sync-access-${level}"
              />
              ${t(`integration.kbAccess.${level}`)}</label
            >`,
        )}
      </div>
      ${fieldError(problem, 'kbSyncAccess')}
      <p class="muted">${t('integration.kbSyncAccessHint')}</p>
    </fieldset>
    <fieldset data-testid="hde-requests-settings">
      <legend>${t('integration.hdeRequests')}</legend>
      <label
        ><input type="radio" name="ticketRead" value="trust" ${always ? '' : 'checked'} data-testid="ticket-read-trust" />
        ${t('integration.ticketReadTrust')}</label
      >
      <label
        ><input type="radio" name="ticketRead" value="always" ${always ? 'checked' : ''} data-testid="ticket-read-always" />
        ${t('integration.ticketReadAlways')}</label
      >
      <label for="trust">${t('integration.trustSeconds')}</label
      ><input
        id="trust"
        name="trustSeconds"
        type="number"
        min="1"
        max="86400"
        value="${trustSeconds}"
        aria-invalid="${invalidFlag(problem, 'staleAfterMs')}"
        data-testid="trust-seconds"
      />
      ${fieldError(problem, 'staleAfterMs')}
      <p class="muted">${t('integration.ticketReadHint')}</p>
      <label for="rpm">${t('integration.rateLimit')}</label
      ><input
        id="rpm"
        name="rateLimitPerMinute"
        type="number"
        min="1"
        max="${Math.max(HDE_ACCOUNT_LIMIT_PER_MINUTE, s.rateLimitPerMinute)}"
        required
        value="${s.rateLimitPerMinute}"
        aria-invalid="${invalidFlag(problem, 'rateLimitPerMinute')}"
        data-testid="rate-limit"
      />
      ${fieldError(problem, 'rateLimitPerMinute')}
      <p class="warn">${t('integration.rateLimitWarning', { max: HDE_ACCOUNT_LIMIT_PER_MINUTE })}</p>
      ${
        account && account.perMinute < s.rateLimitPerMinute
          ? html`<p class="warn" data-testid="account-limit">
              ${t('integration.rateLimitShared', { limit: account.perMinute, count: account.integrations })}
            </p>`
          : ''
      }
    </fieldset>`;
}

/**
 * The account's KB categories read from HDE, with their ids to type into the field and the ones it
 * names marked: an admin picks categories by name, not by reading ids off HDE's page addresses.
 */
function kbCategoryList(p: PageContext, categories: DirectoryEntry[] | undefined, chosen: readonly number[]): Html | string {
  if (!categories || categories.length === 0) return '';
  return html`<p>${p.t('integration.kbCategoriesInHde')}</p>
    <ul data-testid="kb-categories">
      ${categories.map(
        (c) =>
          html`<li data-category-id="${c.id}">
            <code>${c.id}</code> — ${c.name}${chosen.includes(c.id) ? html` <b>(${p.t('integration.kbCategoryChosen')})</b>` : ''}
          </li>`,
      )}
    </ul>`;
}
