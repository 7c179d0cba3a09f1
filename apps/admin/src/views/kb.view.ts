import type { ProvidersDescription } from '@repo/ai';
import type { KbArticle, ReplyRating, SkillRow } from '@repo/store';
import { codeText } from '../i18n/codes';
import type { Preview } from '../services/preview.service';
import { draftText } from '../services/approve-draft.service';
import type { ArticlePage } from '../services/kb.service';
import { fmtDate, html, qs, type Html } from './html';
import { csrfField, type PageContext } from './layout';
import { EMPTY_FORM, fieldAria, fieldError, valueOf, type FieldErrors, type FormState } from './form-field';

/** Which providers the test box ran with (as the worker runs with the same settings). */
function providersLine(p: PageContext, providers: ProvidersDescription): string {
  const { t } = p;
  const search =
    providers.search === 'hybrid' ? t('kb.testSearchHybrid', { model: providers.embeddingsModel ?? '' }) : t('kb.testSearchLexical');
  const answer = providers.llmModel
    ? t('kb.testAnswerLlm', { model: providers.llmModel, reads: providers.llmReadsRequests ? t('kb.testReadsAll') : '' })
    : t('kb.testAnswerQuote');
  return `${search}. ${answer}.`;
}

/** The test box and its result. */
export function testBoxView(p: PageContext, skillId: string, message: string, preview?: Preview, errors: FieldErrors = {}): Html {
  const { t } = p;
  const d = preview?.decision;
  return html`<form method="post" action="/skills/${skillId}/kb/test" class="card" data-testid="test-box">
    ${csrfField(p)}
    <h2>${t('kb.test')}</h2>
    <label for="tm">${t('kb.testMessage')}</label
    ><textarea id="tm" name="message" rows="3" required${fieldAria(errors, 'message', 'tm')}>${message}</textarea>${fieldError(
      p,
      errors,
      'message',
      'tm',
    )}
    <p><button type="submit">${t('kb.testRun')}</button></p>
    ${
      preview && d
        ? html`<div data-testid="test-result">
            <p>
              <b>${t('dialog.classification')}:</b> ${preview.classification.intent}, ${t('dialog.topic')}:
              ${preview.classification.topic ?? '—'}, ${t('dialog.tone')}: ${preview.classification.tone},
              ${preview.classification.language}
            </p>
            <p class="muted" data-testid="test-providers">${providersLine(p, preview.providers)}</p>
            <p><b>${t('dialog.kbHits')}:</b></p>
            <ul>
              ${preview.hits.map((h) => html`<li><a href="/skills/${skillId}/kb/${h.articleId}">${h.title}</a> — ${(h.score * 100).toFixed(0)}%</li>`)}
            </ul>
            <p>
              <b>${t('dialog.decision')}:</b> <span class="badge ${d.action}">${t(`action.${d.action}`)}</span> · ${t('dialog.reasons')}:
              <span data-testid="test-reasons">${d.reasons.map((r) => codeText(p.locale, 'reason', r)).join('; ')}</span>
            </p>
            ${
              d.replyHtml
                ? html`<p><b>${t('dialog.reply')}:</b></p>
                    <pre>${draftText(d.replyHtml)}</pre>`
                : ''
            }
          </div>`
        : ''
    }
  </form>`;
}

/** A skill's knowledge base: search, list, new article, import, test box. */
export function kbListView(
  p: PageContext,
  input: {
    skill: SkillRow;
    query: string;
    canEdit: boolean;
    testBox: Html;
  } & ArticlePage,
): Html {
  const { t } = p;
  const s = input.skill;
  const num = new Intl.NumberFormat(p.locale === 'ru' ? 'ru-RU' : 'en-US');
  const first = input.total === 0 ? 0 : (input.page - 1) * input.pageSize + 1;
  const last = Math.min(input.total, input.page * input.pageSize);
  const link = (page: number) => `/skills/${s.id}/kb${qs({ q: input.query, page: page > 1 ? page : undefined })}`;
  const pager = html`<div class="pager" data-testid="kb-pager">
    ${input.page > 1 ? html`<a href="${link(input.page - 1)}" rel="prev" data-testid="kb-prev">${t('common.prev')}</a>` : ''}
    <span class="muted" data-testid="kb-showing"
      >${t('kb.showing', { first: num.format(first), last: num.format(last), total: num.format(input.total) })}</span
    >
    ${last < input.total ? html`<a href="${link(input.page + 1)}" rel="next" data-testid="kb-next">${t('common.next')}</a>` : ''}
  </div>`;
  return html`<p><a href="/settings/skills/${s.id}">← ${s.name}</a></p>
    ${input.testBox}
    <form method="get" action="/skills/${s.id}/kb" class="card inline">
      <div><input name="q" type="text" value="${input.query}" aria-label="${t('common.search')}" /></div>
      <div><button type="submit">${t('common.search')}</button></div>
    </form>
    <table>
      <tr>
        <th>${t('kb.articleTitle')}</th>
        <th>${t('kb.source')}</th>
        <th>${t('dialogs.updated')}</th>
      </tr>
      ${input.articles.map(
        (a) =>
          html`<tr>
            <td><a href="/skills/${s.id}/kb/${a.id}">${a.title}</a></td>
            <td>${codeText(p.locale, 'kbSource', a.source)}</td>
            <td>${fmtDate(a.updatedAt)}</td>
          </tr>`,
      )}
    </table>
    ${pager}
    ${
      input.canEdit
        ? html`<p><a class="button" href="/skills/${s.id}/kb/new">${t('kb.newArticle')}</a></p>
            <form method="post" action="/skills/${s.id}/kb/import" class="card">
              ${csrfField(p)}<label for="imp">${t('kb.import')}</label>
              <p>
                <input type="file" accept=".json,.jsonl,.csv,.md,.txt" data-file-into="#imp" aria-label="${t('kb.importFile')}" /><input
                  type="hidden"
                  name="fileName"
                  value=""
                />
              </p>
              <textarea id="imp" name="articles" rows="5" class="mono" placeholder='[{"title":"…","body":"…"}]'></textarea>
              <p><button type="submit">${t('common.save')}</button></p>
            </form>
            <form method="post" action="/skills/${s.id}/kb/sync" class="card">
              ${csrfField(p)}
              <p class="muted">${t('kb.syncHint')}</p>
              <p><button type="submit">${t('kb.sync')}</button></p>
            </form>`
        : ''
    }`;
}

