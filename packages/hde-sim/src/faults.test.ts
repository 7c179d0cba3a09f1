import { FaultTable, matchPath } from './faults';

describe('matchPath', () => {
  it('matches :params per segment and ignores trailing slashes', () => {
    expect(matchPath('/tickets/:id/posts/', '/tickets/101/posts')).toBe(true);
    expect(matchPath('/tickets/:id/posts', '/tickets/101/posts/')).toBe(true);
    expect(matchPath('/tickets/:id/posts/', '/tickets/101')).toBe(false);
    expect(matchPath('/tickets/', '/tickets/101/')).toBe(false);
  });

  it('matches the rest of the path with a trailing *', () => {
    expect(matchPath('/tickets/*', '/tickets/101/posts/')).toBe(true);
    expect(matchPath('*', '/users/')).toBe(true);
  });
});

describe('FaultTable', () => {
  it('uses up a fault after `times` matching requests', () => {
    const table = new FaultTable();
    table.add({ method: 'post', path: '/tickets/:id/posts/', kind: 'status', status: 502, times: 2 });
    expect(table.take('GET', '/tickets/1/posts/')).toBeUndefined();
    expect(table.take('POST', '/tickets/1/posts/')).toMatchObject({ status: 502, commit: false });
    expect(table.take('POST', '/tickets/2/posts/')).toBeDefined();
    expect(table.take('POST', '/tickets/3/posts/')).toBeUndefined();
  });

  it('commits by default only for faults where the write plausibly landed', () => {
    const table = new FaultTable();
    expect(table.add({ path: '/x', kind: 'hang' }).commit).toBe(false);
    expect(table.add({ path: '/x', kind: 'status' }).commit).toBe(false);
    expect(table.add({ path: '/x', kind: 'reset_after_body' }).commit).toBe(true);
  });

  it('counts the requests each kind of fault affected, after the fault is used up too', () => {
    const table = new FaultTable();
    table.add({ path: '/tickets/:id/posts/', kind: 'status', times: 2 });
    table.add({ path: '/users/', kind: 'latency', ms: 1 });
    expect(table.hits()).toEqual({});
    table.take('POST', '/tickets/1/posts/');
    table.take('POST', '/tickets/1/posts/');
    table.take('POST', '/tickets/1/posts/');
    table.take('GET', '/users/');
    table.take('GET', '/departments/');
    expect(table.hits()).toEqual({ status: 2, latency: 1 });
  });

  it('rejects unknown kinds', () => {
    expect(() => new FaultTable().add({ path: '/x', kind: 'explode' as never })).toThrow(/unknown fault kind/);
  });
});
