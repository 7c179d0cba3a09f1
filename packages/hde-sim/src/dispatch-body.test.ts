import { DEFAULT_DISPATCH_TEMPLATE, expandTags, renderDispatchBody } from './dispatch-body';

const tags = { answer_last: '<p>He said "hi"\nbye</p>', ticket_id: '101', user_name: 'Anna' };

describe('dispatch-body', () => {
  it('leaves tags without a value unexpanded', () => {
    expect(expandTags('{ticket_id}/{meta_chat_id}', tags)).toBe('101/{meta_chat_id}');
  });

  it('produces valid JSON with every value a string when escaping', () => {
    const { body, contentType } = renderDispatchBody(DEFAULT_DISPATCH_TEMPLATE, tags, 'json', true);
    expect(contentType).toBe('application/json');
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(parsed.message).toBe(tags.answer_last);
    expect(parsed.chat_id).toBe('{meta_chat_id}');
    expect(Object.values(parsed).every((v) => typeof v === 'string')).toBe(true);
  });

  it('produces broken JSON when the text has quotes or newlines and escaping is off', () => {
    const { body } = renderDispatchBody(DEFAULT_DISPATCH_TEMPLATE, tags, 'json', false);
    expect(body).toContain('"message": "<p>He said "hi"\nbye</p>"');
    expect(() => JSON.parse(body)).toThrow();
  });

  it('produces valid JSON without escaping when the text is harmless', () => {
    const plain = { ...tags, answer_last: '<p>hello</p>' };
    const { body } = renderDispatchBody(DEFAULT_DISPATCH_TEMPLATE, plain, 'json', false);
    expect(JSON.parse(body)).toMatchObject({ message: '<p>hello</p>', ticket_id: '101' });
  });

  it('renders form bodies', () => {
    const { body, contentType } = renderDispatchBody(DEFAULT_DISPATCH_TEMPLATE, tags, 'form', true);
    expect(contentType).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(body).get('message')).toBe(tags.answer_last);
  });
});
