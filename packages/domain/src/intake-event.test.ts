import bodies from './fixtures/rule-bodies.json';
import {
  cutText,
  eventFromPost,
  eventFromWebhookBody,
  intakeEventId,
  normaliseMessageText,
  readStoredEvent,
  sanitiseString,
  toStoredPayload,
} from './intake-event';
import { eventIdOf } from './ids';

const integrationId = '11111111-2222-4333-8444-555555555555';
const receivedAt = new Date('2026-02-03T11:05:10Z');
// Moscow, as the product's default: `HH:MM:SS DD.MM.YYYY` only, enough for these bodies.
const parseDate = (text: string): Date | null => {
  const m = /^(\d{2}):(\d{2}):(\d{2}) (\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  return m ? new Date(Date.UTC(+m[6]!, +m[5]! - 1, +m[4]!, +m[1]! - 3, +m[2]!, +m[3]!)) : null;
};
const read = (body: Record<string, unknown>) =>
  eventFromWebhookBody({ integrationId, body, parseStatus: 'ok', source: 'webhook', receivedAt, parseDate });

describe('eventFromWebhookBody', () => {
  it('reads the product body: ids as numbers, post id, a real date, normalised text, unexpanded chat id', () => {
    const e = read(bodies.product);
    expect(e).toMatchObject({ ticketId: 9001, postId: 77001, authorId: 501, customerId: 501, statusId: 'open', parseStatus: 'ok' });
    expect(e.messageHtml).toBe('<p>Здравствуйте! Сколько стоит доставка?</p>');
    expect(e.postedAt?.toISOString()).toBe('2026-02-03T11:05:09.000Z');
    expect(e.chatId).toBeUndefined();
    expect(e.unexpanded).toEqual(['chat_id']);
    expect(e.missing).toEqual([]);
  });

  it('keeps the old id rule when the rule has no post id, and names post_id as missing', () => {
    const e = read(bodies.product_without_post_id);
    expect(e.missing).toEqual(['post_id']);
    expect(intakeEventId(e)).toBe(
      eventIdOf({
        integrationId,
        ticketId: 9001,
        authorId: 501,
        lastAnswerDate: '14:05:09 03.02.2026',
        message: '<p>Здравствуйте! Сколько стоит доставка?</p>',
      }),
    );
  });

  it("accepts maxdev's new-message rule (last_post_user_id, user_id, created_at), never taking `id` as a post id beside ticket_id", () => {
    const e = read(bodies.maxdev_new_message);
    expect(e).toMatchObject({
      ticketId: 9002,
      authorId: 502,
      customerId: 502,
      parseStatus: 'ok',
      messageHtml: 'Не приходит код подтверждения',
    });
    expect(e.postId).toBeUndefined();
    expect(e.aliases).toEqual(expect.arrayContaining(['last_post_user_id', 'user_id', 'created_at']));
  });

  it("accepts maxdev's new-ticket rule: the ticket under `id`, the post under `message_id`", () => {
    const e = read(bodies.maxdev_new_ticket);
    expect(e).toMatchObject({ ticketId: 9003, postId: 77003, authorId: 503, customerId: 503, userName: 'Пётр' });
    expect(e.aliases).toEqual(expect.arrayContaining(['id', 'message_id']));
    expect(e.unexpanded).toEqual(['project', 'product']);
  });

  it("accepts rosmol's nested message: text and post id from the object, customer from the visitor, ticket from chat_id", () => {
    const e = read(bodies.rosmol_next_reply);
    expect(e).toMatchObject({ ticketId: 9004, postId: 77004, customerId: 504, userName: 'Иван', messageHtml: 'А можно оплатить картой?' });
    expect(e.authorId).toBeUndefined();
    expect(e.chatId).toBeUndefined();
  });

  it('keeps a body whose ticket is unclear (a human ticket number) as unparseable, saying why', () => {
    const e = read(bodies.hdebot_client_reply);
    expect(e.ticketId).toBeNull();
    expect(e.parseStatus).toBe('unparseable');
    expect(e.problem).toBe('ticket_id_not_numeric');
  });

  it('treats unexpanded tags as missing', () => {
    const e = read(bodies.unexpanded);
    expect(e.ticketId).toBe(9006);
    expect(e.messageHtml).toBeUndefined();
    expect(e.authorId).toBeUndefined();
    expect(e.postId).toBeUndefined();
    expect(e.missing).toEqual(['message', 'message_author_id', 'post_id']);
    expect(e.unexpanded).toEqual(['message', 'message_author_id', 'chat_id', 'post_id']);
  });
});

describe('files of a post', () => {
  it('reads whether a post carried files from a files field (links, a list) and says nothing without one', () => {
    const links = '<a href="https://x.helpdeskeddy.com/ru/file/download/ab12">photo.jpg</a>';
    expect(read({ ...bodies.product, message: '', files: links }).hasAttachments).toBe(true);
    expect(read({ ...bodies.product, last_answer_attachments_links: links }).hasAttachments).toBe(true);
    expect(read({ ...bodies.product, attachments: [{ name: 'a.pdf' }] }).hasAttachments).toBe(true);
    expect(read({ ...bodies.product, files: '' }).hasAttachments).toBe(false);
    expect(read({ ...bodies.product, files: [] }).hasAttachments).toBe(false);
    // HDE left the tag unexpanded, or the rule has no such field: unknown, so the worker may ask.
    expect(read({ ...bodies.product, files: '{last_answer_attachments_links}' }).hasAttachments).toBeUndefined();
    expect(read(bodies.product).hasAttachments).toBeUndefined();
  });

  it('keeps it through storing and reading back, and takes it from the post on the sweep path', () => {
    const e = read({ ...bodies.product, message: '', files: 'photo.jpg' });
    const typed = readStoredEvent(
      { integrationId, ticketId: 9001, payload: JSON.parse(JSON.stringify(toStoredPayload(e))), receivedAt },
      parseDate,
    );
    expect(typed?.hasAttachments).toBe(true);
    const post = { id: 77001, userId: 501, text: '', dateCreated: null };
    expect(eventFromPost({ integrationId, ticketId: 9001, post: { ...post, files: [{ name: 'a.png' }] }, receivedAt }).hasAttachments).toBe(
      true,
    );
    expect(eventFromPost({ integrationId, ticketId: 9001, post: { ...post, files: [] }, receivedAt }).hasAttachments).toBe(false);
  });
});

describe('one id rule and one text normalisation on both paths', () => {
  it('D8 text ending in a newline: the webhook and the sweep give the post one id, so it is answered once', () => {
    const hook = read({ ...bodies.product, message: 'да\n' });
    const swept = eventFromPost({
      integrationId,
      ticketId: 9001,
      post: { id: 77001, userId: 501, text: 'да', dateCreated: null },
      receivedAt,
    });
    expect(intakeEventId(hook)).toBe(intakeEventId(swept));
    expect(hook.messageHtml).toBe(swept.messageHtml);
  });

  it('makes two posts with the same short text two events', () => {
    const a = read({ ...bodies.product, message: 'да', post_id: '1' });
    const b = read({ ...bodies.product, message: 'да', post_id: '2' });
    expect(intakeEventId(a)).not.toBe(intakeEventId(b));
  });

  it('agrees without post ids too: a trailing newline or CRLF never makes a second message', () => {
    const a = read({ ...bodies.product_without_post_id, message: 'Привет\r\nкак дела\n' });
    const b = read({ ...bodies.product_without_post_id, message: 'Привет\nкак дела' });
    expect(intakeEventId(a)).toBe(intakeEventId(b));
  });

  it('replaces lone surrogates and drops NUL so PostgreSQL accepts the text', () => {
    expect(sanitiseString('a\ud83db\u0000c\ud83d\ude00')).toBe('a\uFFFDbc\ud83d\ude00');
    expect(normaliseMessageText('\udc00x ')).toBe('\uFFFDx');
  });

  it('never cuts an emoji in half when a long text or name is bounded', () => {
    const smile = '\ud83d\ude00';
    expect(cutText(`ab${smile}`, 3)).toBe('ab');
    expect(cutText(`ab${smile}`, 4)).toBe(`ab${smile}`);
    expect(cutText('abc', 2)).toBe('ab');
    const name = `${'x'.repeat(999)}${smile}`;
    const e = read({ ...bodies.product, user_name: name });
    expect(e.userName).toBe('x'.repeat(999));
    const text = normaliseMessageText(`${'я'.repeat(199_999)}${smile}`);
    expect(text).toHaveLength(199_999);
    expect(text.endsWith('я')).toBe(true);
  });
});

describe('readStoredEvent', () => {
  it("reads back what was stored, validated, with the date re-read in the reader's zone", () => {
    const e = read(bodies.product);
    const typed = readStoredEvent(
      { integrationId, ticketId: 9001, payload: JSON.parse(JSON.stringify(toStoredPayload(e))), receivedAt },
      parseDate,
    );
    expect(typed).toMatchObject({ ticketId: 9001, postId: 77001, authorId: 501, messageHtml: e.messageHtml });
    expect(typed?.postedAt?.toISOString()).toBe('2026-02-03T11:05:09.000Z');
  });

  it('reads a raw body stored before the intake existed through the same mapping', () => {
    const typed = readStoredEvent({ integrationId, ticketId: 9001, payload: bodies.product_without_post_id, receivedAt }, parseDate);
    expect(typed).toMatchObject({ ticketId: 9001, authorId: 501, customerId: 501 });
  });

  it('refuses a payload of the wrong shape instead of casting it', () => {
    expect(readStoredEvent({ integrationId, ticketId: 9001, payload: { v: 2, authorId: 'x' }, receivedAt }, parseDate)).toBeUndefined();
  });
});
