/**
 * Child counts over REST (DESIGN.md section 8). Routes only wire: the work is in
 * src/reports/child-count. Who sees what (the access matrix lets the roles in; the checks here
 * bind them to a state):
 * - the numbers: a federal analyst for every state, a state data administrator for their own;
 * - the children behind the numbers, the reconciliation, freezing and certifying: the state data
 *   administrator of that state only. A federal analyst never sees child-level data.
 * Every read of child-level data is audited (FERPA, 34 CFR 99.32), as are freezes and
 * certifications.
 */
import express, { Router } from 'express';
import type { Request, Response } from 'express';
import type { Config } from '../config/index.js';
import type { Principal } from '../identity/principal.js';
import type { Role } from '../identity/roles.js';
import {
  ChildCountInputError,
  ChildCountStatusError,
  NoStateListError,
  StateListError,
  certifyCount,
  childCountReport,
  countedThrough,
  freezeCount,
  listCountedChildren,
  countCsv,
  countView,
  countedChildrenCsv,
  parseCsvList,
  parseJsonList,
  parsePeriod,
  reconcileChildCount,
  reconciliationCsvRows,
  saveStateList,
  toCsv,
} from '../reports/child-count/index.js';
import type { Reconciliation } from '../reports/child-count/index.js';
import type { Store } from '../store/index.js';
import { recordAuditEvent } from '../store/index.js';
import { Forbidden, Unauthorized } from './auth-problems.js';
import { BadRequest, HttpProblem, NotFound } from './problem.js';

/** The state's own count is in a state the caller may not change (RFC 9110 section 15.5.10). */
export class Conflict extends HttpProblem {
  constructor(detail: string) {
    super(409, 'Conflict', detail, 'conflict');
  }
}

/** Roles that read the numbers; the federal analyst for every state (DESIGN.md section 1). */
export const countReaders: readonly Role[] = ['federal-analyst', 'state-data-admin'];
/** Roles that see the children, reconcile, freeze and certify: their own state only. */
export const countOwners: readonly Role[] = ['state-data-admin'];

const STATE = /^[A-Za-z]{2}$/;

function principalOf(req: Request): Principal {
  if (!req.principal) throw new Unauthorized();
  return req.principal;
}

function param(req: Request, name: string): string | undefined {
  const fromBody = (req.body as Record<string, unknown> | undefined)?.[name];
  const value = req.query[name] ?? (typeof fromBody === 'string' ? fromBody : undefined);
  return typeof value === 'string' ? value : undefined;
}

interface Scope {
  state: string;
  period: string;
}

function scopeOf(req: Request, config: Config): Scope {
  const state = param(req, 'state') ?? '';
  if (!STATE.test(state)) throw new BadRequest('Name the state: state=XX.');
  const code = state.toUpperCase();
  if (!config.states.some((s) => s.code.toUpperCase() === code)) {
    throw new NotFound(`State ${code} is not configured.`);
  }
  const period = param(req, 'period') ?? '';
  try {
    parsePeriod(period);
  } catch (err) {
    throw new BadRequest((err as Error).message);
  }
  return { state: code, period };
}

/** A federal analyst reads every state; a state user only their own. */
function requireReader(principal: Principal, state: string): void {
  if (principal.roles.includes('federal-analyst')) return;
  requireOwner(principal, state);
}

function requireOwner(principal: Principal, state: string): void {
  if (!principal.roles.some((r) => countOwners.includes(r))) {
    throw new Forbidden('Only the state data administrator sees child-level count data.');
  }
  if (principal.state !== state) {
    throw new Forbidden(`Your account is for ${principal.state ?? 'no state'}, not ${state}.`);
  }
}

function wantsCsv(req: Request): boolean {
  const format = param(req, 'format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new BadRequest('format must be json or csv.');
  return format === 'csv';
}

function sendCsv(res: Response, name: string, body: string): void {
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  res.send(body);
}

/** The domain's errors as the caller sees them. */
async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ChildCountInputError) throw new BadRequest(err.message);
    if (err instanceof StateListError) throw new BadRequest(err.message, err.errors);
    if (err instanceof ChildCountStatusError) throw new Conflict(err.message);
    if (err instanceof NoStateListError) throw new NotFound(err.message);
    throw err;
  }
}

