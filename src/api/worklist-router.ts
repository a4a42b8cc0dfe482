/**
 * The data administrators' worklist (issue 6): near matches, merges and splits, validated by a
 * second administrator. Routes only wire handlers: the rules live in src/linkage/worklist.ts.
 */
import { Router } from 'express';
import type { Request } from 'express';
import type { LinkageSettings } from '../config/schema.js';
import type { PersonPrincipal } from '../identity/principal.js';
import { LinkageChangeError, revertLinkageChange } from '../linkage/changes.js';
import {
  WorklistError,
  listWorklist,
  reassignItem,
  resolveNearMatch,
  startMerge,
  startSplit,
  validateItem,
} from '../linkage/worklist.js';
import type { WorklistActor } from '../linkage/worklist.js';
import type { Store, WorklistStatus } from '../store/index.js';
import { recordAuditEvent, worklistLevels, worklistStatuses } from '../store/index.js';
import type { WorklistItem } from '../store/repositories/worklist.js';
import { Forbidden, Unauthorized } from './auth-problems.js';
import { BadRequest, Conflict, NotFound } from './problem.js';

function actorOf(req: Request): WorklistActor {
  if (!req.principal) throw new Unauthorized();
  if (req.principal.kind !== 'person') throw new Forbidden('Only signed-in people may do this.');
  const p: PersonPrincipal = req.principal;
  return { actor: p.actor, state: p.state, roles: p.roles, district: p.district };
}

function idOf(req: Request): number {
  const id = Number(req.params['id']);
  if (!Number.isSafeInteger(id) || id < 1) throw new BadRequest('id must be a positive number');
  return id;
}

function body(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (!b || typeof b !== 'object' || Array.isArray(b))
    throw new BadRequest('a JSON object body is required');
  return b as Record<string, unknown>;
}

function asProblem(err: unknown): never {
  if (err instanceof WorklistError || err instanceof LinkageChangeError) {
    if (err.reason === 'not-found') throw new NotFound(err.message);
    if (err.reason === 'conflict') throw new Conflict(err.message);
    if (err.reason === 'forbidden') throw new Forbidden(err.message);
    throw new BadRequest(err.message);
  }
  throw err;
}

function view(item: WorklistItem) {
  return item;
}

export function worklistRouter(store: Store, settings: LinkageSettings): Router {
  const router = Router();
  const audited = async (req: Request, action: string, id: number | string, detail = {}) => {
    const who = actorOf(req);
    await recordAuditEvent(store, {
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
  };

  router.get('/worklist', async (req, res) => {
    const statuses = req.query['status'];
    let wanted: WorklistStatus[] | undefined;
    if (statuses !== undefined) {
      wanted = String(statuses).split(',') as WorklistStatus[];
      if (!wanted.every((s) => (worklistStatuses as readonly string[]).includes(s))) {
        throw new BadRequest(`status must be among ${worklistStatuses.join(', ')}`);
      }
    }
    const page = Number(req.query['page'] ?? 1);
    if (!Number.isInteger(page) || page < 1) throw new BadRequest('page must be 1 or more');
    const items = await listWorklist(store, settings, actorOf(req), {
      statuses: wanted ?? ['open', 'pending'],
      limit: 50,
      offset: (page - 1) * 50,
    }).catch(asProblem);
    res.json({ page, items: items.map(view) });
  });

  router.post('/worklist/:id/resolve', async (req, res) => {
    const decision = body(req)['decision'];
    if (decision !== 'same' && decision !== 'different') {
      throw new BadRequest('decision must be "same" or "different"');
    }
    const item = await resolveNearMatch(store, settings, actorOf(req), idOf(req), decision).catch(
      asProblem,
    );
    await audited(req, 'worklist.resolve', item.id, { decision });
    res.json(view(item));
  });

  router.post('/worklist/:id/validate', async (req, res) => {
    const approve = body(req)['approve'];
    if (typeof approve !== 'boolean') throw new BadRequest('approve must be true or false');
    const item = await validateItem(store, settings, actorOf(req), idOf(req), approve).catch(
      asProblem,
    );
    await audited(req, approve ? 'worklist.approve' : 'worklist.reject', item.id);
    res.json(view(item));
  });

  router.post('/worklist/:id/reassign', async (req, res) => {
    const b = body(req);
    const level = b['level'];
    if (typeof level !== 'string' || !(worklistLevels as readonly string[]).includes(level)) {
      throw new BadRequest(`level must be one of ${worklistLevels.join(', ')}`);
    }
    const optional = (name: string) => {
      const v = b[name];
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string' || v.length > 64) throw new BadRequest(`${name} must be a string`);
      return v;
    };
    const item = await reassignItem(store, settings, actorOf(req), idOf(req), {
      level: level as (typeof worklistLevels)[number],
      district: optional('district'),
      region: optional('region'),
    }).catch(asProblem);
    await audited(req, 'worklist.reassign', item.id, { level });
    res.json(view(item));
  });

  router.post('/worklist/merges', async (req, res) => {
    const b = body(req);
    const childIds = b['childIds'];
    const master = b['masterChildId'];
    if (
      !Array.isArray(childIds) ||
      !childIds.every((c) => typeof c === 'string') ||
      typeof master !== 'string'
    ) {
      throw new BadRequest('childIds (strings) and masterChildId are required');
    }
    const item = await startMerge(store, settings, actorOf(req), {
      childIds: childIds as string[],
      masterChildId: master,
    }).catch(asProblem);
    await audited(req, 'child.merge.start', item.id, { childIds, masterChildId: master });
    res.status(201).json(view(item));
  });

  router.post('/worklist/splits', async (req, res) => {
    const b = body(req);
    const childId = b['childId'];
    const groups = b['groups'];
    const valid =
      typeof childId === 'string' &&
      Array.isArray(groups) &&
      groups.every((g) => Array.isArray(g) && g.every((n) => Number.isSafeInteger(n)));
    if (!valid)
      throw new BadRequest('childId and groups (arrays of student record ids) are required');
    const item = await startSplit(store, settings, actorOf(req), {
      childId,
      groups: groups as number[][],
    }).catch(asProblem);
    await audited(req, 'child.split.start', item.id, { childId });
    res.status(201).json(view(item));
  });

  router.post('/linkage-changes/:id/revert', async (req, res) => {
    const who = actorOf(req);
    const id = idOf(req);
    const changeId = await revertLinkageChange(store, id, who.actor).catch(asProblem);
    await audited(req, 'linkage-change.revert', id, { revertedBy: changeId });
    res.json({ revertedChangeId: id, changeId });
  });

  return router;
}
