import { DECISION_REASONS } from '@repo/domain';
import type { Integration, OverviewStats } from '@repo/store';
import { codeText } from '../src/i18n/codes';
import { LOCALES } from '../src/i18n/messages';
import { translator } from '../src/i18n/translate';
import type { DialogDetail } from '../src/services/dialog-detail.service';
import { dialogListView, dialogView } from '../src/views/dialogs.view';
import { handoffProblem, overviewView } from '../src/views/overview.view';

const at = new Date('2026-11-20T10:00:00Z');

/** A dialog whose answer could not be posted: the customer message failed, the reply send failed. */
function failedDetail(): DialogDetail {
  return {
    dialog: {
      id: 7,
      integrationId: 'i1',
      ticketId: 42,
      customerId: 5,
      customerName: 'Анна',
      statusId: 'open',
      state: 'handed_off',
      handoffReason: 'low_confidence',
    },
    integration: { id: 'i1', name: 'Магазин', replyMode: 'public', hdeBaseUrl: 'https://shop.helpdeskeddy.com' },
    hdeUrl: 'https://shop.helpdeskeddy.com/ru/ticket/list/filter/id/1/ticket/42',
    messages: [
      {
        id: 1,
        dialogId: 7,
        eventId: 'e1',
        authorKind: 'customer',
        authorId: 5,
        text: 'Как оплатить картой?',
        html: null,
        postedAt: at,
        status: 'failed',
        turnId: 't1',
        classification: null,
        createdAt: at,
      },
    ],
    decisions: [
      {
        id: 1,
        dialogId: 7,
        turnId: 't1',
        messageIds: [1],
        stage: 'failed',
        action: 'answer',
        reasons: ['kb_confident', 'low_confidence', 'operator_requested'],
        confidence: 0.42,
        classification: { intent: 'operator_request', intentConfidence: 0.9, language: 'ru', tone: 'negative', cleanText: 'x' },
        kbHits: [],
        replyHtml: '<p>Оплатить можно картой.</p>',
        citations: [1],
        result: { error: 'HDE answered 500' },
        replyMode: 'public',
        createdAt: at,
      },
    ],
    ledger: [
      {
        id: 1,
        actionKey: 'reply-t1',
        kind: 'reply',
        state: 'failed',
        attempts: 3,
        hdeRef: null,
        error: 'HTTP 500',
        startedAt: at,
        finishedAt: at,
      },
      {
        id: 2,
        actionKey: 'summary-t1',
        kind: 'note',
        state: 'quarantined',
        attempts: 5,
        hdeRef: null,
        error: null,
        startedAt: at,
        finishedAt: at,
      },
    ],
    ratings: [],
    authorNames: {},
    assignees: {},
    timeZone: 'Asia/Yekaterinburg',
    confidenceThreshold: 0.3,
    page: { olderBefore: null, newest: true },
    holderActions: ['take_over'],
    holderChanges: [],
  } as unknown as DialogDetail;
}

const RAW_CODES = [...DECISION_REASONS, 'operator_request', 'quarantined', 'reply-t1', 'summary-t1', 'stage: failed'];

describe('the dialog page in words', () => {
  it.each(LOCALES)('shows a failed send as failed, with no raw codes (%s)', (locale) => {
    const page = dialogView({ t: translator(locale), locale }, failedDetail()).value;
    const text = page.replace(/<[^>]+>/g, ' ');
    for (const code of RAW_CODES) expect(text).not.toContain(code);
    expect(page).toContain('data-testid="turn-failed"');
    expect(page).toContain('data-testid="message-failed"');
    if (locale === 'ru') {
      expect(text).toContain('Не нашёл уверенного ответа в базе знаний');
      expect(text).toContain('уверенность 42% при пороге ответа 30%');
      expect(text).toContain('Ответ бота не дошёл до клиента');
    } else {
      expect(text).toContain('No confident answer in the knowledge base');
      expect(text).toContain('confidence 42% against the answer threshold of 30%');
      expect(text).toContain('did not reach the customer');
    }
  });

  it('shows every time in the HDE account’s zone, labelled with it', () => {
    const page = dialogView({ t: translator('en'), locale: 'en' }, failedDetail()).value;
    expect(page).toContain('2026-11-20 15:00 (Asia/Yekaterinburg)');
    expect(page).toContain('Times are in Asia/Yekaterinburg.');
    expect(page).toContain('Customer: <span data-testid="author-name">Анна</span>');
  });

  it('has words for every decision reason in both languages', () => {
    for (const locale of LOCALES) for (const reason of DECISION_REASONS) expect(codeText(locale, 'reason', reason)).not.toContain('_');
  });
});

describe('the overview', () => {
  const integration = {
    id: 'i1',
    name: 'Магазин',
    settings: {},
    handoffAgentId: null,
    handoffDepartmentId: null,
  } as unknown as Integration;
  const stats: OverviewStats = {
    messages: 10,
    turns: 5,
    answered: 2,
    failedTurns: 1,
    failedMessages: 1,
    handedOff: 2,
    silent: 0,
    clarified: 0,
    handoffByReason: [{ reason: 'low_confidence', count: 2 }],
    dialogs: 5,
    resolvedWithoutHuman: 1,
    goodRatings: 0,
    badRatings: 0,
    failedSends: 1,
    quarantinedSends: 0,
    perDay: [{ day: '2026-11-20', messages: 10, answered: 2, handedOff: 2 }],
  };

  it('warns that hand-offs go to nobody when the default target has no agent', () => {
    expect(handoffProblem(integration)).toBe('overview.handoffUnassigned');
    expect(handoffProblem({ ...integration, handoffAgentId: 12 })).toBeUndefined();
    const page = overviewView(
      { t: translator('en'), locale: 'en' },
      { integrations: [integration], integration, days: 7, stats, queues: [] },
    ).value;
    expect(page).toContain('Hand-offs are not assigned to anyone');
    expect(page).toContain('data-testid="chart-legend"');
    expect(page).toContain('No confident answer in the knowledge base');
    expect(page).not.toContain('low_confidence');
  });
});

describe('an empty app says what to do first', () => {
  it('gives admins the first steps and members the reason they see nothing', () => {
    const admin = { role: 'admin' } as never;
    const member = { role: 'member' } as never;
    const filter = { page: 1, perPage: 25 };
    const forAdmin = dialogListView(
      { t: translator('ru'), locale: 'ru', user: admin },
      { integrations: [], filter, rows: [], total: 0, page: 1, perPage: 25 },
    ).value;
    expect(forAdmin).toContain('С чего начать');
    expect(forAdmin).toContain('href="/settings"');
    const forMember = overviewView({ t: translator('en'), locale: 'en', user: member }, { integrations: [], days: 7, queues: [] }).value;
    expect(forMember).toContain('No integration is shared with you yet');
  });
});
