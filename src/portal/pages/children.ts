/**
 * Find a child and read the consolidated record (issue 6 through the portal): the same domain
 * functions and audit events as GET /api/v1/children, /children/{childId} and its print view
 * (src/api/children-router.ts), and the move notice a primary user sends from the record (the
 * same sendMoveNotice as POST /api/v1/children/{childId}/move-notices).
 */
import type { Request, RequestHandler } from 'express';
import { auditChildAccess, readChildAudited } from '../../api/children-router.js';
import { BadRequest } from '../../api/problem.js';
import { searchChildren, type ChildSearch } from '../../linkage/child-search.js';
import { consolidatedRecord } from '../../linkage/consolidated-record.js';
import { sendMoveNotice, UnknownChild, UnknownState } from '../../moves/move-notices.js';
import { isValidChildId } from '../../store/index.js';
import { csrfField, printButton } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { findPortalRoute, mayUse } from '../page-table.js';
import { personOf, redirectWithFlash, renderPage, textFor } from '../render.js';
import type { PortalText } from '../text/en.js';
import type { CountsDeps } from './counts.js';
import { day, recordSections } from './child-record-view.js';

export const SEARCH_PATH = '/portal/children';
export const recordPath = (childId: string) => `${SEARCH_PATH}/${childId}`;
const PAGE_SIZE = 20;

function queryText(req: Request, name: string, max: number): string {
  const v = req.query[name];
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
}

function searchForm(t: PortalText, q: Record<string, string>): SafeHtml {
  const field = (name: string, label: string, hint?: string) =>
    html`<label class="usa-label" for="search-${name}">${label}</label>
      ${hint ? html`<div class="usa-hint" id="search-${name}-hint">${hint}</div>` : ''}
      <input
        class="usa-input"
        id="search-${name}"
        name="${name}"
        value="${q[name] ?? ''}"
        ${hint ? html`aria-describedby="search-${name}-hint"` : ''}
      />`;
  return html`<form
    class="usa-form portal-noprint"
    method="get"
    action="${SEARCH_PATH}"
    id="search-form"
  >
    <fieldset class="usa-fieldset">
      <legend class="usa-legend">${t.search.intro}</legend>
      ${field('lastName', t.search.lastName)} ${field('firstName', t.search.firstName)}
      ${field('birthDate', t.search.birthDate, t.search.birthDateHint)}
      ${field('stateStudentId', t.search.stateStudentId)} ${field('childId', t.search.childId)}
      <button class="usa-button" type="submit" id="search-submit">${t.search.submit}</button>
    </fieldset>
  </form>`;
}

/** The query as the API reads it, or the words saying what is wrong. */
function searchOf(t: PortalText, q: Record<string, string>): ChildSearch | string | undefined {
  if (!Object.values(q).some(Boolean)) return undefined;
  const s: ChildSearch = {};
  if (q['lastName']) s.lastName = q['lastName'];
  if (q['firstName']) s.firstName = q['firstName'];
  if (q['birthDate']) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(q['birthDate'])) return t.search.badDate;
    s.birthDate = q['birthDate'];
  }
  if (q['stateStudentId']) s.stateStudentId = q['stateStudentId'];
  if (q['childId']) {
    if (!isValidChildId(q['childId'])) return t.search.badChildId;
    s.childId = q['childId'];
  }
  if (!s.lastName && !s.birthDate && !s.stateStudentId && !s.childId) return t.search.needOne;
  return s;
}