/** One article. */
export function articleView(p: PageContext, skill: SkillRow, a: KbArticle, canEdit: boolean, answered: readonly string[] = []): Html {
  const { t } = p;
  return html`<p><a href="/skills/${skill.id}/kb">← ${t('kb.title')}</a></p>
    <div class="card">
      <p class="muted">
        ${codeText(p.locale, 'kbSource', a.source)} · ${a.externalId} · ${a.tags.join(', ')} · ${fmtDate(a.updatedAt)}
        ${a.url ? html`· <a href="${a.url}" rel="noopener noreferrer">${a.url}</a>` : ''}
      </p>
      <pre>${a.body}</pre>
    </div>
    ${
      answered.length > 0
        ? html`<div class="card" data-testid="answered-questions">
            <h2>${t('kb.answeredTitle')}</h2>
            <p class="muted">${t('kb.answeredHint', { count: answered.length })}</p>
            <ul>
              ${answered.map((q) => html`<li>${q}</li>`)}
            </ul>
          </div>`
        : ''
    }
    ${
      canEdit
        ? html`<p><a class="button" href="/skills/${skill.id}/kb/${a.id}/edit">${t('kb.edit')}</a></p>
            <form method="post" action="/skills/${skill.id}/kb/${a.id}/delete" data-confirm="${t('confirm.deleteArticle')}">
              ${csrfField(p)}<button class="danger" type="submit">${t('common.delete')}</button>
            </form>`
        : ''
    }`;
}

/** The article editor (new or existing); after a failed save, what was typed and the errors beside the fields. */
export function articleFormView(p: PageContext, skill: SkillRow, a?: KbArticle, form: FormState = EMPTY_FORM): Html {
  const { t } = p;
  const e = form.errors;
  return html`<form method="post" action="/skills/${skill.id}/kb${a ? `/${a.id}` : ''}" class="card" data-testid="article-form">
    ${csrfField(p)} <label for="title">${t('kb.articleTitle')}</label
    ><input
      id="title"
      name="title"
      type="text"
      required
      value="${valueOf(form, 'title', a?.title)}"
      ${fieldAria(e, 'title', 'title')}
    />${fieldError(p, e, 'title', 'title')} <label for="body">${t('kb.body')}</label
    ><textarea id="body" name="body" rows="16" required${fieldAria(e, 'body', 'body')}>${valueOf(form, 'body', a?.body)}</textarea
    >${fieldError(p, e, 'body', 'body')} <label for="tags">${t('kb.tags')}</label
    ><input
      id="tags"
      name="tags"
      type="text"
      value="${valueOf(form, 'tags', a?.tags.join(', '))}"
      ${fieldAria(e, 'tags', 'tags')}
    />${fieldError(p, e, 'tags', 'tags')}
    <p><button type="submit">${t('common.save')}</button></p>
  </form>`;
}

/** Ratings of a skill's replies, for its owners. */
export function ratingsView(p: PageContext, skill: SkillRow, ratings: Array<ReplyRating & { ticketId: number }>): Html {
  const { t } = p;
  return html`<p><a href="/settings/skills/${skill.id}">← ${skill.name}</a></p>
    <table>
      <tr>
        <th>${t('dialogs.ticket')}</th>
        <th>${t('dialog.ratings')}</th>
        <th>${t('dialog.badReason')}</th>
        <th>${t('tokens.user')}</th>
        <th>${t('dialogs.updated')}</th>
      </tr>
      ${ratings.map(
        (r) =>
          html`<tr>
            <td><a href="/dialogs/${r.dialogId}">#${r.ticketId}</a></td>
            <td>${r.rating === 'good' ? t('dialog.good') : t('dialog.bad')}</td>
            <td>${r.reason ?? ''}</td>
            <td>${r.userEmail}</td>
            <td>${fmtDate(r.createdAt)}</td>
          </tr>`,
      )}
    </table>`;
}
