/**
 * The consolidated record (issue 6): GET /api/v1/children (search), /children/{childId} (the
 * whole record, every state) and /children/{childId}/print (HTML for printing). Readers are the
 * access matrix's record readers; every read and every search is audited (FERPA, 34 CFR 99.32).
 */
import { Router } from 'express';
import type { Request } from 'express';
import type { Principal } from '../identity/principal.js';
import { searchChildren } from '../linkage/child-search.js';
import type { ChildSearch } from '../linkage/child-search.js';
import { consolidatedRecord } from '../linkage/consolidated-record.js';
import type { ConsolidatedRecord } from '../linkage/consolidated-record.js';
import type { Store } from '../store/index.js';
import { isValidChildId, recordAuditEvent } from '../store/index.js';
import { Unauthorized } from './auth-problems.js';
import { renderChildPrint } from './child-print.js';
import { BadRequest, NotFound } from './problem.js';

function principalOf(req: Request): Principal {
  if (!req.principal) throw new Unauthorized();
  return req.principal;
}

function childIdOf(value: unknown): string {
  const id = String(value ?? '');
  // The Luhn digit catches a mistyped digit before it reaches a query (store/child-id.ts).
  if (!isValidChildId(id)) throw new BadRequest('childId must be a valid 12-digit child ID');
  return id;
}

function text(req: Request, name: string, max: number): string | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) {
    throw new BadRequest(`${name} must be one value of at most ${max} characters`);
  }
  return value.trim();
}

/** The audit event of a search or a record read (the portal's pages record theirs with it too). */
export async function auditChildAccess(
  store: Store,
  req: Request,
  action: string,
  subjectId: string | null,
  detail: Record<string, unknown>,
): Promise<void> {
  const principal = principalOf(req);
  await recordAuditEvent(store, {
    actor: principal.actor,
    actorState: principal.state,
    action,
    subjectType: subjectId ? 'child' : null,
    subjectId,
    outcome: 'success',
    requestId: String(req.id),
    ip: req.ip ?? null,
    detail: { roles: principal.roles, ...detail },
  });
}

/**
 * One child's consolidated record, the read audited (child.read, child.print): the API and the
 * portal's record pages both read through here, so both record the same event.
 */
export async function readChildAudited(
  store: Store,
  req: Request,
  childId: string,
  action: string,
): Promise<ConsolidatedRecord> {
  const record = await consolidatedRecord(store, childId);
  if (!record) throw new NotFound(`No child ${childId}.`);
  await auditChildAccess(store, req, action, record.childId, {
    states: [...new Set(record.linkedStateIds.map((i) => i.state))],
    ...(record.requestedChildId ? { requestedChildId: record.requestedChildId } : {}),
  });
  return record;
}

export function childrenRouter(store: Store): Router {
  const router = Router();

  router.get('/children', async (req, res) => {
    principalOf(req);
    const query: ChildSearch = {};
    const lastName = text(req, 'lastName', 100);
    const firstName = text(req, 'firstName', 100);
    const birthDate = text(req, 'birthDate', 10);
    const stateStudentId = text(req, 'stateStudentId', 15);
    const childId = text(req, 'childId', 12);
    if (lastName) query.lastName = lastName;
    if (firstName) query.firstName = firstName;
    if (birthDate) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate))
        throw new BadRequest('birthDate must be YYYY-MM-DD');
      query.birthDate = birthDate;
    }
    if (stateStudentId) query.stateStudentId = stateStudentId;
    if (childId) query.childId = childIdOf(childId);
    if (!query.lastName && !query.birthDate && !query.stateStudentId && !query.childId) {
      throw new BadRequest('Give lastName, birthDate, stateStudentId or childId');
    }
    const page = Number(text(req, 'page', 6) ?? '1');
    if (!Number.isInteger(page) || page < 1) throw new BadRequest('page must be 1 or more');
    const found = await searchChildren(store, query, page, 20);
    // Which fields were searched on, never their values: those are a child's data.
    await auditChildAccess(store, req, 'child.search', null, {
      fields: Object.keys(query),
      results: found.results.map((r) => r.childId),
    });
    res.json(found);
  });

  const read = (req: Request, action: string) =>
    readChildAudited(store, req, childIdOf(req.params['childId']), action);

  router.get('/children/:childId', async (req, res) => {
    res.json(await read(req, 'child.read'));
  });

  router.get('/children/:childId/print', async (req, res) => {
    const record = await read(req, 'child.print');
    res.type('text/html').setHeader('Cache-Control', 'no-store');
    res.send(renderChildPrint(record, new Date()));
  });

  return router;
}
