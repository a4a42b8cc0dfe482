/**
 * The worklist's actions (the forms of worklist.ts): resolve, validate, reassign, start a merge
 * or a split, each with the src/linkage/worklist.ts function and the audit event of the worklist
 * router (src/api/worklist-router.ts). A refusal of the domain (out of scope, not pending, the
 * administrator who started a merge validating it) is shown on the page as an error.
 */
import type { Request, RequestHandler, Response } from 'express';
import { BadRequest } from '../../api/problem.js';
import { LinkageChangeError } from '../../linkage/changes.js';
import {
  reassignItem,
  resolveNearMatch,
  startMerge,
  startSplit,
  validateItem,
  WorklistError,
} from '../../linkage/worklist.js';
import { recordAuditEvent, worklistLevels } from '../../store/index.js';
import { redirectWithFlash, textFor } from '../render.js';
import type { CountsDeps } from './counts.js';
import { idParam, itemPath, WORKLIST_PATH, worklistActorOf } from './worklist.js';

async function audited(
  deps: CountsDeps,
  req: Request,
  action: string,
  id: number,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const who = worklistActorOf(req);
  await recordAuditEvent(deps.store, {
    actor: who.actor,
    actorState: who.state,
    action,
    subjectType: 'worklist-item',
    subjectId: id,
    outcome: 'success',
    requestId: String(req.id),
    ip: req.ip ?? null,
    detail: { roles: who.roles, ...detail },
  });
}

function refused(req: Request, res: Response, to: string, err: unknown): void {
  if (err instanceof WorklistError || err instanceof LinkageChangeError) {
    redirectWithFlash(req, res, to, { kind: 'error', text: err.message });
    return;
  }
  throw err;
}

function form(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

export function resolveAction(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const t = textFor(req);
    const id = idParam(req);
    const decision = form(req)['decision'];
    if (decision !== 'same' && decision !== 'different') {
      throw new BadRequest('decision must be "same" or "different"');
    }
    try {
      const item = await resolveNearMatch(
        deps.store,
        deps.config.linkage,
        worklistActorOf(req),
        id,
        decision,
      );
      await audited(deps, req, 'worklist.resolve', item.id, { decision });
    } catch (err) {
      refused(req, res, itemPath(id), err);
      return;
    }
    redirectWithFlash(req, res, WORKLIST_PATH, {
      kind: 'success',
      text: t.worklist.resolved(id, decision),
    });
  };
}

export function validateAction(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const t = textFor(req);
    const id = idParam(req);
    const answer = form(req)['approve'];
    if (answer !== 'yes' && answer !== 'no') throw new BadRequest('approve must be yes or no');
    const approve = answer === 'yes';
    try {
      const item = await validateItem(
        deps.store,
        deps.config.linkage,
        worklistActorOf(req),
        id,
        approve,
      );
      await audited(deps, req, approve ? 'worklist.approve' : 'worklist.reject', item.id);
    } catch (err) {
      refused(req, res, itemPath(id), err);
      return;
    }
    redirectWithFlash(req, res, WORKLIST_PATH, {
      kind: 'success',
      text: t.worklist.validated(id, approve),
    });
  };
}

export function reassignAction(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const t = textFor(req);
    const id = idParam(req);
    const b = form(req);
    const level = b['level'];
    if (typeof level !== 'string' || !(worklistLevels as readonly string[]).includes(level)) {
      throw new BadRequest(`level must be one of ${worklistLevels.join(', ')}`);
    }
    const optional = (name: string) => {
      const v = b[name];
      return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 64) : null;
    };
    try {
      const item = await reassignItem(deps.store, deps.config.linkage, worklistActorOf(req), id, {
        level: level as (typeof worklistLevels)[number],
        district: optional('district'),
        region: optional('region'),
      });
      await audited(deps, req, 'worklist.reassign', item.id, { level });
    } catch (err) {
      refused(req, res, itemPath(id), err);
      return;
    }
    redirectWithFlash(req, res, WORKLIST_PATH, {
      kind: 'success',
      text: t.worklist.reassigned(id, t.worklist.levels[level] ?? level),
    });
  };
}

const idList = (value: unknown) =>
  String(value ?? '')
    .split(/[\s,]+/)
    .filter(Boolean);

export function startMergeAction(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const t = textFor(req);
    const b = form(req);
    const childIds = idList(b['childIds']);
    const master = String(b['masterChildId'] ?? '').trim();
    if (childIds.length < 2 || !master) {
      redirectWithFlash(req, res, WORKLIST_PATH, { kind: 'error', text: t.worklist.badInput });
      return;
    }
    let id: number;
    try {
      const item = await startMerge(deps.store, deps.config.linkage, worklistActorOf(req), {
        childIds,
        masterChildId: master,
      });
      id = item.id;
      await audited(deps, req, 'child.merge.start', item.id, { childIds, masterChildId: master });
    } catch (err) {
      refused(req, res, WORKLIST_PATH, err);
      return;
    }
    redirectWithFlash(req, res, WORKLIST_PATH, { kind: 'success', text: t.worklist.merged(id) });
  };
}

export function startSplitAction(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const t = textFor(req);
    const b = form(req);
    const childId = String(b['childId'] ?? '').trim();
    const groups = String(b['groups'] ?? '')
      .split(/\r?\n/)
      .map((line) => idList(line).map(Number))
      .filter((g) => g.length > 0);
    if (!childId || groups.length < 2 || !groups.every((g) => g.every(Number.isSafeInteger))) {
      redirectWithFlash(req, res, WORKLIST_PATH, { kind: 'error', text: t.worklist.badInput });
      return;
    }
    let id: number;
    try {
      const item = await startSplit(deps.store, deps.config.linkage, worklistActorOf(req), {
        childId,
        groups,
      });
      id = item.id;
      await audited(deps, req, 'child.split.start', item.id, { childId });
    } catch (err) {
      refused(req, res, WORKLIST_PATH, err);
      return;
    }
    redirectWithFlash(req, res, WORKLIST_PATH, { kind: 'success', text: t.worklist.split(id) });
  };
}
