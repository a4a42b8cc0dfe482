/**
 * Child-level count pages of the state data administrator, own state only (never a federal
 * analyst: the page table refuses the role, and countScopeOf the other states): the children
 * behind a category, and the reconciliation of the state's own list (upload and result). Every
 * read and upload is audited as the API audits it (FERPA, 34 CFR 99.32).
 */
import type { RequestHandler } from 'express';
import { BadRequest } from '../../api/problem.js';
import {
  childCountReport,
  listCountedChildren,
  NoStateListError,
  parseCsvList,
  reasons,
  reconcileChildCount,
  saveStateList,
  StateListError,
  type CountedChild,
  type Reconciliation,
} from '../../reports/child-count/index.js';
import { gradeGroupOf } from '../../reports/child-count/breakdowns.js';
import { alertBox, csrfField } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { personOf, redirectWithFlash, renderPage, textFor } from '../render.js';
import type { PortalText } from '../text/en.js';
import { when } from './admin-accounts.js';
import { gradeLabel, type CountsDeps } from './counts.js';
import {
  auditCount,
  countScopeOf,
  COUNTS_PATH,
  scopeQuery,
  type CountScope,
} from './counts-scope.js';

/** Rows drawn on the page; the CSV has every child. */
export const CHILDREN_SHOWN = 2000;

function backLink(t: PortalText, scope: CountScope): SafeHtml {
  return html`<p class="portal-noprint">
    <a class="usa-link" href="${COUNTS_PATH}?${scopeQuery(scope)}">${t.counts.backToCount}</a>
  </p>`;
}

/** The children behind one number of the count page: a breakdown's row id (counts.ts). */
function breakdownOf(given: unknown): { id: string; keep: (c: CountedChild) => boolean } {
  const id = typeof given === 'string' ? given : 'total';
  const flags: Record<string, (c: CountedChild) => boolean> = {
    total: () => true,
    'priority-for-services': (c) => c.priorityForServices,
    'qad-in-period': (c) => c.qadInPeriod,
    'english-learner': (c) => c.englishLearner,
    iep: (c) => c.iep,
  };
  const flag = Object.hasOwn(flags, id) ? flags[id] : undefined;
  if (flag) return { id, keep: flag };
  const grade = /^grade-([A-Za-z0-9]{1,8})$/.exec(id)?.[1];
  if (grade) return { id, keep: (c) => gradeGroupOf(c.grade) === grade };
  throw new BadRequest('breakdown must name a row of the count.');
}

function breakdownLabel(t: PortalText, id: string): string {
  const labels: Record<string, string> = {
    'priority-for-services': t.counts.priorityForServices,
    'qad-in-period': t.counts.qadInPeriod,
    'english-learner': t.counts.englishLearner,
    iep: t.counts.iep,
  };
  return labels[id] ?? gradeLabel(t, id.replace(/^grade-/, ''));
}

function categoryName(t: PortalText, category: 1 | 2): string {
  return category === 1 ? t.counts.category1 : t.counts.category2;
}

