import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { ctx } from '../context';
import { HttpError } from '../errors';

/**
 * Limits test-box runs (the page's form and the API's preview share one count) per signed-in user
 * and minute. Each run is a search and, with an LLM or embeddings provider configured, paid calls
 * that may each wait up to their timeout, so one user (or one leaked API token) must not be able to
 * run them in a loop. Counters live in this process's memory; behind several replicas each has its own.
 * Must come after the session or token check (the key is the user).
 */
export function createTestBoxLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req, res) => `user:${ctx(res).user.id}`,
    handler: (_req, _res, next) => next(new HttpError(429, 'rate_limited', 'kb.testLimited')),
  });
}
