import { parseWebhookBody, salvage } from './parse-body';

const json = (o: unknown) => Buffer.from(JSON.stringify(o));

describe('parseWebhookBody', () => {
  it('reads the dispatcher body with every value a string', () => {
    const out = parseWebhookBody(json({ ticket_id: '15', message: '<p>Hi</p>', chat_id: '{meta_chat_id}' }), 'application/json');
    expect(out.status).toBe('ok');
    expect(out.body?.ticket_id).toBe('15');
  });

  it('salvages ids and the message from JSON broken by an unescaped quote and newline', () => {
    const raw =
      '{ "message": "<p>Он сказал "привет"\nи ушёл</p>", "message_author_id": "7", "customer_id": "7", "ticket_id": "42", "status_id": "open" }';
    const out = parseWebhookBody(Buffer.from(raw), 'application/json');
    expect(out.status).toBe('salvaged');
    expect(out.body).toMatchObject({ ticket_id: '42', message_author_id: '7', customer_id: '7', status_id: 'open' });
    expect(out.body?.message).toBe('<p>Он сказал "привет"\nи ушёл</p>');
  });

  it('salvages a foreign rule whose message is followed by files and custom fields, keeping each field its own', () => {
    // maxdev's «new message» rule, expanded by an account that does not escape JSON.
    const raw =
      '{\n"ticket_id": "9001",\n"message": "Где мой заказ "№123"?\nСпасибо",\n' +
      '"files": "<a href="https://acme.helpdeskeddy.com/ru/file/download/ab12">photo.jpg</a>",\n' +
      '"project": "Сайт",\n"product": "Доставка",\n"user_id": "41",\n"last_post_user_id": "41",\n"id": "77001"\n}';
    const out = parseWebhookBody(Buffer.from(raw), 'application/json');
    expect(out.status).toBe('salvaged');
    expect(out.body?.message).toBe('Где мой заказ "№123"?\nСпасибо');
    expect(out.body?.files).toBe('<a href="https://acme.helpdeskeddy.com/ru/file/download/ab12">photo.jpg</a>');
    expect(out.body).toMatchObject({ ticket_id: '9001', user_id: '41', last_post_user_id: '41' });
  });

  it("salvages a rule that sends the ticket as `id` and the post as `message_id` (maxdev's «new ticket»)", () => {
    const raw =
      '{\n"id": "9001",\n"user_name": "Анна",\n"message": "Не работает "кнопка"\nоплаты",\n"files": "",\n' +
      '"user_id": "41",\n"last_post_user_id": "41",\n"message_created_at": "14:05:09 03.02.2026",\n"message_id": "77001",\n"subject": "Оплата"\n}';
    const out = parseWebhookBody(Buffer.from(raw), 'application/json');
    expect(out.status).toBe('salvaged');
    expect(out.body).toMatchObject({ id: '9001', message_id: '77001', last_post_user_id: '41', files: '' });
    expect(out.body?.message).toBe('Не работает "кнопка"\nоплаты');
  });

  it('salvages the ids of a truncated body but not the cut message, which the worker then reads from HDE', () => {
    const raw = '{ "ticket_id": "42", "post_id": "77", "message_author_id": "7", "message": "<p>Здравствуйте, мой заказ №12';
    const out = parseWebhookBody(Buffer.from(raw), 'application/json');
    expect(out.status).toBe('salvaged');
    expect(out.body).toMatchObject({ ticket_id: '42', post_id: '77', message_author_id: '7' });
    expect(out.body?.message).toBeUndefined();
  });

  it('reads form bodies, also when sent with a JSON content type', () => {
    expect(parseWebhookBody(Buffer.from('ticket_id=9&message=hello'), 'application/x-www-form-urlencoded').body?.ticket_id).toBe('9');
    expect(parseWebhookBody(Buffer.from('ticket_id=9&message=hello'), 'application/json').body?.message).toBe('hello');
  });

  it('never lets __proto__ keys reach the parsed object', () => {
    const out = parseWebhookBody(Buffer.from('{"ticket_id":"1","__proto__":{"polluted":true}}'), 'application/json');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out.body)).toBe(Object.prototype);
  });

  it('calls a body without a ticket id unparseable instead of throwing', () => {
    expect(parseWebhookBody(Buffer.from('not json at all'), 'text/plain')).toEqual({ status: 'unparseable', body: null });
    expect(salvage('{"message": "x"}')).toBeNull();
  });
});
