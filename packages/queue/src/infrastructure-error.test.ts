import { isInfrastructureError } from './infrastructure-error';

describe('isInfrastructureError', () => {
  it('recognises PostgreSQL and Redis outages', () => {
    expect(
      isInfrastructureError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' })),
    ).toBe(true);
    expect(isInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isInfrastructureError(
        Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' }),
      ),
    ).toBe(true);
    expect(isInfrastructureError(Object.assign(new Error('x'), { code: '08006', severity: 'FATAL' }))).toBe(true);
    expect(isInfrastructureError(new Error('Connection is closed.'))).toBe(true);
    expect(
      isInfrastructureError(
        Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET', syscall: 'read' }) }),
      ),
    ).toBe(true);
    expect(
      isInfrastructureError(new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED', syscall: 'connect' })])),
    ).toBe(true);
  });

  it('leaves typed application errors and ordinary failures alone', () => {
    // An HDE call's network failure is a typed error with its own retry flag.
    expect(
      isInfrastructureError(
        Object.assign(new Error('HDE POST failed'), {
          retryable: true,
          code: 'hde_api_error',
          cause: { name: 'Error', code: 'ECONNREFUSED' },
        }),
      ),
    ).toBe(false);
    expect(isInfrastructureError(Object.assign(new Error('duplicate key'), { code: '23505', severity: 'ERROR' }))).toBe(false);
    expect(isInfrastructureError(new TypeError('x is undefined'))).toBe(false);
    expect(isInfrastructureError('ECONNREFUSED')).toBe(false);
  });
});
