/** Shared checks of request input for the jobs, notifications, moves and deadlines routers. */
import type { Request } from 'express';
import type { z } from 'zod';
import type { PersonPrincipal } from '../identity/principal.js';
import { Forbidden, Unauthorized } from './auth-problems.js';
import { BadRequest } from './problem.js';

export function personOf(req: Request): PersonPrincipal {
  if (!req.principal) throw new Unauthorized();
  if (req.principal.kind !== 'person') throw new Forbidden('Only signed-in people may do this.');
  return req.principal;
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new BadRequest(
    'The request body is not valid.',
    result.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', reason: i.message })),
  );
}

export function positiveId(value: unknown, name = 'id'): number {
  const text = String(value);
  const n = Number(text);
  if (!/^[1-9][0-9]{0,15}$/.test(text) || !Number.isSafeInteger(n)) {
    throw new BadRequest(`${name} must be a positive whole number`);
  }
  return n;
}

export function limitOf(value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new BadRequest(`limit must be 1 to ${max}`);
  return n;
}

export function oneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  throw new BadRequest(`${name} must be one of ${allowed.join(', ')}`);
}
