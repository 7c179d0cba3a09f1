import { HdeApiError, type HdePost, type HdeUser } from '@repo/hde-client';
import { createLogger } from '@repo/logger';
import { postEventIdOf } from '@repo/domain';
import type { Dialog, Integration, IntakeRecord, LedgerEntry } from '@repo/store';
import { createPostAuthors } from '../hde/post-author';
import { createSweepIntegrationHandler } from './sweep-integration.processor';

// The sweep judges who wrote a ticket's recent posts as classify does (by HDE user group, cached per
// integration): a contact in copy is a customer, an automation's auto-reply answers nothing, and a
// post a human or the bot answered is not waiting. Every unseen customer post after the last answer
// is taken; the ticket's own client costs no lookup.
describe('sweep: who wrote the posts since the last answer', () => {
  const logger = createLogger({ service: 'test', silent: true });
  const ctx = { logger, jobId: 'j', attemptsMade: 0, isLastAttempt: false };
  const now = new Date('2026-03-02T10:30:00Z');
  const CLIENT = 7;
  const CC = 8;
  const AGENT = 20;
  const BOT = 30;
  const ROBOT = 40;
  const integration = {
    id: '00000000-0000-4000-8000-0000000000ab',
    enabled: true,
    botUserId: BOT,
    settings: { automationUserIds: [ROBOT] },
    rateLimitPerMinute: 100,
  } as unknown as Integration;
  const staff = new Set([AGENT, BOT, ROBOT]);

  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  let nextId = 9000;
  const post = (userId: number | null, text: string, at: Date): HdePost =>
    ({ id: nextId++, ticketId: 501, userId, text, dateCreated: at, dateUpdated: null, files: [] }) as unknown as HdePost;

  /** One sweep over one ticket of the client holding `posts`; returns what it stored and the users it asked HDE about. */
  async function sweep(
    posts: HdePost[],
    options: {
      dialog?: boolean;
      dialogUpdatedAt?: Date;
      sent?: string[];
      authors?: ReturnType<typeof createPostAuthors>;
      graceMs?: number;
      ticketUpdatedAt?: Date;
      /** When the bot's last call in the ticket was recorded as sent. */
      sentAt?: Date;
      /** The bot's posts of its last sends (HDE post id, when recorded sent; default: at `sentAt`). */
      sentPosts?: Array<{ postId: number; at?: Date }>;
      /** The posts whose webhooks are stored (they came back). */
      echoes?: number[];
      /** Whether the integration's rule sends the bot's own posts back (default yes). */
      ownArrive?: boolean;
      /** Sweeps run by one handler, as one worker process runs them. */
      rounds?: number;
    } = {},
  ) {
    let postReads = 0;
    let dialogReads = 0;
    const submitted: IntakeRecord[] = [];
    const asked: number[] = [];
    const dialog = options.dialog === false ? undefined : ({ id: 1, updatedAt: options.dialogUpdatedAt ?? minutesAgo(50) } as Dialog);
    const ticket = { id: 501, userId: CLIENT, userName: 'Анна', statusId: 'open', dateUpdated: options.ticketUpdatedAt ?? minutesAgo(1) };
    const ledger = (options.sent ?? []).map((text) => ({ state: 'sent', hdeRef: null, request: { text } }) as unknown as LedgerEntry);
    const authors = options.authors ?? createPostAuthors({ ledger: { forDialog: async () => ledger } });
    const handler = createSweepIntegrationHandler({
      integrations: { get: async () => integration },
      ledger: {
        newestSent: async () =>
          options.sentAt
            ? { at: options.sentAt, posts: (options.sentPosts ?? []).map((p) => ({ postId: p.postId, at: p.at ?? options.sentAt! })) }
            : undefined,
      },
      dialogs: {
        getByTicket: async () => {
          dialogReads += 1;
          return dialog;
        },
        recentMessages: async () => [],
        stalledDialogs: async () => [],
      },
      intake: {
        submit: async (record) => {
          submitted.push(record);
          return { eventId: record.id, duplicate: false };
        },
      },
      events: {
        newestWebhookHasPostId: async () => true,
        heldOnAnotherTicket: async () => false,
        anyStored: async (ids) =>
          (options.echoes ?? []).some((postId) => ids.includes(postEventIdOf({ integrationId: integration.id, ticketId: 501, postId }))),
        ownPostsArrive: async () => options.ownArrive ?? true,
      },
      redrive: { unprocessedEvents: async () => [], hasUnprocessed: async () => false },
      authors,
      hde: {
        forIntegration: async () => ({
          listStatuses: async () => [{ id: 'open' }] as never,
          listTickets: async () => ({ items: [ticket], pagination: { total: 1, perPage: 30, currentPage: 1, totalPages: 1 } }) as never,
          // Newest first, as HDE lists them.
          listPosts: async () => {
            postReads += 1;
            return {
              items: [...posts].reverse(),
              pagination: { total: posts.length, perPage: 30, currentPage: 1, totalPages: 1 },
            } as never;
          },
          getUser: async (id: number) => {
            asked.push(id);
            if (id === 99)
              throw new HdeApiError({
                reason: 'not_found',
                retryable: false,
                mayHaveLanded: false,
                method: 'GET',
                endpoint: 'GET /users/:id/',
                status: 404,
              });
            return { id, isStaff: staff.has(id), group: { id: 1, type: staff.has(id) ? 'staff' : 'user' } } as unknown as HdeUser;
          },
        }),
      },
      classify: { add: async () => undefined, queue: {} as never },
      turns: { start: async () => undefined },
      lookbackMinutes: 60,
      budgetShare: 1,
      graceMs: options.graceMs ?? 0,
      leaseMs: 60_000,
      now: () => now,
    });
    let result = await handler({ integrationId: integration.id }, ctx);
    for (let round = 1; round < (options.rounds ?? 1); round += 1) result = await handler({ integrationId: integration.id }, ctx);
    const texts = submitted.map((r) => (r.payload as { messageHtml?: string }).messageHtml);
    return { submitted, texts, asked, result, postReads, dialogReads };
  }

  it('takes a message from a contact in copy, the newest post, told a customer by its HDE group', async () => {
    const { submitted, texts, asked } = await sweep(
      [
        post(CLIENT, 'Где мой заказ?', minutesAgo(30)),
        post(BOT, 'Ваш заказ у курьера.', minutesAgo(29)),
        post(CC, 'А когда привезут?', minutesAgo(5)),
      ],
      { sent: ['Ваш заказ у курьера.'] },
    );
    expect(texts).toEqual(['А когда привезут?']);
    // Its author is the contact and its customer the ticket's client, as in the contact's webhook.
    expect(submitted[0]!.payload).toMatchObject({ authorId: CC, customerId: CLIENT });
    expect(asked).toEqual([CC]);
  });

  it("takes a customer's message that an automation's auto-reply followed", async () => {
    const { texts, asked } = await sweep([
      post(CLIENT, 'Сколько действует гарантия?', minutesAgo(10)),
      post(ROBOT, 'Ваше обращение зарегистрировано.', minutesAgo(10)),
    ]);
    expect(texts).toEqual(['Сколько действует гарантия?']);
    // The automation is known from the settings, the client from the ticket: HDE is not asked.
    expect(asked).toEqual([]);
  });

  it('takes every customer post since the last answer, oldest first, and none before it', async () => {
    const { texts } = await sweep(
      [
        post(CLIENT, 'Первый вопрос', minutesAgo(40)),
        post(BOT, 'Первый ответ', minutesAgo(39)),
        post(CC, 'Вопрос коллеги', minutesAgo(20)),
        post(ROBOT, 'Обращение зарегистрировано.', minutesAgo(20)),
        post(CLIENT, 'И ещё вопрос', minutesAgo(10)),
      ],
      { sent: ['Первый ответ'] },
    );
    expect(texts).toEqual(['Вопрос коллеги', 'И ещё вопрос']);
  });

  it('leaves alone a customer post an agent answered, whoever wrote it', async () => {
    expect((await sweep([post(CC, 'Где мой заказ?', minutesAgo(10)), post(AGENT, 'Уже у курьера.', minutesAgo(5))])).texts).toEqual([]);
    expect(
      (
        await sweep([
          post(CLIENT, 'Где мой заказ?', minutesAgo(10)),
          post(AGENT, 'Уже у курьера.', minutesAgo(6)),
          post(ROBOT, 'Оцените ответ.', minutesAgo(5)),
        ])
      ).texts,
    ).toEqual([]);
    // The bot account writing by hand (no send of ours) is a human too; so is an author HDE no longer has.
    expect((await sweep([post(CLIENT, 'Где мой заказ?', minutesAgo(10)), post(BOT, 'Пишу сам.', minutesAgo(5))])).texts).toEqual([]);
    expect((await sweep([post(CLIENT, 'Где мой заказ?', minutesAgo(10)), post(99, 'Удалённый', minutesAgo(5))])).texts).toEqual([]);
    expect((await sweep([post(CLIENT, 'Где мой заказ?', minutesAgo(10)), post(null, 'Без автора', minutesAgo(5))])).texts).toEqual([]);
  });

  it("takes no post the bot itself answered, and asks HDE about nobody when the newest post is the client's", async () => {
    const { texts, asked, result } = await sweep(
      [post(CLIENT, 'Где мой заказ?', minutesAgo(30)), post(BOT, 'У курьера.', minutesAgo(29)), post(CLIENT, 'Спасибо!', minutesAgo(5))],
      { sent: ['У курьера.'] },
    );
    expect(texts).toEqual(['Спасибо!']);
    expect(asked).toEqual([]);
    // listStatuses, listTickets, listPosts: as before.
    expect(result).toMatchObject({ calls: 3 });
  });

  it('asks about a user once per integration, across sweeps, and counts the request', async () => {
    const authors = createPostAuthors({ ledger: { forDialog: async () => [] } });
    const posts = [post(AGENT, 'Здравствуйте!', minutesAgo(20)), post(CC, 'Вопрос коллеги', minutesAgo(10))];
    const first = await sweep(posts, { authors });
    expect(first.asked).toEqual([CC, AGENT]);
    expect(first.result).toMatchObject({ calls: 5 });
    const second = await sweep(posts, { authors });
    expect(second.asked).toEqual([]);
    expect(second.texts).toEqual(['Вопрос коллеги']);
  });

  it("takes no post older than the look-back's day of slack, nor one still within the grace", async () => {
    expect((await sweep([post(CC, 'Давний вопрос', minutesAgo(60 + 25 * 60))])).texts).toEqual([]);
    const fresh = await sweep([post(CC, 'Вопрос', minutesAgo(20)), post(CLIENT, 'Только что', minutesAgo(0.5))], { graceMs: 60_000 });
    expect(fresh.texts).toEqual(['Вопрос']);
  });

  it('reads a ticket updated in the same second as its dialog: HDE dates are whole seconds', async () => {
    const sameSecond = new Date(minutesAgo(1).getTime() + 500);
    expect((await sweep([post(CC, 'Вопрос', minutesAgo(1))], { dialogUpdatedAt: sameSecond })).texts).toEqual(['Вопрос']);
    expect((await sweep([post(CC, 'Вопрос', minutesAgo(1))], { dialogUpdatedAt: minutesAgo(0.5) })).texts).toEqual([]);
  });

  it('reads a ticket that dates cannot tell seen once per change, not on every sweep', async () => {
    // The bot's reply is the ticket's last change, in the second its dialog was updated.
    const answered = [post(CLIENT, 'Где мой заказ?', minutesAgo(3)), post(BOT, 'Ваш заказ у курьера.', minutesAgo(1))];
    const lastChange = minutesAgo(1);
    const sameSecond = new Date(lastChange.getTime() + 500);
    const options = { sent: ['Ваш заказ у курьера.'], ticketUpdatedAt: lastChange, dialogUpdatedAt: sameSecond, rounds: 3 };
    expect(await sweep(answered, options)).toMatchObject({ texts: [], postReads: 1 });
    // Changed within the last two seconds: a post later in that second could still come, so it is read again.
    const justNow = new Date(now.getTime() - 500);
    const recent = { ...options, ticketUpdatedAt: justNow, dialogUpdatedAt: new Date(justNow.getTime() + 200) };
    expect(await sweep(answered, recent)).toMatchObject({ texts: [], postReads: 3 });
    // A customer post waiting (too young to take yet) is read on every sweep until it is taken.
    const young = [...answered, post(CLIENT, 'А когда?', minutesAgo(0.5))];
    expect(await sweep(young, { ...options, graceMs: 120_000 })).toMatchObject({ texts: [], postReads: 3 });
  });

  it('reads no posts of a ticket whose last change, in the second its dialog was updated, was the bot’s own reply', async () => {
    const answered = [post(CLIENT, 'Где мой заказ?', minutesAgo(3)), post(BOT, 'Ваш заказ у курьера.', minutesAgo(1))];
    const lastChange = minutesAgo(1);
    const options = { sent: ['Ваш заказ у курьера.'], ticketUpdatedAt: lastChange, dialogUpdatedAt: new Date(lastChange.getTime() + 500) };
    expect(await sweep(answered, { ...options, sentAt: new Date(lastChange.getTime() + 300) })).toMatchObject({ postReads: 0 });
    // The bot's last send came before that second: the change was someone else's, so the posts are read.
    expect(await sweep(answered, { ...options, sentAt: minutesAgo(2) })).toMatchObject({ postReads: 1 });
  });

  it("D20 reads a ticket whose last change fell in the second of the bot's reply when that reply's own webhook never came back", async () => {
    // A customer's post in the very second of the bot's reply: HDE's dates cannot tell it from the reply itself.
    const lastChange = minutesAgo(1);
    const reply = post(BOT, 'Ваш заказ у курьера.', lastChange);
    const posts = [post(CLIENT, 'Где мой заказ?', minutesAgo(3)), reply, post(CLIENT, 'А когда привезут?', lastChange)];
    const options = {
      sent: ['Ваш заказ у курьера.'],
      ticketUpdatedAt: lastChange,
      dialogUpdatedAt: new Date(lastChange.getTime() + 500),
      sentAt: new Date(lastChange.getTime() + 300),
      sentPosts: [{ postId: reply.id }],
    };
    // The reply's webhook was lost: the dispatcher was not reaching us, so the customer's was lost too.
    expect(await sweep(posts, options)).toMatchObject({ texts: ['А когда привезут?'], postReads: 1 });
    // The same when the reply went out at the end of that second and its turn ended in the next.
    const late = { ...options, sentAt: new Date(lastChange.getTime() + 950), dialogUpdatedAt: new Date(lastChange.getTime() + 1_100) };
    expect(await sweep(posts, late)).toMatchObject({ texts: ['А когда привезут?'], postReads: 1 });
    expect(await sweep(posts, { ...late, echoes: [reply.id] })).toMatchObject({ texts: [], postReads: 0 });
    // It came back: the ticket is taken as the bot left it, and not looked up again at this change.
    expect(await sweep(posts, { ...options, echoes: [reply.id], rounds: 3 })).toMatchObject({ texts: [], postReads: 0, dialogReads: 1 });
    // The turn's last call, an update of the ticket after the reply, moved its last change to the next second.
    const updated = {
      ...options,
      ticketUpdatedAt: new Date(lastChange.getTime() + 1_000),
      sentAt: new Date(lastChange.getTime() + 1_300),
      dialogUpdatedAt: new Date(lastChange.getTime() + 1_400),
      sentPosts: [{ postId: reply.id, at: new Date(lastChange.getTime() + 300) }],
    };
    expect(await sweep(posts, updated)).toMatchObject({ texts: ['А когда привезут?'], postReads: 1 });
    expect(await sweep(posts, { ...updated, echoes: [reply.id] })).toMatchObject({ texts: [], postReads: 0 });
    // The webhook of a reply a second before came back: that says nothing of the dispatcher when the customer wrote.
    const earlier = post(BOT, 'Уточню у склада.', minutesAgo(1.02));
    const twoReplies = {
      ...options,
      sentPosts: [{ postId: earlier.id, at: minutesAgo(1.02) }, { postId: reply.id }],
      echoes: [earlier.id],
    };
    expect(await sweep(posts, twoReplies)).toMatchObject({ texts: ['А когда привезут?'], postReads: 1 });
    // A rule that sends customers' posts only never sends the reply back: its absence tells nothing.
    expect(await sweep(posts, { ...options, ownArrive: false })).toMatchObject({ texts: [], postReads: 0 });
    // Sent a moment ago: its webhook may still be on the way.
    const justNow = new Date(now.getTime() - 2_000);
    const recent = { ...options, ticketUpdatedAt: justNow, dialogUpdatedAt: justNow, sentAt: new Date(justNow.getTime() + 300) };
    expect(await sweep(posts, recent)).toMatchObject({ postReads: 0 });
  });

  it('takes a message on a ticket the bot has no dialog for yet: the bot account there is a human', async () => {
    expect((await sweep([post(CC, 'Вопрос', minutesAgo(10))], { dialog: false })).texts).toEqual(['Вопрос']);
    expect((await sweep([post(CC, 'Вопрос', minutesAgo(10)), post(BOT, 'Ответ', minutesAgo(5))], { dialog: false })).texts).toEqual([]);
  });
});
