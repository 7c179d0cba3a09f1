import { HdeApiError } from '@repo/hde-client';
import { createLogger } from '@repo/logger';
import type { Dialog, DialogMessage, Integration, IntakeRecord } from '@repo/store';
import { createPostAuthors } from '../hde/post-author';
import { createSweepIntegrationHandler } from './sweep-integration.processor';

// Integrations whose HDE rule sends no post_id: the webhook's event id (text and date based) and the
// sweep's (from the API's post) differ for one post. The sweep must recognise a post the dialog
// already holds from its webhook — same ticket, same author, same normalised text, close in time —
// and not store it as a second message to be answered again.
describe('sweep and a post its webhook already brought (rule without post_id)', () => {
  const logger = createLogger({ service: 'test', silent: true });
  const ctx = { logger, jobId: 'j', attemptsMade: 0, isLastAttempt: false };
  const now = new Date('2026-03-02T10:30:00Z');
  const postedAt = new Date('2026-03-02T10:00:00Z');
  const integration = { id: '00000000-0000-4000-8000-0000000000aa', enabled: true, settings: {}, rateLimitPerMinute: 100 } as Integration;

  /** Runs one sweep over one ticket whose newest post is `post`, the dialog holding `known`; returns what it stored. */
  async function sweep(
    post: { userId: number; text: string; dateCreated: Date },
    known: Partial<DialogMessage>[],
    heldOnAnotherTicket: (
      integrationId: string,
      post: { ticketId: number; postId: number },
      window: { from: Date; to: Date },
    ) => Promise<boolean> = async () => false,
    options: { goneTicketFirst?: boolean; runs?: number; reads?: { posts: number } } = {},
  ) {
    const submitted: IntakeRecord[] = [];
    // The ticket changed after the webhook was recorded (e.g. an agent's tag), so the sweep looks at its posts.
    const dialog = { id: 1, updatedAt: new Date(postedAt.getTime() + 1000) } as Dialog;
    const ticket = { id: 501, userId: 7, userName: 'Анна', statusId: 'open', dateUpdated: new Date(postedAt.getTime() + 60_000) };
    const handler = createSweepIntegrationHandler({
      integrations: { get: async () => integration },
      ledger: { newestSent: async () => undefined },
      dialogs: {
        getByTicket: async () => dialog,
        recentMessages: async () =>
          known.map(
            (m, i) =>
              ({
                id: i + 1,
                dialogId: 1,
                eventId: `e${'0'.repeat(15)}${i}`,
                authorKind: 'customer',
                authorId: 7,
                text: '',
                html: null,
                postedAt: null,
                status: 'done',
                turnId: null,
                classification: null,
                createdAt: postedAt,
                ...m,
              }) as DialogMessage,
          ),
        stalledDialogs: async () => [],
      },
      intake: {
        submit: async (record) => {
          submitted.push(record);
          return { eventId: record.id, duplicate: false };
        },
      },
      events: {
        newestWebhookHasPostId: async () => false,
        heldOnAnotherTicket,
        anyStored: async () => false,
        ownPostsArrive: async () => true,
      },
      redrive: { unprocessedEvents: async () => [], hasUnprocessed: async () => false },
      authors: createPostAuthors({ ledger: { forDialog: async () => [] } }),
      hde: {
        forIntegration: async () => ({
          listStatuses: async () => [{ id: 'open' }] as never,
          listTickets: async () => {
            // A ticket deleted (or merged away) between the listing and the read of its posts.
            const items = options.goneTicketFirst ? [{ ...ticket, id: 500 }, ticket] : [ticket];
            return { items, pagination: { total: items.length, perPage: 30, currentPage: 1, totalPages: 1 } } as never;
          },
          listPosts: async (ticketId: number) => {
            if (options.reads) options.reads.posts += 1;
            if (ticketId === 500)
              throw new HdeApiError({
                reason: 'ticket_gone',
                retryable: false,
                mayHaveLanded: false,
                method: 'GET',
                endpoint: 'GET /tickets/:id/posts/',
                status: 404,
              });
            return {
              items: [{ id: 9001, ticketId: 501, files: [], dateUpdated: null, ...post }],
              pagination: { total: 1, perPage: 30, currentPage: 1, totalPages: 1 },
            } as never;
          },
          // The ticket's own client is a customer without asking HDE.
          getUser: async () => {
            throw new Error('no user lookup expected');
          },
        }),
      },
      classify: { add: async () => undefined, queue: {} as never },
      turns: { start: async () => undefined },
      lookbackMinutes: 60,
      budgetShare: 1,
      graceMs: 0,
      leaseMs: 60_000,
      now: () => now,
    });
    for (let run = 0; run < (options.runs ?? 1); run += 1) await handler({ integrationId: integration.id }, ctx);
    return submitted;
  }

  it('does not take a customer post days older than the look-back, on a ticket an agent touched (written before the bot was connected)', async () => {
    const daysAgo = new Date(now.getTime() - 3 * 24 * 3600_000);
    expect(await sweep({ userId: 7, text: '<p>Где мой заказ?</p>', dateCreated: daysAgo }, [])).toEqual([]);
    // Within the look-back and its day of slack: taken.
    const hoursAgo = new Date(now.getTime() - 5 * 3600_000);
    expect(await sweep({ userId: 7, text: '<p>Где мой заказ?</p>', dateCreated: hoursAgo }, [])).toHaveLength(1);
  });

  it('passes by a ticket HDE no longer has when it reads its posts, and goes on with the others', async () => {
    const submitted = await sweep({ userId: 7, text: '<p>А доставка?</p>', dateCreated: postedAt }, [], undefined, {
      goneTicketFirst: true,
    });
    expect(submitted.map((r) => r.ticketId)).toEqual([501]);
  });

  it('reads the posts of a ticket whose waiting customer post the dialog holds once per change of the ticket, not on every sweep', async () => {
    // A ticket people answer (or whose bot stays silent) keeps its last customer post unanswered by
    // the bot: known, so nothing to store, and nothing new until the ticket changes.
    const reads = { posts: 0 };
    const submitted = await sweep(
      { userId: 7, text: '<p>Где мой заказ?</p>', dateCreated: postedAt },
      [{ html: 'Где мой заказ?', postedAt }],
      undefined,
      {
        runs: 3,
        reads,
      },
    );
    expect(submitted).toEqual([]);
    expect(reads.posts).toBe(1);
    // A post it stores is read again on the next sweep (its event may not be handled yet).
    const fresh = { posts: 0 };
    expect(
      await sweep({ userId: 7, text: '<p>А доставка?</p>', dateCreated: postedAt }, [], undefined, { runs: 2, reads: fresh }),
    ).toHaveLength(2);
    expect(fresh.posts).toBe(2);
  });

  it('does not store again a post whose webhook brought it as plain text with a trailing newline', async () => {
    const submitted = await sweep({ userId: 7, text: '<p>Где мой   заказ?</p>', dateCreated: postedAt }, [
      { html: 'Где мой заказ?\n', postedAt },
    ]);
    expect(submitted).toEqual([]);
  });

  it('takes the same text as a new message when it is far apart in time or by someone else', async () => {
    const later = new Date(postedAt.getTime() + 25 * 60_000);
    expect(
      await sweep({ userId: 7, text: '<p>Где мой заказ?</p>', dateCreated: later }, [{ html: 'Где мой заказ?\n', postedAt }]),
    ).toHaveLength(1);
    expect(
      await sweep({ userId: 7, text: '<p>Где мой заказ?</p>', dateCreated: postedAt }, [
        { html: 'Где мой заказ?\n', postedAt, authorId: 8 },
      ]),
    ).toHaveLength(1);
  });

  it('takes the very same HTML later than the window for a new message ("да" today is not yesterday\'s "да")', async () => {
    const later = new Date(postedAt.getTime() + 25 * 60_000);
    expect(await sweep({ userId: 7, text: 'да', dateCreated: later }, [{ html: 'да', postedAt }])).toHaveLength(1);
    // Stored without its post's date (a rule without one), recorded late: the same HTML is that post.
    expect(await sweep({ userId: 7, text: 'да', dateCreated: later }, [{ html: 'да' }])).toEqual([]);
  });

  it('does not store a post an agent merged in from another ticket, which the integration holds there', async () => {
    const asked: Array<{ ticketId: number; postId: number; window: { from: Date; to: Date } }> = [];
    const submitted = await sweep({ userId: 7, text: '<p>А доставка?</p>', dateCreated: postedAt }, [], async (_id, post, window) => {
      asked.push({ ticketId: post.ticketId, postId: post.postId, window });
      return true;
    });
    expect(submitted).toEqual([]);
    // Asked by the post's own id, excluding this ticket, in a window around the post's date.
    expect(asked).toEqual([{ ticketId: 501, postId: 9001, window: { from: expect.any(Date), to: expect.any(Date) } }]);
    expect(asked[0]!.window.from.getTime()).toBeLessThan(postedAt.getTime());
    expect(asked[0]!.window.to.getTime()).toBeGreaterThan(postedAt.getTime());
  });

  it('stores a post the dialog does not hold', async () => {
    const submitted = await sweep({ userId: 7, text: '<p>А доставка?</p>', dateCreated: postedAt }, [{ html: 'Где мой заказ?', postedAt }]);
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({ source: 'sweep', ticketId: 501 });
  });
});
