/**
 * The data administrators' worklist (issue 6 through the portal): near matches side by side with
 * the field-by-field explanation; resolve, validate (by a different administrator: the domain
 * refuses the one who started it, and the page shows the refusal), reassign, start a merge or a
 * split. The same src/linkage/worklist.ts functions and audit events as the worklist router.
 */
import type { Request, RequestHandler, Response } from 'express';
import { Forbidden } from '../../api/auth-problems.js';
import { readChildAudited } from '../../api/children-router.js';
import { BadRequest, NotFound } from '../../api/problem.js';
import { LinkageChangeError } from '../../linkage/changes.js';
import {
  listWorklist,
  reassignItem,
  resolveNearMatch,
  startMerge,
  startSplit,
  validateItem,
  WorklistError,
  type WorklistActor,
} from '../../linkage/worklist.js';
import type { ConsolidatedRecord } from '../../linkage/consolidated-record.js';
import { recordAuditEvent, worklistLevels } from '../../store/index.js';
import type { WorklistItem } from '../../store/repositories/worklist.js';
import { csrfField } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { personOf, redirectWithFlash, renderPage, textFor } from '../render.js';
import type { PortalText } from '../text/en.js';
import { day, demographicText, explanationTable } from './child-record-view.js';
import { recordPath } from './children.js';
import type { CountsDeps } from './counts.js';

export const WORKLIST_PATH = '/portal/worklist';
const itemPath = (id: number) => `${WORKLIST_PATH}/${id}`;
/** Items read for one page; the detail page finds its item among them (scope checked there). */
const LIST_LIMIT = 200;

export function worklistActorOf(req: Request): WorklistActor {
  const p = personOf(req);
  return { actor: p.actor, state: p.state, roles: p.roles, district: p.district };
}

/** As the worklist router records its actions (src/api/worklist-router.ts). */
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

function idParam(req: Request): number {
  const id = Number(req.params['id']);
  if (!Number.isSafeInteger(id) || id < 1) throw new BadRequest('id must be a positive number');
  return id;
}

/** A refusal of the domain (not in scope, not pending, same administrator) shown on the page. */
function refused(req: Request, res: Response, to: string, err: unknown): void {
  if (err instanceof WorklistError || err instanceof LinkageChangeError) {
    redirectWithFlash(req, res, to, { kind: 'error', text: err.message });
    return;
  }
  throw err;
}

export async function worklistItems(deps: CountsDeps, req: Request): Promise<WorklistItem[]> {
  return listWorklist(deps.store, deps.config.linkage, worklistActorOf(req), {
    statuses: ['open', 'pending'],
    limit: LIST_LIMIT,
    offset: 0,
  }).catch((err: unknown) => {
    // No scope (a district role without a district): refused as the API refuses it.
    if (err instanceof WorklistError) throw new Forbidden(err.message);
    throw err;
  });
}

function assignedTo(t: PortalText, item: WorklistItem): string {
  const where = item.district ?? item.region ?? item.stateCode;
  return `${t.worklist.levels[item.level] ?? item.level} ${where}`;
}

function childrenOf(item: WorklistItem): string[] {
  const detail = item.detail ?? {};
  const fromDetail = Array.isArray(detail['childIds']) ? (detail['childIds'] as string[]) : [];
  return [item.childId, item.candidateChildId, item.masterChildId, ...fromDetail]
    .filter((c): c is string => typeof c === 'string' && c !== '')
    .filter((c, i, all) => all.indexOf(c) === i);
}