export function childSearchPage(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    personOf(req);
    const t = textFor(req);
    const q = {
      lastName: queryText(req, 'lastName', 100),
      firstName: queryText(req, 'firstName', 100),
      birthDate: queryText(req, 'birthDate', 10),
      stateStudentId: queryText(req, 'stateStudentId', 15),
      childId: queryText(req, 'childId', 12),
    };
    const search = searchOf(t, q);
    let results: SafeHtml = html``;
    if (typeof search === 'string') {
      results = html`<div class="usa-alert usa-alert--error usa-alert--slim" role="alert">
        <div class="usa-alert__body">
          <p class="usa-alert__text" id="search-error">${search}</p>
        </div>
      </div>`;
    } else if (search) {
      const page = Math.max(1, Number.parseInt(queryText(req, 'page', 6) || '1', 10) || 1);
      const found = await searchChildren(deps.store, search, page, PAGE_SIZE);
      // As the API: which fields were searched on, never their values.
      await auditChildAccess(deps.store, req, 'child.search', null, {
        fields: Object.keys(search),
        results: found.results.map((r) => r.childId),
      });
      results = await resultTable(deps, t, found.results, found.total);
    }
    renderPage(req, res, {
      title: t.search.title,
      body: html`${searchForm(t, q)} ${results}`,
    });
  };
}

async function resultTable(
  deps: CountsDeps,
  t: PortalText,
  rows: Awaited<ReturnType<typeof searchChildren>>['results'],
  total: number,
): Promise<SafeHtml> {
  if (rows.length === 0) return html`<p id="search-none">${t.search.none}</p>`;
  // Birth place and last school tell two children of the same name apart (the search event
  // above already names every child shown).
  const details = await Promise.all(rows.map((r) => consolidatedRecord(deps.store, r.childId)));
  return html`<div class="portal-table-wrap">
    <table class="usa-table usa-table--striped" id="search-results">
      <caption>
        ${t.search.resultsCaption(total)}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.search.name}</th>
          <th scope="col">${t.search.birthDate}</th>
          <th scope="col">${t.search.birthPlace}</th>
          <th scope="col">${t.search.states}</th>
          <th scope="col">${t.search.lastSchool}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map((r, i) => {
          const d = details[i];
          const first = (field: string) =>
            d?.demographics.find((f) => f.field === field)?.values[0]?.value;
          const place = ['birthCity', 'birthState', 'birthCountry']
            .map(first)
            .filter((v): v is string => typeof v === 'string')
            .join(', ');
          const last = [...(d?.enrollments ?? [])].sort((a, b) =>
            String(b.item.enrollmentDate).localeCompare(String(a.item.enrollmentDate)),
          )[0];
          const name = [r.firstName, r.lastName1, r.lastName2].filter(Boolean).join(' ');
          return html`<tr data-child="${r.childId}">
            <th scope="row">
              <a
                class="usa-link"
                href="${recordPath(r.childId)}"
                aria-label="${t.search.open(name)}"
                >${name}</a
              >
            </th>
            <td>${day(r.birthDate)}</td>
            <td>${place}</td>
            <td>${r.states.join(', ')}</td>
            <td>
              ${
                last
                  ? `${last.item.schoolName ?? last.item.schoolId ?? ''} (${last.source.state}, ${last.item.enrollmentDate})`
                  : ''
              }
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

function childIdParam(req: Request): string {
  const id = String(req.params['childId'] ?? '');
  if (!isValidChildId(id)) throw new BadRequest('childId must be a valid 12-digit child ID');
  return id;
}

function moveNoticeForm(req: Request, deps: CountsDeps, t: PortalText, childId: string): SafeHtml {
  const r = t.record;
  const me = personOf(req);
  const states = deps.config.states.filter((s) => s.code !== me.state);
  return html`<section class="portal-noprint" aria-labelledby="move-heading">
    <h2 id="move-heading">${r.moveTitle}</h2>
    <p>${r.moveIntro}</p>
    <form
      class="usa-form"
      method="post"
      action="${recordPath(childId)}/move-notices"
      id="move-form"
    >
      ${csrfField(req)}
      <label class="usa-label" for="move-departure">${r.departureDate}</label>
      <div class="usa-hint" id="move-departure-hint">${t.search.birthDateHint}</div>
      <input
        class="usa-input"
        id="move-departure"
        name="departureDate"
        required
        aria-describedby="move-departure-hint"
      />
      <label class="usa-label" for="move-state">${r.destinationState}</label>
      <select class="usa-select" id="move-state" name="destinationState" required>
        ${states.map((s) => html`<option value="${s.code}">${s.name} (${s.code})</option>`)}
      </select>
      <label class="usa-label" for="move-city">${r.destinationCity}</label>
      <input class="usa-input" id="move-city" name="destinationCity" maxlength="255" />
      <label class="usa-label" for="move-address">${r.forwardingAddress}</label>
      <textarea
        class="usa-textarea"
        id="move-address"
        name="forwardingAddress"
        maxlength="1000"
      ></textarea>
      <label class="usa-label" for="move-comment">${r.comment}</label>
      <textarea class="usa-textarea" id="move-comment" name="comment" maxlength="2000"></textarea>
      <button class="usa-button" type="submit" id="move-send">${r.send}</button>
    </form>
  </section>`;
}

export function childRecordPage(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const me = personOf(req);
    const t = textFor(req);
    const record = await readChildAudited(deps.store, req, childIdParam(req), 'child.read');
    const sendRow = findPortalRoute('POST', `${recordPath(record.childId)}/move-notices`);
    const maySend = sendRow !== undefined && mayUse(sendRow, me.roles);
    renderPage(req, res, {
      title: t.record.title(record.childId),
      body: html`<p class="portal-noprint">
          ${printButton(t)}
          <a
            class="usa-button usa-button--outline"
            href="${recordPath(record.childId)}/print"
            id="print-view"
            >${t.record.printView}</a
          >
        </p>
        ${recordSections(t, record)} ${maySend ? moveNoticeForm(req, deps, t, record.childId) : ''}`,
    });
  };
}

