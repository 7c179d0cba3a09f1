import { z } from 'zod';
import { loadConfig, ConfigError } from './load-config';
import { BoolEnv, Key32 } from './env-helpers';

describe('loadConfig', () => {
  const schema = z.object({
    PORT: z.coerce.number().int().min(1).default(3000),
    SECRETS_KEY: Key32,
    DRY_RUN: BoolEnv.default(false),
  });

  it('parses values and applies defaults', () => {
    const config = loadConfig(schema, { SECRETS_KEY: 'a'.repeat(64), DRY_RUN: 'yes' });
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

  it('reports a missing required variable as required', () => {
    expect(() => loadConfig(schema, {})).toThrow('SECRETS_KEY: is required');
  });
});
