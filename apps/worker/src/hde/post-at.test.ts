import { postAt } from './newest-post';

describe('postAt: the post a webhook without a post id names by its date', () => {
  const at = (iso: string) => new Date(iso);
  const posts = [
    { id: 1, userId: 5, dateCreated: at('2026-11-30T10:00:00Z') },
    { id: 2, userId: 5, dateCreated: at('2026-11-30T10:00:02Z') },
    { id: 3, userId: 9, dateCreated: at('2026-11-30T10:00:02Z') },
    { id: 4, userId: 5, dateCreated: at('2026-11-30T10:03:30Z') },
  ];

  it('takes the post of that second, by that author', () => {
    expect(postAt(posts, at('2026-11-30T10:00:00Z'), 5)?.id).toBe(1);
    expect(postAt(posts, at('2026-11-30T10:00:02Z'), 9)?.id).toBe(3);
  });

  it('takes the one post of that minute for a date written without seconds', () => {
    expect(postAt(posts, at('2026-11-30T10:03:00Z'), 5)?.id).toBe(4);
  });

  it('names no post when several or none fit, or no date was given', () => {
    expect(postAt(posts, at('2026-11-30T10:00:02Z'), undefined)).toBeUndefined();
    expect(postAt(posts, at('2026-11-30T10:00:00Z'), undefined)?.id).toBe(1);
    expect(postAt(posts, at('2026-11-30T11:00:00Z'), 5)).toBeUndefined();
    expect(postAt(posts, null, 5)).toBeUndefined();
  });
});