function mergeAndSplitForms(req: Request, t: PortalText): SafeHtml {
  const w = t.worklist;
  return html`<section aria-labelledby="merge-heading">
      <h2 id="merge-heading">${w.mergeTitle}</h2>
      <p>${w.mergeIntro}</p>
      <form class="usa-form" method="post" action="${WORKLIST_PATH}/merges" id="merge-form">
        ${csrfField(req)}
        <label class="usa-label" for="merge-children">${w.mergeChildIds}</label>
        <textarea class="usa-textarea" id="merge-children" name="childIds" required></textarea>
        <label class="usa-label" for="merge-master">${w.mergeMaster}</label>
        <input class="usa-input" id="merge-master" name="masterChildId" required />
        <button class="usa-button" type="submit" id="merge-start">${w.startMerge}</button>
      </form>
    </section>
    <section aria-labelledby="split-heading">
      <h2 id="split-heading">${w.splitTitle}</h2>
      <p>${w.splitIntro}</p>
      <form class="usa-form" method="post" action="${WORKLIST_PATH}/splits" id="split-form">
        ${csrfField(req)}
        <label class="usa-label" for="split-child">${w.splitChildId}</label>
        <input class="usa-input" id="split-child" name="childId" required />
        <label class="usa-label" for="split-groups">${w.splitGroups}</label>
        <textarea class="usa-textarea" id="split-groups" name="groups" required></textarea>
        <button class="usa-button" type="submit" id="split-start">${w.startSplit}</button>
      </form>
    </section>`;
}