export function countedChildrenPage({ store, config, now }: CountsDeps): RequestHandler {
  return async (req, res) => {
    const person = personOf(req);
    const t = textFor(req);
    const scope = countScopeOf(req, config, person, now(), 'own');
    const given = req.query['category'] ?? '1';
    if (given !== '1' && given !== '2') throw new BadRequest('category must be 1 or 2.');
    const category = given === '2' ? 2 : 1;
    const breakdown = breakdownOf(req.query['breakdown']);
    const count = await childCountReport(store, { ...scope, now: now() });
    const children = (await listCountedChildren(store, count.id, category)).filter(breakdown.keep);
    await auditCount(store, req, person, 'child-count.children.read', scope, {
      children: children.length,
      category,
      breakdown: breakdown.id,
    });
    const yesNo = (b: boolean) => (b ? t.counts.yes : t.counts.no);
    const shown = children.slice(0, CHILDREN_SHOWN);
    // The API's CSV has every child of the category; the breakdown is a column there.
    const csv = `/api/v1/reports/child-count/children?${scopeQuery(scope, { category: given, format: 'csv' })}`;
    const table =
      children.length === 0
        ? html`<p id="no-children">${t.counts.noChildren}</p>`
        : html`${
              children.length > shown.length
                ? html`<p>${t.counts.childrenShown(shown.length, children.length)}</p>`
                : ''
            }
            <div class="portal-table-wrap">
              <table class="usa-table usa-table--striped" id="counted-children">
                <caption>
                  ${t.counts.childrenCaption(categoryName(t, category), children.length)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t.counts.colStateStudentId}</th>
                    <th scope="col">${t.counts.colChildId}</th>
                    <th scope="col">${t.counts.colGrade}</th>
                    <th scope="col">${t.counts.colPriority}</th>
                    <th scope="col">${t.counts.colEnglishLearner}</th>
                    <th scope="col">${t.counts.colIep}</th>
                    <th scope="col">${t.counts.colQad}</th>
                    <th scope="col">${t.counts.colFirstDay}</th>
                    <th scope="col">${t.counts.colLastDay}</th>
                  </tr>
                </thead>
                <tbody>
                  ${shown.map(
                    (c) =>
                      html`<tr data-child="${c.stateStudentId}">
                        <th scope="row">${c.stateStudentId}</th>
                        <td>${c.childId}</td>
                        <td>${c.grade}</td>
                        <td>${yesNo(c.priorityForServices)}</td>
                        <td>${yesNo(c.englishLearner)}</td>
                        <td>${yesNo(c.iep)}</td>
                        <td>${yesNo(c.qadInPeriod)}</td>
                        <td>${c.firstDay}</td>
                        <td>${c.lastDay}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`;
    renderPage(req, res, {
      title: `${t.counts.childrenLink(categoryName(t, category))}: ${scope.state} ${scope.period}`,
      body: html`${backLink(t, scope)}
        <p>${t.counts.childrenIntro(categoryName(t, category), scope.state, scope.period)}</p>
        ${breakdown.id === 'total' ? '' : html`<p id="children-breakdown">${t.counts.onlyBreakdown(breakdownLabel(t, breakdown.id))}</p>`}
        <p><a class="usa-link" id="children-csv" href="${csv}">${t.counts.childrenCsv}</a></p>
        ${table}`,
    });
  };
}

function uploadForm(t: PortalText, scope: CountScope, csrf: SafeHtml): SafeHtml {
  return html`<h2>${t.counts.uploadTitle}</h2>
    <form
      class="usa-form usa-form--large portal-noprint"
      method="post"
      action="${COUNTS_PATH}/reconciliation"
      enctype="multipart/form-data"
      id="reconciliation-form"
    >
      ${csrf}
      <input type="hidden" name="state" value="${scope.state}" />
      <input type="hidden" name="period" value="${scope.period}" />
      <label class="usa-label" for="state-list">${t.counts.uploadLabel}</label>
      <span class="usa-hint" id="state-list-hint">${t.counts.uploadHint}</span>
      <input
        class="usa-input"
        id="state-list"
        name="list"
        type="file"
        accept=".csv,text/csv,text/plain"
        aria-describedby="state-list-hint"
      />
      <button class="usa-button" type="submit" id="upload">${t.counts.upload}</button>
    </form>`;
}

function result(t: PortalText, report: Reconciliation): SafeHtml {
  const categories = report.categories.map((c) => {
    const name = categoryName(t, c.category);
    const rows = c.differences.map(
      (d) =>
        html`<tr data-difference="${d.stateStudentId}" data-reason="${d.reason}">
          <th scope="row">${d.stateStudentId}</th>
          <td>${d.childId ?? ''}</td>
          <td>${t.counts.sides[d.side] ?? d.side}</td>
          <td>${reasons[d.reason] ?? d.reason}</td>
          <td>${d.detail}</td>
          <td>${d.row ?? ''}</td>
        </tr>`,
    );
    return html`<h3>${name}</h3>
      <p data-category-facts="${c.category}">
        ${t.counts.categoryFacts(c.continuum, c.listed, c.matched)}
      </p>
      ${
        c.differences.length === 0
          ? html`<p>${t.counts.noDifferences}</p>`
          : html`<div class="portal-table-wrap">
              <table class="usa-table usa-table--striped" id="differences-${c.category}">
                <caption>
                  ${t.counts.differencesCaption(name, c.differences.length)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t.counts.colStateStudentId}</th>
                    <th scope="col">${t.counts.colChildId}</th>
                    <th scope="col">${t.counts.colSide}</th>
                    <th scope="col">${t.counts.colReason}</th>
                    <th scope="col">${t.counts.colDetail}</th>
                    <th scope="col">${t.counts.colRow}</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
            </div>`
      }`;
  });
  const csv = `/api/v1/reports/child-count/reconciliation?${scopeQuery(report, { format: 'csv' })}`;
  return html`<h2>${t.counts.resultTitle}</h2>
    <p id="list-facts">
      ${t.counts.listFacts(report.list.idCount, when(report.list.uploadedAt), report.list.uploadedBy)}
    </p>
    <div id="reconciliation-result">${categories}</div>
    <p>
      <a class="usa-link" id="reconciliation-csv" href="${csv}">${t.counts.reconciliationCsv}</a>
    </p>`;
}

export function reconciliationPage({ store, config, now }: CountsDeps): RequestHandler {
  return async (req, res) => {
    const person = personOf(req);
    const t = textFor(req);
    const scope = countScopeOf(req, config, person, now(), 'own');
    let report: Reconciliation | undefined;
    try {
      report = await reconcileChildCount(store, { ...scope, now: now() });
    } catch (err) {
      if (!(err instanceof NoStateListError)) throw err;
    }
    if (report) {
      await auditCount(store, req, person, 'child-count.reconciliation.read', scope, {
        listId: report.list.id,
      });
    }
    renderPage(req, res, {
      title: `${t.counts.reconciliationTitle}: ${scope.state} ${scope.period}`,
      body: html`${backLink(t, scope)}
        <p>${t.counts.reconciliationIntro(scope.state, scope.period)}</p>
        ${uploadForm(t, scope, csrfField(req))}
        ${report ? result(t, report) : alertBox('info', t.counts.noList, { id: 'no-list' })}`,
    });
  };
}

export function reconciliationUpload({ store, config, now }: CountsDeps): RequestHandler {
  return async (req, res) => {
    const person = personOf(req);
    const t = textFor(req);
    const scope = countScopeOf(req, config, person, now(), 'own');
    const back = `${COUNTS_PATH}/reconciliation?${scopeQuery(scope)}`;
    const list = (req.body as Record<string, unknown> | undefined)?.['list'];
    if (typeof list !== 'string' || list.trim() === '') {
      redirectWithFlash(req, res, back, { kind: 'error', text: t.counts.chooseFile });
      return;
    }
    let entries;
    try {
      entries = parseCsvList(list);
    } catch (err) {
      if (!(err instanceof StateListError)) throw err;
      const where = err.errors.slice(0, 5).map((e) => `${e.path}: ${e.reason}`);
      redirectWithFlash(req, res, back, {
        kind: 'error',
        text: t.counts.listRefused([err.message, ...where].join(' ')),
      });
      return;
    }
    await saveStateList(store, { ...scope, entries, by: person.actor, now: now() });
    await auditCount(store, req, person, 'child-count.state-list.upload', scope, {
      ids: entries.length,
    });
    const report = await reconcileChildCount(store, { ...scope, now: now() });
    const summary = report.categories
      .map((c) =>
        t.counts.categorySummary(categoryName(t, c.category), c.matched, c.differences.length),
      )
      .join(' ');
    redirectWithFlash(req, res, back, {
      kind: 'success',
      text: t.counts.uploaded(entries.length, summary),
    });
  };
}
