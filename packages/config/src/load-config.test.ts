import { z } from 'zod';
import { loadConfig, ConfigError } from './load-config';
import { BoolEnv, Key32 } from './env-helpers';
import { DatabaseEnv, RedisEnv } from './fragments';

describe('loadConfig', () => {
  const schema = z.object({
    PORT: z.coerce.number().int().min(1).default(3000),
    SECRETS_KEY: Key32,
    DRY_RUN: BoolEnv.default(false),
  });

  it('parses values and applies defaults', () => {
    const config = loadConfig(schema, { SECRETS_KEY: '5f0c2a9e7b13d48c6e21f9a07d3b85c41e6f2d90a8c37b5e14d62f0e9a7c3b18', DRY_RUN: 'yes' });
    expect(config.PORT).toBe(3000);
    expect(config.DRY_RUN).toBe(true);
    expect(config.SECRETS_KEY).toHaveLength(32);
  });

  it('names the variable and the problem but never the value', () => {
    const secret = 'not-a-valid-key-but-secret';
    try {
      loadConfig(schema, { SECRETS_KEY: secret, PORT: 'abc' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('SECRETS_KEY: must be 32 bytes');
      expect(message).toContain('PORT:');
      expect(message).not.toContain(secret);
      expect(message).not.toContain('abc');
    }
  });

  it('takes a key as 64 hex or padded base64 characters of random bytes, and refuses a typed or patterned one', () => {
    const random = Buffer.from('5f0c2a9e7b13d48c6e21f9a07d3b85c41e6f2d90a8c37b5e14d62f0e9a7c3b18', 'hex');
    expect(loadConfig(schema, { SECRETS_KEY: random.toString('base64') }).SECRETS_KEY).toEqual(random);
    const refusal = (value: string) => {
      try {
        loadConfig(schema, { SECRETS_KEY: value });
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refusal('a'.repeat(64))).toContain('SECRETS_KEY: is not random');
    expect(refusal('0123456789abcdef'.repeat(4))).toContain('SECRETS_KEY: is not random');
    expect(refusal('a'.repeat(43))).toContain('SECRETS_KEY: must be 32 bytes');
    expect(refusal('ThisIsMyCompanyPasswordForProductionUse1234')).toContain('SECRETS_KEY: must be 32 bytes');
    expect(refusal('ThisIsMyCompanyPasswordForProductionUse1234')).not.toContain('Password');
  });

  it('reports a missing required variable as required', () => {
    expect(() => loadConfig(schema, {})).toThrow('SECRETS_KEY: is required');
  });

  it('says what is wrong with a value that is set but not a number, not that it is required', () => {
    const message = (() => {
      try {
        loadConfig(schema, { SECRETS_KEY: '5f0c2a9e7b13d48c6e21f9a07d3b85c41e6f2d90a8c37b5e14d62f0e9a7c3b18', PORT: 'abc' });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain('PORT: must be a number');
    expect(message).not.toContain('NaN');
    expect(message).not.toContain('PORT: is required');
  });
});

describe('connection URLs', () => {
  it('names DATABASE_URL when its scheme is wrong, without printing the URL', () => {
    const url = 'mysql://root:hunter2@db:3306/hdebot';
    expect(() => loadConfig(DatabaseEnv, { DATABASE_URL: url })).toThrow('DATABASE_URL: must start with postgres:// or postgresql://');
    try {
      loadConfig(DatabaseEnv, { DATABASE_URL: url });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('names REDIS_URL when it is not a redis URL', () => {
    expect(() => loadConfig(RedisEnv, { REDIS_URL: 'http://127.0.0.1:6379' })).toThrow('REDIS_URL: must start with redis:// or rediss://');
    expect(() => loadConfig(RedisEnv, { REDIS_URL: 'localhost' })).toThrow('REDIS_URL: is not a URL');
  });

  it('accepts both postgres schemes', () => {
    expect(loadConfig(DatabaseEnv, { DATABASE_URL: 'postgresql://u@h:5432/d' }).DATABASE_URL).toBe('postgresql://u@h:5432/d');
  });
});