export function worklistPage(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const t = textFor(req);
    const w = t.worklist;
    const items = await worklistItems(deps, req);
    const table =
      items.length === 0
        ? html`<p id="worklist-none">${w.none}</p>`
        : html`<div class="portal-table-wrap">
            <table class="usa-table usa-table--striped" id="worklist-items">
              <caption>
                ${w.caption}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${w.item}</th>
                  <th scope="col">${w.kind}</th>
                  <th scope="col">${w.status}</th>
                  <th scope="col">${w.children}</th>
                  <th scope="col">${w.score}</th>
                  <th scope="col">${w.assigned}</th>
                  <th scope="col">${w.escalates}</th>
                </tr>
              </thead>
              <tbody>
                ${items.map(
                  (item) =>
                    html`<tr data-item="${item.id}" data-kind="${item.kind}">
                      <th scope="row">
                        <a class="usa-link" href="${itemPath(item.id)}">${w.open(item.id)}</a>
                      </th>
                      <td>${w.kinds[item.kind] ?? item.kind}</td>
                      <td>${w.statuses[item.status] ?? item.status}</td>
                      <td>${childrenOf(item).join(', ')}</td>
                      <td class="portal-number">
                        ${item.score === null ? '' : item.score.toFixed(1)}
                      </td>
                      <td>${assignedTo(t, item)}</td>
                      <td>${day(item.escalatesAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`;
    renderPage(req, res, {
      title: w.title,
      body: html`<p>${w.intro}</p>
        ${table} ${mergeAndSplitForms(req, t)}`,
    });
  };
}

function sideBySide(t: PortalText, a: ConsolidatedRecord, b: ConsolidatedRecord): SafeHtml {
  const w = t.worklist;
  const fields = a.demographics.map((d) => d.field);
  const value = (r: ConsolidatedRecord, field: string) =>
    (r.demographics.find((d) => d.field === field)?.values ?? [])
      .map((v) => `${demographicText(t, v.value)} (${v.states.join(', ')})`)
      .join('; ');
  // Values compared without the states that hold them: a difference is what the admin weighs.
  const bare = (r: ConsolidatedRecord, field: string) =>
    JSON.stringify(
      (r.demographics.find((d) => d.field === field)?.values ?? []).map((v) => v.value),
    );
  const differs = (f: string) => bare(a, f) !== bare(b, f);
  return html`<div class="portal-table-wrap">
    <table class="usa-table" id="side-by-side">
      <caption>
        ${w.sideBySide}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.record.field}</th>
          <th scope="col">
            ${w.record}: <a class="usa-link" href="${recordPath(a.childId)}">${a.childId}</a>
          </th>
          <th scope="col">
            ${w.candidate}: <a class="usa-link" href="${recordPath(b.childId)}">${b.childId}</a>
          </th>
        </tr>
      </thead>
      <tbody>
        ${fields
          .filter((f) => value(a, f) || value(b, f))
          .map(
            (f) =>
              html`<tr data-field="${f}" ${differs(f) ? html`class="portal-disagree"` : ''}>
                <th scope="row">
                  ${t.record.fields[f] ?? f}
                  ${
                    differs(f)
                      ? html`<span class="usa-tag portal-disagree-tag">${t.worklist.differ}</span>`
                      : ''
                  }
                </th>
                <td>${value(a, f)}</td>
                <td>${value(b, f)}</td>
              </tr>`,
          )}
      </tbody>
    </table>
  </div>`;
}

function actionForms(req: Request, t: PortalText, item: WorklistItem): SafeHtml {
  const w = t.worklist;
  const path = itemPath(item.id);
  const resolve =
    item.kind === 'near-match' && item.status === 'open'
      ? html`<form class="usa-form" method="post" action="${path}/resolve" id="resolve-form">
          ${csrfField(req)}
          <fieldset class="usa-fieldset">
            <legend class="usa-legend">${w.resolveTitle}</legend>
            <button class="usa-button" type="submit" name="decision" value="same" id="resolve-same">
              ${w.same}
            </button>
            <button
              class="usa-button usa-button--outline"
              type="submit"
              name="decision"
              value="different"
              id="resolve-different"
            >
              ${w.different}
            </button>
          </fieldset>
        </form>`
      : '';
  const validate =
    item.status === 'pending'
      ? html`<form class="usa-form" method="post" action="${path}/validate" id="validate-form">
          ${csrfField(req)}
          <fieldset class="usa-fieldset">
            <legend class="usa-legend">${w.validateTitle}</legend>
            <p>${w.startedBy(item.startedBy)}</p>
            <button
              class="usa-button"
              type="submit"
              name="approve"
              value="yes"
              id="validate-approve"
            >
              ${w.approve}
            </button>
            <button
              class="usa-button usa-button--secondary"
              type="submit"
              name="approve"
              value="no"
              id="validate-reject"
            >
              ${w.reject}
            </button>
          </fieldset>
        </form>`
      : '';
  const reassign = html`<form
    class="usa-form"
    method="post"
    action="${path}/reassign"
    id="reassign-form"
  >
    ${csrfField(req)}
    <fieldset class="usa-fieldset">
      <legend class="usa-legend">${w.reassignTitle}</legend>
      <label class="usa-label" for="reassign-level">${w.level_}</label>
      <select class="usa-select" id="reassign-level" name="level">
        ${worklistLevels.map(
          (l) =>
            html`<option value="${l}" ${l === item.level ? html`selected` : ''}>
              ${w.levels[l] ?? l}
            </option>`,
        )}
      </select>
      <label class="usa-label" for="reassign-district">${w.districtField}</label>
      <input
        class="usa-input"
        id="reassign-district"
        name="district"
        value="${item.district ?? ''}"
      />
      <label class="usa-label" for="reassign-region">${w.regionField}</label>
      <input class="usa-input" id="reassign-region" name="region" value="${item.region ?? ''}" />
      <button class="usa-button usa-button--outline" type="submit" id="reassign-submit">
        ${w.reassign}
      </button>
    </fieldset>
  </form>`;
  return html`${resolve} ${validate} ${reassign}`;
}

export function worklistItemPage(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const t = textFor(req);
    const id = idParam(req);
    const item = (await worklistItems(deps, req)).find((i) => i.id === id);
    if (!item) throw new NotFound(`No worklist item ${id}.`);
    let compared: SafeHtml = html``;
    if (item.kind === 'near-match' && item.childId && item.candidateChildId) {
      // Reading both children is a read of each record: audited as the API audits one.
      const a = await readChildAudited(deps.store, req, item.childId, 'child.read');
      const b = await readChildAudited(deps.store, req, item.candidateChildId, 'child.read');
      compared = html`${sideBySide(t, a, b)}
      ${explanationTable(t, item.contributions, 'item-explanation')}`;
    }
    renderPage(req, res, {
      title: t.worklist.itemTitle(item.id),
      body: html`<dl class="portal-facts" id="item-facts">
          <dt>${t.worklist.kind}</dt>
          <dd>${t.worklist.kinds[item.kind] ?? item.kind}</dd>
          <dt>${t.worklist.status}</dt>
          <dd id="item-status">${t.worklist.statuses[item.status] ?? item.status}</dd>
          <dt>${t.worklist.children}</dt>
          <dd>${childrenOf(item).join(', ')}</dd>
          <dt>${t.worklist.score}</dt>
          <dd>${item.score === null ? '' : item.score.toFixed(1)}</dd>
          <dt>${t.worklist.assigned}</dt>
          <dd>${assignedTo(t, item)}</dd>
        </dl>
        ${compared} ${actionForms(req, t, item)}`,
    });
  };
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
