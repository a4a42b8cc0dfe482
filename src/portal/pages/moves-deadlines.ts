/**
 * Move notices received by the viewer's state (recruiters' leads, the same recruiterLeads as
 * GET /api/v1/move-notices) and the state's 34 CFR 200.85 deadlines (the same deadlineList as
 * GET /api/v1/deadlines, own state only).
 */
import type { Request, RequestHandler } from 'express';
import { BadRequest } from '../../api/problem.js';
import { deadlineList, type DeadlineStatus } from '../../deadlines/deadline-list.js';
import { recruiterLeads, sentMoveNotices } from '../../moves/move-notices.js';
import type { MoveNotice } from '../../store/repositories/moves.js';
import { html, type SafeHtml } from '../html.js';
import { personOf, renderPage, textFor } from '../render.js';
import type { PortalText } from '../text/en.js';
import { day } from './child-record-view.js';
import { recordPath } from './children.js';
import type { CountsDeps } from './counts.js';

export const MOVES_PATH = '/portal/move-notices';
export const DEADLINES_PATH = '/portal/deadlines';

function choice<T extends string>(
  req: Request,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const v = req.query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new BadRequest(`${name} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

function filterForm(
  action: string,
  id: string,
  label: string,
  allLabel: string,
  options: ReadonlyArray<readonly [string, string]>,
  current: string | undefined,
  show: string,
): SafeHtml {
  return html`<form class="usa-form portal-noprint" method="get" action="${action}" id="${id}">
    <label class="usa-label" for="${id}-status">${label}</label>
    <select class="usa-select" id="${id}-status" name="status">
      <option value="">${allLabel}</option>
      ${options.map(
        ([value, text]) =>
          html`<option value="${value}" ${value === current ? html`selected` : ''}>
            ${text}
          </option>`,
      )}
    </select>
    <button class="usa-button" type="submit">${show}</button>
  </form>`;
}

function noticeTable(
  t: PortalText,
  id: string,
  caption: string,
  notices: readonly MoveNotice[],
  other: 'from' | 'to',
): SafeHtml {
  const m = t.moves;
  if (notices.length === 0) return html`<p id="${id}-none">${m.none}</p>`;
  return html`<div class="portal-table-wrap">
    <table class="usa-table usa-table--striped" id="${id}">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${m.child}</th>
          <th scope="col">${other === 'from' ? m.from : m.to}</th>
          <th scope="col">${m.toCity}</th>
          <th scope="col">${m.departure}</th>
          <th scope="col">${m.address}</th>
          <th scope="col">${m.comment}</th>
          <th scope="col">${m.status}</th>
          <th scope="col">${m.sent}</th>
        </tr>
      </thead>
      <tbody>
        ${notices.map(
          (n) =>
            html`<tr data-notice="${n.id}">
              <th scope="row">
                <a class="usa-link" href="${recordPath(n.childId)}">${n.childId}</a>
              </th>
              <td>${other === 'from' ? n.fromState : n.toState}</td>
              <td>${n.toCity ?? ''}</td>
              <td>${n.departureDate}</td>
              <td>${n.forwardingAddress ?? ''}</td>
              <td>${n.comment ?? ''}</td>
              <td>${m.statuses[n.status] ?? n.status}</td>
              <td>${day(n.createdAt)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function moveNoticesPage(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const me = personOf(req);
    const t = textFor(req);
    const m = t.moves;
    const status = choice(req, 'status', ['open', 'enrolled'] as const);
    const notices = await recruiterLeads(deps.store, me.state, status);
    const sent = await sentMoveNotices(deps.store, me.state);
    const table = html`${noticeTable(t, 'move-notices', m.received, notices, 'from')}
      <h2 id="sent-heading">${m.sentTitle}</h2>
      ${noticeTable(t, 'sent-notices', m.sentCaption, sent, 'to')}`;
    renderPage(req, res, {
      title: m.title,
      body: html`<p>${m.intro}</p>
        ${filterForm(
          MOVES_PATH,
          'moves-filter',
          m.filter,
          m.all,
          [
            ['open', m.statuses['open'] ?? 'open'],
            ['enrolled', m.statuses['enrolled'] ?? 'enrolled'],
          ],
          status,
          m.show,
        )}
        ${table}`,
    });
  };
}

export function deadlinesPage(deps: CountsDeps): RequestHandler {
  return async (req, res) => {
    const me = personOf(req);
    const t = textFor(req);
    const d = t.deadlines;
    const state = deps.config.states.find((s) => s.code === me.state);
    if (!state) throw new BadRequest(`${me.state} is not a state of this gateway`);
    const statuses = ['due', 'met', 'overdue'] as const;
    const status = choice<DeadlineStatus>(req, 'status', statuses);
    const deadlines = await deadlineList(deps.store, state, {
      now: deps.now(),
      ...(status ? { status } : {}),
    });
    const summary = { met: 0, due: 0, overdue: 0 };
    for (const x of deadlines) summary[x.status] += 1;
    const table =
      deadlines.length === 0
        ? html`<p id="deadlines-none">${d.none}</p>`
        : html`<div class="portal-table-wrap">
            <table class="usa-table usa-table--striped" id="deadlines">
              <caption>
                ${d.intro(me.state)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${d.kind}</th>
                  <th scope="col">${d.child}</th>
                  <th scope="col">${d.startsOn}</th>
                  <th scope="col">${d.dueOn}</th>
                  <th scope="col">${d.status}</th>
                  <th scope="col">${d.metAt}</th>
                </tr>
              </thead>
              <tbody>
                ${deadlines.map(
                  (x) =>
                    html`<tr data-status="${x.status}">
                      <th scope="row">${x.rule}</th>
                      <td>
                        ${
                          x.childId
                            ? html`<a class="usa-link" href="${recordPath(x.childId)}"
                                >${x.childId}</a
                              >`
                            : ''
                        }
                      </td>
                      <td>${x.startsOn}</td>
                      <td>${x.dueOn}</td>
                      <td>${d.statuses[x.status] ?? x.status}</td>
                      <td>${x.metAt ? `${day(x.metAt)}${x.late ? ` (${d.late})` : ''}` : ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`;
    renderPage(req, res, {
      title: d.title,
      body: html`<p>${d.intro(me.state)}</p>
        <ul class="usa-list" id="deadline-summary" aria-label="${d.summary}">
          ${statuses.map((s) => html`<li>${d.statuses[s]}: <span data-count="${s}">${summary[s]}</span></li>`)}
        </ul>
        ${filterForm(
          DEADLINES_PATH,
          'deadlines-filter',
          d.filter,
          d.all,
          statuses.map((s) => [s, d.statuses[s] ?? s] as const),
          status,
          d.show,
        )}
        ${table}`,
    });
  };
}
