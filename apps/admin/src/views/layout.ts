import type { AdminUser } from '@repo/store';
import type { Locale } from '../i18n/messages';
import type { Translate } from '../i18n/translate';
import { html, raw, type Html } from './html';

/** What every page needs to draw its frame. */
export type PageContext = { t: Translate; locale: Locale; user?: AdminUser; operator?: boolean; csrf?: string; path?: string };

/** A flash message shown above the content. */
export type Flash = { kind: 'ok' | 'error'; text: string } | undefined;

/** A hidden CSRF field for forms. */
export function csrfField(p: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${p.csrf ?? ''}" />`;
}

function nav(p: PageContext): Html {
  const { t, user } = p;
  if (!user) return html``;
  const link = (href: string, label: string) => html`<a href="${href}" class="${p.path?.startsWith(href) ? 'active' : ''}">${label}</a>`;
  const admin = user.role === 'admin';
  return html`${link('/overview', t('nav.overview'))} ${link('/dialogs', t('nav.dialogs'))} ${link('/settings', t('nav.settings'))}
  ${admin ? html`${link('/integrations', t('nav.integrations'))} ${link('/users', t('nav.users'))} ${link('/api-tokens', t('nav.tokens'))}` : ''}
  ${p.operator ? html`<a href="/admin/queues">${t('nav.queues')}</a>` : ''} ${link('/api-docs', t('nav.api'))}`;
}

/** The page frame: header with navigation and locale switch, flash, content. */
export function layout(p: PageContext, title: string, content: Html, flash?: Flash): string {
  const { t, locale, user } = p;
  const back = encodeURIComponent(p.path ?? '/');
  const switcher = html`<a href="/locale?l=${locale === 'ru' ? 'en' : 'ru'}&amp;back=${raw(back)}" data-testid="locale-switch"
    >${locale === 'ru' ? 'English' : 'Русский'}</a
  >`;
  return html`<!doctype html>
    <html lang="${locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${t('app.title')}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/app.js" defer></script>
      </head>
      <body>
        <header>
          <span class="brand">${t('app.title')}</span>${nav(p)}<span class="spacer"></span>${switcher}
          ${
            user
              ? html`<a class="muted" href="/account">${user.email}</a>
                  <form method="post" action="/logout">${csrfField(p)}<button type="submit">${t('nav.logout')}</button></form>`
              : ''
          }
        </header>
        <main>
          ${flash ? html`<div class="flash ${flash.kind}" role="status">${flash.text}</div>` : ''}
          <h1>${title}</h1>
          ${content}
        </main>
      </body>
    </html>`.value;
}
