import { ConfigError, loadConfig } from '@repo/config';
import { IngressEnv } from './config';

const base = { DATABASE_URL: 'postgres://u@127.0.0.1:5432/db', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('ingress configuration', () => {
  it('refuses an unverified-spool budget smaller than one body, naming the variable', () => {
    expect(() => loadConfig(IngressEnv, { ...base, SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE: '4096' })).toThrow(ConfigError);
    expect(() => loadConfig(IngressEnv, { ...base, SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE: '4096' })).toThrow(
      /SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE: must be 0 \(no limit\) or at least WEBHOOK_BODY_LIMIT_BYTES \+ 1024/,
    );
    expect(loadConfig(IngressEnv, { ...base, SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE: '0' }).SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE).toBe(0);
    expect(loadConfig(IngressEnv, base).SPOOL_UNVERIFIED_MAX_BYTES_PER_MINUTE).toBe(16 * 1024 * 1024);
  });

  it('takes a webhook body limit of at most 1 MiB', () => {
    expect(loadConfig(IngressEnv, { ...base, WEBHOOK_BODY_LIMIT_BYTES: '1048576' }).WEBHOOK_BODY_LIMIT_BYTES).toBe(1_048_576);
    expect(() => loadConfig(IngressEnv, { ...base, WEBHOOK_BODY_LIMIT_BYTES: '10485760' })).toThrow(/WEBHOOK_BODY_LIMIT_BYTES/);
  });
});
