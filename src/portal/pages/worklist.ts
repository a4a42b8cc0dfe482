/**
 * The data administrators' worklist (issue 6 through the portal): the items in scope, and one
 * item with its two children side by side and the field-by-field explanation, with the forms of
 * worklist-actions.ts (resolve, validate, reassign; start a merge or a split).
 */
import type { Request, RequestHandler } from 'express';
import { Forbidden } from '../../api/auth-problems.js';
import { readChildAudited } from '../../api/children-router.js';
import { BadRequest, NotFound } from '../../api/problem.js';
import { listWorklist, WorklistError, type WorklistActor } from '../../linkage/worklist.js';
import type { ConsolidatedRecord } from '../../linkage/consolidated-record.js';
import { worklistLevels } from '../../store/index.js';
import type { WorklistItem } from '../../store/repositories/worklist.js';
import { csrfField } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { personOf, renderPage, textFor } from '../render.js';
import type { PortalText } from '../text/en.js';
import { day, demographicText, explanationTable } from './child-record-view.js';
import { recordPath } from './children.js';
import type { CountsDeps } from './counts.js';

export const WORKLIST_PATH = '/portal/worklist';
export const itemPath = (id: number) => `${WORKLIST_PATH}/${id}`;
/** Items read for one page; the detail page finds its item among them (scope checked there). */
const LIST_LIMIT = 200;

export function worklistActorOf(req: Request): WorklistActor {
  const p = personOf(req);
  return { actor: p.actor, state: p.state, roles: p.roles, district: p.district };
}

/** As the worklist router records its actions (src/api/worklist-router.ts). */
export function idParam(req: Request): number {
  const id = Number(req.params['id']);
  if (!Number.isSafeInteger(id) || id < 1) throw new BadRequest('id must be a positive number');
  return id;
}

/** A refusal of the domain (not in scope, not pending, same administrator) shown on the page. */
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
