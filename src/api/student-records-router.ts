/**
 * GET /api/v1/student-records/{id}: one state's record of a child. Any authorized reader sees
 * records of every state (MSIX lets authorized users see all states' records of a child); the
 * access matrix keeps out the federal analyst, partners and state systems. Every read is audited
 * (FERPA, 34 CFR 99.32: a record of each disclosure).
 */
import { Router } from 'express';
import type { PersonPrincipal, Principal } from '../identity/principal.js';
import type { Store } from '../store/index.js';
import { readStudentDocument, recordAuditEvent } from '../store/index.js';
import { Unauthorized } from './auth-problems.js';
import { BadRequest, NotFound } from './problem.js';

export const STUDENT_RECORD_ROUTE = 'GET /api/v1/student-records/:id';

function actorOf(principal: Principal | undefined): Principal {
  if (!principal) throw new Unauthorized();
  return principal;
}

export function studentRecordsRouter(store: Store): Router {
  const router = Router();
  router.get('/student-records/:id', async (req, res) => {
    const principal = actorOf(req.principal);
    const id = Number(req.params['id']);
    if (!/^[1-9][0-9]{0,15}$/.test(String(req.params['id'])) || !Number.isSafeInteger(id)) {
      throw new BadRequest('id must be a positive whole number');
    }
    const stored = await readStudentDocument(store, id);
    if (!stored) throw new NotFound(`No student record ${id}.`);
    await recordAuditEvent(store, {
      actor: principal.actor,
      actorState: principal.state,
      action: 'student-record.read',
      subjectType: 'student-record',
      subjectId: id,
      outcome: 'success',
      requestId: String(req.id),
      ip: req.ip ?? null,
      detail: {
        roles: principal.roles,
        route: STUDENT_RECORD_ROUTE,
        childId: stored.childId,
        recordState: stored.source.state,
        ...(principal.kind === 'person'
          ? { district: (principal as PersonPrincipal).district }
          : {}),
      },
    });
    res.json({
      studentRecordId: stored.studentRecordId,
      childId: stored.childId,
      state: stored.source.state,
      document: stored.document,
    });
  });
  return router;
}
