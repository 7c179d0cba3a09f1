import { ScopeSchema } from '@repo/domain';
import { inScope, outOfScopeReasons, scopeNeedsTicket } from './scope';

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

  it('says when only the tag filter keeps a ticket out because HDE did not report its tags', () => {
    const s = scope({ departmentIds: [2], tags: ['bot'] });
    expect(outOfScopeReasons(s, { departmentId: 2, source: 'email', tags: ['bot'] })).toBeUndefined();
    expect(outOfScopeReasons(s, { departmentId: 2, source: 'email', tags: null })).toEqual(['out_of_scope', 'scope_tags_unknown']);
    expect(outOfScopeReasons(s, { departmentId: 2, source: 'email', tags: [] })).toEqual(['out_of_scope']);
    // Out of scope anyway (another department): the tags do not matter.
    expect(outOfScopeReasons(s, { departmentId: 3, source: 'email', tags: null })).toEqual(['out_of_scope']);
  });
});
