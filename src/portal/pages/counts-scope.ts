/**
 * Which state and period a counts page is about, and whether this person may see it: the same
 * binding as the reports router (src/api/reports-router.ts). A federal analyst reads the numbers
 * of every state; everything else (the numbers of a state user, the children, reconciliation,
 * freezing, certifying) is the own state's only. The page table has already checked the role.
 */
import type { Request } from 'express';
import { Forbidden } from '../../api/auth-problems.js';
import { BadRequest, NotFound } from '../../api/problem.js';
import { countOwners } from '../../api/reports-router.js';
import type { Config } from '../../config/index.js';
import { todayUtc } from '../../exchange/dates.js';
import type { PersonPrincipal } from '../../identity/principal.js';
import { parsePeriod, type PerformancePeriod } from '../../reports/child-count/index.js';
import { periodContaining, previousPeriod } from '../../reports/child-count/period.js';
import type { Store } from '../../store/index.js';
import { recordAuditEvent } from '../../store/index.js';

export const COUNTS_PATH = '/portal/counts';

export interface CountScope {
  state: string;
  period: string;
}

const STATE = /^[A-Za-z]{2}$/;

export function isAnalyst(person: PersonPrincipal): boolean {
  return person.roles.includes('federal-analyst');
}

export function isCountOwner(person: PersonPrincipal, state: string): boolean {
  return person.roles.some((r) => countOwners.includes(r)) && person.state === state;
}

/** The current period and the four before it, newest first: what the period list offers. */
export function recentPeriods(now: Date): PerformancePeriod[] {
  let period = periodContaining(todayUtc(now));
  const out = [period];
  while (out.length < 5) {
    period = previousPeriod(period);
    out.push(period);
  }
  return out;
}

/** The period that is running now. */
export function currentPeriod(now: Date): PerformancePeriod {
  return periodContaining(todayUtc(now));
}

function field(req: Request, name: string): string | undefined {
  const fromBody = (req.body as Record<string, unknown> | undefined)?.[name];
  const value = req.method === 'POST' ? fromBody : req.query[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The state and period a request names (query for pages, form for actions). `need` is what the
 * page shows: `numbers` (an analyst any state) or `own` (child-level data and actions).
 */
export function countScopeOf(
  req: Request,
  config: Config,
  person: PersonPrincipal,
  now: Date,
  need: 'numbers' | 'own',
): CountScope {
  const given = field(req, 'state') ?? person.state;
  if (!STATE.test(given)) throw new BadRequest('Choose a state by its two-letter code.');
  const state = given.toUpperCase();
  if (!config.states.some((s) => s.code.toUpperCase() === state)) {
    throw new NotFound(`State ${state} is not configured.`);
  }
  const period = field(req, 'period') ?? currentPeriod(now).name;
  try {
    parsePeriod(period);
  } catch (err) {
    throw new BadRequest((err as Error).message);
  }
  // An analyst reads the numbers of any state; nobody else leaves their own state.
  if (!(need === 'numbers' && isAnalyst(person)) && person.state !== state) {
    throw new Forbidden(`Your account is for ${person.state}, not ${state}.`);
  }
  // Child-level data and the state's own submission: the state data administrator only.
  if (need === 'own' && !isCountOwner(person, state)) {
    throw new Forbidden('Only the state data administrator sees child-level count data.');
  }
  return { state, period };
}

export function scopeQuery(scope: CountScope, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ state: scope.state, period: scope.period, ...extra }).toString();
}

/** Reads of child-level data, uploads, freezes and certifications: audited as the API does. */
export async function auditCount(
  store: Store,
  req: Request,
  person: PersonPrincipal,
  action: string,
  scope: CountScope,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await recordAuditEvent(store, {
    actor: person.actor,
    actorState: person.state,
    action,
    subjectType: 'child-count',
    subjectId: `${scope.state}/${scope.period}`,
    outcome: 'success',
    requestId: String(req.id),
    ip: req.ip ?? null,
    detail: { roles: person.roles, via: 'portal', ...detail },
  });
}
