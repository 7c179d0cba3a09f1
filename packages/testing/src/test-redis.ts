import { randomBytes } from 'node:crypto';
import { deleteKeysMatching, type RedisTargetLike } from '@repo/queue';

/** The Redis tests use; `TEST_REDIS_URL` overrides it. */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A key prefix unique to one test run, so runs never see each other's queues. */
export function uniquePrefix(label = 't'): string {
  return `${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under a prefix (BullMQ keys included), on every master of a cluster. */
export function deleteRedisPrefix(prefix: string, target: RedisTargetLike = testRedisUrl()): Promise<void> {
  return deleteKeysMatching(target, `*${prefix}*`);
}