export function reportsRouter(config: Config, store: Store): Router {
  const router = Router();

  async function audit(req: Request, action: string, scope: Scope, detail: object = {}) {
    const principal = principalOf(req);
    await recordAuditEvent(store, {
      actor: principal.actor,
      actorState: principal.state,
      action,
      subjectType: 'child-count',
      subjectId: `${scope.state}/${scope.period}`,
      outcome: 'success',
      requestId: String(req.id),
      ip: req.ip ?? null,
      detail: { roles: principal.roles, ...detail },
    });
  }

  router.get('/reports/child-count', async (req, res) => {
    const scope = scopeOf(req, config);
    requireReader(principalOf(req), scope.state);
    const csv = wantsCsv(req);
    const asOf = param(req, 'asOf');
    const count = await answering(() =>
      childCountReport(store, { ...scope, ...(asOf ? { asOf } : {}) }),
    );
    if (csv) {
      sendCsv(res, `child-count-${scope.state}-${scope.period}`, countCsv(count));
    } else res.json(countView(count));
  });

  router.get('/reports/child-count/children', async (req, res) => {
    const scope = scopeOf(req, config);
    requireOwner(principalOf(req), scope.state);
    const csv = wantsCsv(req);
    const category = param(req, 'category');
    if (category !== undefined && category !== '1' && category !== '2') {
      throw new BadRequest('category must be 1 or 2.');
    }
    const count = await answering(() => childCountReport(store, scope));
    const children = await listCountedChildren(
      store,
      count.id,
      category === undefined ? undefined : category === '2' ? 2 : 1,
    );
    await audit(req, 'child-count.children.read', scope, { children: children.length });
    if (csv)
      sendCsv(res, `counted-children-${scope.state}-${scope.period}`, countedChildrenCsv(children));
    else res.json({ ...countView(count), children });
  });

  async function sendReconciliation(req: Request, res: Response, report: Reconciliation) {
    await audit(req, 'child-count.reconciliation.read', report, { listId: report.list.id });
    if (wantsCsv(req)) {
      sendCsv(
        res,
        `reconciliation-${report.state}-${report.period}`,
        toCsv(
          ['category', 'side', 'stateStudentId', 'childId', 'reason', 'detail'],
          reconciliationCsvRows(report),
        ),
      );
    } else res.json(report);
  }

  router.post(
    '/reports/child-count/reconciliation',
    express.text({ type: ['text/csv', 'text/plain'], limit: '20mb' }),
    async (req, res) => {
      const scope = scopeOf(req, config);
      const principal = principalOf(req);
      requireOwner(principal, scope.state);
      wantsCsv(req);
      const entries = await answering(async () => {
        if (typeof req.body === 'string') return parseCsvList(req.body);
        if (req.is('application/json')) return parseJsonList(req.body);
        throw new StateListError('Send the list as text/csv or application/json.');
      });
      const now = new Date();
      await saveStateList(store, { ...scope, entries, by: principal.actor, now });
      await audit(req, 'child-count.state-list.upload', scope, { ids: entries.length });
      res.status(201);
      await sendReconciliation(
        req,
        res,
        await answering(() => reconcileChildCount(store, { ...scope, now })),
      );
    },
  );

  router.get('/reports/child-count/reconciliation', async (req, res) => {
    const scope = scopeOf(req, config);
    requireOwner(principalOf(req), scope.state);
    wantsCsv(req);
    await sendReconciliation(req, res, await answering(() => reconcileChildCount(store, scope)));
  });

  router.post('/reports/child-count/freeze', async (req, res) => {
    const scope = scopeOf(req, config);
    const principal = principalOf(req);
    requireOwner(principal, scope.state);
    const period = parsePeriod(scope.period);
    const asOf = param(req, 'asOf');
    const count = await answering(() =>
      freezeCount(store, {
        state: scope.state,
        period,
        countedThrough: countedThrough(period, asOf),
        by: principal.actor,
        now: new Date(),
      }),
    );
    await audit(req, 'child-count.freeze', scope, { countedThrough: count.countedThrough });
    res.json(countView(count));
  });

  router.post('/reports/child-count/certify', async (req, res) => {
    const scope = scopeOf(req, config);
    const principal = principalOf(req);
    requireOwner(principal, scope.state);
    const count = await answering(() =>
      certifyCount(store, {
        state: scope.state,
        period: parsePeriod(scope.period),
        by: principal.actor,
        now: new Date(),
      }),
    );
    await audit(req, 'child-count.certify', scope, {
      category1: count.category1.total,
      category2: count.category2.total,
    });
    res.json(countView(count));
  });

  return router;
}
