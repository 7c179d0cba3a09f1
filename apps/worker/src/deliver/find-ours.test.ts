import type { LedgerEntry } from '@repo/store';
import { findOurs } from './hde-actions';

describe('findOurs (reconciling a send whose answer was lost)', () => {
  const startedAt = new Date('2026-03-01T10:00:00Z');
  const entry: LedgerEntry = {
    id: 1,
    integrationId: 'i',
    dialogId: 1,
    ticketId: 7,
    actionKey: 'reply-1',
    turnId: null,
    kind: 'reply',
    state: 'sending',
    request: { text: '<p>Заказ в пути.</p>' },
    marker: null,
    attempts: 1,
    startedAt,
    finishedAt: null,
    hdeRef: null,
    error: null,
  };
  const customer = { id: 10, userId: 4, text: '<p>Где заказ?</p>', dateCreated: new Date('2026-03-01T09:59:00Z') };
  const ours = { id: 11, userId: 2, text: 'Заказ в пути.', dateCreated: new Date('2026-03-01T10:00:01Z') };

  it('finds our post by its text and author', () => {
    expect(findOurs([customer, ours], entry, 2, { total: 2, perPage: 30 }, new Set())).toEqual({ found: true, ref: '11' });
  });

  it('claims absence only when the whole short page could be read', () => {
    expect(findOurs([customer], entry, 2, { total: 1, perPage: 30 }, new Set())).toEqual({ found: false });
  });

  it('D18 unsure when the client skipped an entry it could not read: that entry may be ours, and a resend would post twice', () => {
    expect(findOurs([customer], entry, 2, { total: 2, perPage: 30, skipped: 1 }, new Set())).toEqual({ unsure: true });
  });
});
