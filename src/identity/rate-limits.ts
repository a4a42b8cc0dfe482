/** Rate limits on sign-in and token endpoints, per client address (answers 429 problem+json). */
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { TooManyRequests } from '../api/auth-problems.js';
import type { Config } from '../config/index.js';

function limiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new TooManyRequests()),
  });
}

export function signInRateLimit(config: Config): RequestHandler {
  return limiter(config.identity.rateLimit.signInPerMinute);
}

export function tokenRateLimit(config: Config): RequestHandler {
  return limiter(config.identity.rateLimit.tokenPerMinute);
}
