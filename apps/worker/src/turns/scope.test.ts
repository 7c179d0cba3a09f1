import { ScopeSchema } from '@repo/domain';
import { inScope, scopeNeedsTicket } from './scope';

const scope = (s: object) => ScopeSchema.parse(s);

describe('scope filters', () => {
  it('lets every ticket through when no filter is set, without reading the ticket', () => {
    expect(scopeNeedsTicket(scope({}))).toBe(false);
    expect(inScope(scope({}), { departmentId: null, source: null, tags: null })).toBe(true);
  });

  it('keeps the bot to the configured departments, channels and tags', () => {
    const s = scope({ departmentIds: [2], sources: ['telegram'], tags: ['bot'] });
    expect(scopeNeedsTicket(s)).toBe(true);
    expect(inScope(s, { departmentId: 2, source: 'telegram', tags: ['bot', 'vip'] })).toBe(true);
    expect(inScope(s, { departmentId: 3, source: 'telegram', tags: ['bot'] })).toBe(false);
    expect(inScope(s, { departmentId: 2, source: 'email', tags: ['bot'] })).toBe(false);
    expect(inScope(s, { departmentId: 2, source: 'telegram', tags: [] })).toBe(false);
  });

  it('treats unknown facts as out of scope when a filter needs them', () => {
    expect(inScope(scope({ departmentIds: [2] }), { departmentId: null, source: null, tags: null })).toBe(false);
  });
});
