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

  it('recognises a PostgreSQL or Redis that is up but refuses writes (read-only after a failover, a full disk or memory)', () => {
    const pg = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });
    expect(isInfrastructureError(pg('25006', 'cannot execute INSERT in a read-only transaction'))).toBe(true);
    expect(isInfrastructureError(pg('53100', 'could not extend file: No space left on device'))).toBe(true);
    expect(isInfrastructureError(pg('53200', 'out of memory'))).toBe(true);
    const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
    expect(isInfrastructureError(reply("READONLY You can't write against a read only replica."))).toBe(true);
    expect(isInfrastructureError(reply("OOM command not allowed when used memory > 'maxmemory'."))).toBe(true);
    expect(
      isInfrastructureError(reply('MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.')),
    ).toBe(true);
    expect(isInfrastructureError(reply('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(
      isInfrastructureError(
        reply(
          "ERR Error running script (call to f_1): @user_script:1: @user_script: 1: -READONLY You can't write against a read only replica. ",
        ),
      ),
    ).toBe(true);
    // Other error replies are the command's own failure, and a read-only state in another class is not ours.
    expect(isInfrastructureError(reply('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isInfrastructureError(reply('ERR Error running script: READONLY inside a message'))).toBe(false);
    expect(isInfrastructureError(pg('25001', 'SET TRANSACTION ISOLATION LEVEL must be called before any query'))).toBe(false);
    expect(isInfrastructureError(pg('53400', 'configuration limit exceeded'))).toBe(false);
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
