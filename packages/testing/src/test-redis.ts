import { randomBytes } from 'node:crypto';
import { deleteKeysMatching } from '@repo/queue';

/** The Redis tests use; `TEST_REDIS_URL` overrides it. */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A key prefix unique to one test run, so runs never see each other's queues. */
export function uniquePrefix(label = 't'): string {
  return `${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under a prefix (BullMQ keys included). */
export function deleteRedisPrefix(prefix: string, url = testRedisUrl()): Promise<void> {
  return deleteKeysMatching(url, `*${prefix}*`);
}