/** The record alone for printing: the print style sheet, no forms; audited as the API's print. */
export function childPrintPage(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    personOf(req);
    const t = textFor(req);
    const record = await readChildAudited(deps.store, req, childIdParam(req), 'child.print');
    renderPage(req, res, {
      title: t.record.title(record.childId),
      body: html`<div class="portal-print-view" id="print-page">
        <p class="portal-noprint">
          ${printButton(t)}
          <a class="usa-link" href="${recordPath(record.childId)}">${t.record.back}</a>
        </p>
        <p class="portal-source">${t.record.printedNote} ${day(deps.now())}</p>
        ${recordSections(t, record)}
      </div>`,
    });
  };
}

function formText(body: Record<string, unknown>, name: string, max: number): string | null {
  const v = body[name];
  if (typeof v !== 'string' || v.trim() === '') return null;
  if (v.length > max) throw new RangeError(name);
  return v.trim();
}

export function sendMoveNoticeAction(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const me = personOf(req);
    const t = textFor(req);
    const childId = childIdParam(req);
    const back = recordPath(childId);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fail = (text: string) => redirectWithFlash(req, res, back, { kind: 'error', text });
    let input;
    try {
      input = {
        departureDate: formText(body, 'departureDate', 10),
        toState: formText(body, 'destinationState', 2),
        toCity: formText(body, 'destinationCity', 255),
        forwardingAddress: formText(body, 'forwardingAddress', 1000),
        comment: formText(body, 'comment', 2000),
      };
    } catch {
      fail(t.record.moveTooLong);
      return;
    }
    const date = input.departureDate;
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
      fail(t.record.moveBadDate);
      return;
    }
    if (!input.toState) {
      fail(t.record.moveBadState);
      return;
    }
    try {
      await sendMoveNotice(deps.store, deps.config, {
        childId,
        fromState: me.state,
        toState: input.toState,
        toCity: input.toCity,
        departureDate: date,
        forwardingAddress: input.forwardingAddress,
        comment: input.comment,
        createdBy: me.actor,
      });
    } catch (err) {
      if (err instanceof UnknownState) {
        fail(t.record.moveBadState);
        return;
      }
      if (err instanceof UnknownChild) throw new BadRequest(`No child ${childId}.`);
      throw err;
    }
    redirectWithFlash(req, res, back, { kind: 'success', text: t.record.moveSent(input.toState) });
  };
}
