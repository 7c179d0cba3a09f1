import { HdeApiError } from './hde-api.error';
import { classifyHttpFailure, classifyTransportFailure, isBanResponse } from './hde-error-classify';

const get = { method: 'GET' as const, endpoint: 'GET /tickets/:id/' };
const post = { method: 'POST' as const, endpoint: 'POST /tickets/:id/posts/' };
const put = { method: 'PUT' as const, endpoint: 'PUT /tickets/:id/' };
const errors = (code: string, title = '', details = '') => ({ errors: [{ code, title, details }] });

describe('classifyHttpFailure', () => {
  it('429 without ban wording is rate_limited with Retry-After', () => {
    const e = classifyHttpFailure({ ...get, status: 429, body: undefined, retryAfterHeader: '7' });
    expect(e).toBeInstanceOf(HdeApiError);
    expect(e).toMatchObject({ reason: 'rate_limited', retryable: true, retryAfterMs: 7000, mayHaveLanded: false, status: 429 });
  });

  it('reads Retry-After as an HTTP date', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    const e = classifyHttpFailure({ ...get, status: 429, body: {}, retryAfterHeader: 'Mon, 01 Jan 2024 00:00:30 GMT', now });
    expect(e.retryAfterMs).toBe(30_000);
  });

  it.each([
    [403, errors('e-401', 'Unauthorized')],
    [429, errors('e-401', 'Access denied')],
    [403, errors('e-403', 'Forbidden', 'API limit exceeded, access is blocked')],
    [429, errors('e-429', 'Account banned')],
    [401, errors('e-401', 'You are banned')],
    [403, errors('e-403', 'Доступ заблокирован', 'Превышен лимит запросов')],
  ])('%i with %j is banned', (status, body) => {
    const e = classifyHttpFailure({ ...post, status, body, retryAfterHeader: undefined });
    expect(e).toMatchObject({ reason: 'banned', mayHaveLanded: false });
    // HDE did not say how long: the caller's configured pause applies (DEFAULT_BAN_PAUSE_MS by default).
    expect(e.retryAfterMs).toBeUndefined();
    expect(e.hdeCode).toBe(body.errors[0]?.code);
  });

  it("keeps only an HDE-shaped code from the body: a proxy's or an echoing server's code may hold the request", () => {
    const echoed = classifyHttpFailure({ ...post, status: 400, body: errors('Basic Ym90QGFjbWU6c2VjcmV0 Привет, как вернуть товар?') });
    expect(echoed.hdeCode).toBeUndefined();
    expect(JSON.stringify(echoed)).not.toContain('Ym90QGFjbWU6c2VjcmV0');
    const second = classifyHttpFailure({ ...post, status: 400, body: { errors: [{ code: 'x'.repeat(50) }, { code: 'e-400' }] } });
    expect(second.hdeCode).toBe('e-400');
  });

  it('keeps a ban Retry-After when given', () => {
    expect(classifyHttpFailure({ ...get, status: 403, body: errors('e-401'), retryAfterHeader: '60' }).retryAfterMs).toBe(60_000);
  });

  it.each([401, 403])('%i without ban markers is auth, not retryable', (status) => {
    expect(classifyHttpFailure({ ...get, status, body: errors(`e-${status}`, 'Unauthorized') })).toMatchObject({
      reason: 'auth',
      retryable: false,
    });
  });

  it('401 with e-401 alone is auth (e-401 mirrors the status)', () => {
    expect(isBanResponse(401, [{ code: 'e-401', title: 'Unauthorized' }])).toBe(false);
  });

  it('400 on creating a post is closed_ticket; elsewhere bad_request', () => {
    expect(classifyHttpFailure({ ...post, status: 400, body: errors('e-400') })).toMatchObject({
      reason: 'closed_ticket',
      retryable: false,
      mayHaveLanded: false,
    });
    expect(classifyHttpFailure({ ...put, status: 400, body: errors('e-400') }).reason).toBe('bad_request');
    expect(classifyHttpFailure({ ...get, status: 422, body: undefined }).reason).toBe('bad_request');
  });

  it("404 on a ticket's own routes is ticket_gone, elsewhere not_found; neither is retried", () => {
    for (const call of [get, post, put, { method: 'GET' as const, endpoint: 'GET /tickets/:id/comments/' }])
      expect(classifyHttpFailure({ ...call, status: 404, body: errors('e-404') })).toMatchObject({
        reason: 'ticket_gone',
        retryable: false,
        mayHaveLanded: false,
      });
    for (const endpoint of ['GET /users/:id/', 'GET /tickets/', 'GET /groups/'])
      expect(classifyHttpFailure({ method: 'GET', endpoint, status: 404, body: undefined })).toMatchObject({
        reason: 'not_found',
        retryable: false,
      });
  });

  it('5xx is server; a mutating 5xx may have landed', () => {
    expect(classifyHttpFailure({ ...get, status: 502, body: undefined })).toMatchObject({
      reason: 'server',
      retryable: true,
      mayHaveLanded: false,
    });
    expect(classifyHttpFailure({ ...post, status: 500, body: undefined })).toMatchObject({ reason: 'server', mayHaveLanded: true });
    expect(classifyHttpFailure({ ...put, status: 504, body: undefined }).mayHaveLanded).toBe(true);
  });

  it('never copies HDE error text into the error', () => {
    const e = classifyHttpFailure({ ...post, status: 400, body: errors('e-400', 'Bad', 'customer said: my secret order 42') });
    expect(JSON.stringify(e)).not.toContain('secret order');
    expect(e.message).toBe('HDE POST /tickets/:id/posts/ failed: closed_ticket (HTTP 400)');
  });
});

describe('classifyTransportFailure', () => {
  const base = { connected: false, timedOut: false, connectTimedOut: false };

  it('refused / DNS before connecting: network, surely not landed', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(classifyTransportFailure({ ...post, ...base, code })).toMatchObject({
        reason: 'network',
        retryable: true,
        mayHaveLanded: false,
      });
    }
  });

  it('connect timeout: not landed', () => {
    expect(classifyTransportFailure({ ...post, ...base, connectTimedOut: true, timedOut: false })).toMatchObject({
      reason: 'timeout',
      mayHaveLanded: false,
    });
  });

  it('timeout or reset after connecting: a mutating call may have landed, a GET is just retryable', () => {
    expect(classifyTransportFailure({ ...post, ...base, connected: true, timedOut: true })).toMatchObject({
      reason: 'timeout',
      mayHaveLanded: true,
    });
    expect(classifyTransportFailure({ ...put, ...base, connected: true, code: 'ECONNRESET' })).toMatchObject({
      reason: 'network',
      mayHaveLanded: true,
    });
    expect(classifyTransportFailure({ ...get, ...base, connected: true, code: 'ECONNRESET' })).toMatchObject({
      reason: 'network',
      mayHaveLanded: false,
      retryable: true,
    });
  });

  it('keeps only a scrubbed cause', () => {
    const e = classifyTransportFailure({ ...post, ...base, connected: true, code: 'ECONNRESET' });
    expect(e.cause).toEqual({ name: 'NetworkError', code: 'ECONNRESET' });
  });
});
