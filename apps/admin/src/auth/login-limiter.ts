import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Request, RequestHandler, Response } from 'express';

/**
 * Limits sign-in attempts per client address and e-mail, and (five times looser) per address alone,
 * so one address cannot try many accounts and one account cannot be tried from one address forever.
 * Counters live in this process's memory; behind several replicas each has its own.
 */
export function createLoginLimiter(options: {
  max: number;
  windowSeconds: number;
  onLimited: (req: Request, res: Response) => void;
}): RequestHandler[] {
  const common = {
    windowMs: options.windowSeconds * 1000,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    handler: (req: Request, res: Response) => options.onLimited(req, res),
  };
  const address = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');
  const email = (req: Request) =>
    String((req.body as Record<string, unknown> | undefined)?.email ?? '')
      .trim()
      .toLowerCase()
      .slice(0, 200);
  return [
    rateLimit({ ...common, limit: options.max * 5, keyGenerator: (req) => `ip:${address(req)}` }),
    rateLimit({ ...common, limit: options.max, keyGenerator: (req) => `ip-email:${address(req)}:${email(req)}` }),
  ];
}
