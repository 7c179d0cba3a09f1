import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger } from './create-logger';
import { redactMeta, scrubString } from './redact';

describe('redaction', () => {
  it('removes the token from a webhook path and auth headers from strings', () => {
    expect(scrubString('POST /api/bots/helpdeskeddy_bot/webhook/tok_abcdefgh12345 failed')).toBe(
      'POST /api/bots/helpdeskeddy_bot/webhook/[redacted] failed',
    );
    expect(scrubString('Authorization: Basic dXNlckBleGFtcGxlOnNlY3JldA==')).toBe('Authorization: Basic [redacted]');
  });

  it('redacts denied keys at any depth and keeps ids', () => {
    const out = redactMeta({ ticketId: 5, nested: { apiKey: 'k', text: 'hello', headers: { a: 1 } } });
    expect(out).toEqual({ ticketId: 5, nested: { apiKey: '[redacted]', text: '[redacted]', headers: '[redacted]' } });
  });

  it('never writes a secret through a logger', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ service: 'test', transports: [new winston.transports.Stream({ stream })] });
    const error = new Error('request to /webhook/secret-token-value-1 failed with Bearer abcdefghijkl');
    logger.warn('Call failed', { error, token: 'secret-token-value-1', text: 'customer words', ticketId: 7 });
    const all = lines.join('');
    expect(all).toContain('"ticketId":7');
    expect(all).not.toContain('secret-token-value-1');
    expect(all).not.toContain('customer words');
    expect(all).not.toContain('abcdefghijkl');
  });

  it('neither redacts nor writes a line below the logger level, and follows a changed level', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ service: 'test', level: 'warn', transports: [new winston.transports.Stream({ stream })] });
    let read = 0;
    // winston copies the top level of the metadata itself; redaction walks into nested objects.
    const meta = {
      detail: {
        get ticketId() {
          read += 1;
          return 7;
        },
      },
    };
    logger.info('Below the level', meta);
    expect(read).toBe(0);
    expect(lines).toEqual([]);
    logger.level = 'info';
    logger.info('At the level', meta);
    expect(read).toBeGreaterThan(0);
    expect(lines.join('')).toContain('At the level');
  });
});
