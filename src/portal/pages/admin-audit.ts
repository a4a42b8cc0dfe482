/**
 * Audit log search for a state's administrators: by the account that acted, by what the event is
 * about (an account, a student record, a child), by action and by date range, their own state
 * only — the same search as GET /api/v1/audit-events. A plain GET form: bookmarkable, no script.
 */
import type { Request, RequestHandler } from 'express';
import type { PersonPrincipal } from '../../identity/principal.js';
import { searchAuditEvents, type Store } from '../../store/index.js';
import type { AuditSearch } from '../../store/repositories/audit-events.js';
import { alertBox, printButton } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { findPortalRoute, mayUse } from '../page-table.js';
import { personOf, renderPage, textFor } from '../render.js';
import type { PortalText } from '../text/en.js';
import { when } from './admin-accounts.js';

const RESULT_LIMIT = 200;
const subjectTypes = ['account', 'student-record', 'child'] as const;

interface AuditForm {
  account: string;
  subjectType: string;
  subjectId: string;
  action: string;
  since: string;
  until: string;
}

function formOf(req: Request): AuditForm {
  const field = (name: string) => {
    const v = req.query[name];
    return typeof v === 'string' ? v.trim().slice(0, 100) : '';
  };
  return {
    account: field('account'),
    subjectType: field('subjectType'),
    subjectId: field('subjectId'),
    action: field('action'),
    since: field('since'),
    until: field('until'),
  };
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function dayStart(value: string): Date | undefined {
  if (!datePattern.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The search the form asks for, or the first thing wrong with it. */
function searchOf(
  t: PortalText,
  admin: PersonPrincipal,
  f: AuditForm,
): AuditSearch | { error: string } {
  const q: AuditSearch = { actorState: admin.state, limit: RESULT_LIMIT };
  if (f.account) {
    if (!/^\d{1,12}$/.test(f.account)) return { error: t.audit.badNumber(t.audit.account) };
    q.actor = `account:${Number(f.account)}`;
  }
  if ((subjectTypes as readonly string[]).includes(f.subjectType)) q.subjectType = f.subjectType;
  if (f.subjectId) q.subjectId = f.subjectId;
  if (f.action) q.action = f.action;
  if (f.since) {
    const since = dayStart(f.since);
    if (!since) return { error: t.audit.badDate(t.audit.since) };
    q.since = since;
  }
  if (f.until) {
    const until = dayStart(f.until);
    if (!until) return { error: t.audit.badDate(t.audit.until) };
    // The form's end date is inclusive; the search's `until` is exclusive.
    q.until = new Date(until.getTime() + 86_400_000);
  }
  return q;
}

function searchForm(t: PortalText, f: AuditForm): SafeHtml {
  const input = (name: keyof AuditForm, label: string, hint: string, type = 'text') =>
    html`<div class="usa-form-group">
      <label class="usa-label" for="audit-${name}">${label}</label>
      ${hint ? html`<div class="usa-hint" id="audit-${name}-hint">${hint}</div>` : ''}
      <input
        class="usa-input"
        id="audit-${name}"
        name="${name}"
        type="${type}"
        value="${f[name]}"
        ${hint ? html` aria-describedby="audit-${name}-hint"` : ''}
      />
    </div>`;
  const options = [
    html`<option value="">${t.audit.subjectAny}</option>`,
    ...subjectTypes.map(
      (s) =>
        html`<option value="${s}" ${f.subjectType === s ? html` selected` : ''}>
          ${t.audit.subjectTypes[s] ?? s}
        </option>`,
    ),
  ];
  return html`<form
    class="usa-form usa-form--large"
    method="get"
    action="/portal/admin/audit"
    id="audit-search"
    role="search"
    aria-label="${t.audit.searchLegend}"
  >
    <fieldset class="usa-fieldset">
      <legend class="usa-legend">${t.audit.searchLegend}</legend>
      ${input('account', t.audit.account, t.audit.accountHint)}
      <div class="usa-form-group">
        <label class="usa-label" for="audit-subjectType">${t.audit.subjectType}</label>
        <select class="usa-select" id="audit-subjectType" name="subjectType">
          ${options}
        </select>
      </div>
      ${input('subjectId', t.audit.subjectId, t.audit.subjectIdHint)}
      ${input('action', t.audit.action, t.audit.actionHint)}
      ${input('since', t.audit.since, t.audit.dateHint, 'date')}
      ${input('until', t.audit.until, t.audit.dateHint, 'date')}
    </fieldset>
    <button class="usa-button" type="submit" id="audit-submit">${t.audit.search}</button>
  </form>`;
}

export function auditLogPage(store: Store): RequestHandler {
  return async (req, res) => {
    const admin = personOf(req);
    const t = textFor(req);
    const form = formOf(req);
    const search = searchOf(t, admin, form);
    if ('error' in search) {
      renderPage(req, res, {
        title: t.audit.title,
        status: 400,
        body: html`${alertBox('error', search.error, { id: 'audit-error' })}${searchForm(t, form)}`,
      });
      return;
    }
    const events = await searchAuditEvents(store, search);
    // Link an acting account to its page only for a viewer who may open that page.
    const accountRoute = findPortalRoute('GET', '/portal/admin/accounts/1');
    const linkAccounts = accountRoute ? mayUse(accountRoute, admin.roles) : false;
    const actorCell = (actor: string) => {
      const m = /^account:(\d+)$/.exec(actor);
      return m && linkAccounts
        ? html`<a class="usa-link" href="/portal/admin/accounts/${m[1]}">${actor}</a>`
        : html`${actor}`;
    };
    const subjectCell = (type: string | null, id: string | null) =>
      type === 'account' && id && linkAccounts
        ? html`<a class="usa-link" href="/portal/admin/accounts/${id}">account ${id}</a>`
        : html`${type ? `${type} ${id ?? ''}` : ''}`;
    const rows = events.map(
      (e) =>
        html`<tr>
          <td>${when(e.occurredAt)}</td>
          <td>${actorCell(e.actor)}</td>
          <td>${e.action}</td>
          <td>${subjectCell(e.subjectType, e.subjectId)}</td>
          <td>${e.outcome}</td>
          <td class="portal-detail">${e.detail ? JSON.stringify(e.detail).slice(0, 300) : ''}</td>
        </tr>`,
    );
    const results =
      events.length === 0
        ? html`<p id="no-events">${t.audit.none}</p>`
        : html`<p>${t.audit.shown(events.length, RESULT_LIMIT)}</p>
            <div class="portal-table-wrap">
              <table class="usa-table usa-table--striped" id="audit-events">
                <caption>
                  ${t.audit.caption}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t.audit.colWhen}</th>
                    <th scope="col">${t.audit.colActor}</th>
                    <th scope="col">${t.audit.colAction}</th>
                    <th scope="col">${t.audit.colSubject}</th>
                    <th scope="col">${t.audit.colOutcome}</th>
                    <th scope="col">${t.audit.colDetail}</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
            </div>`;
    renderPage(req, res, {
      title: t.audit.title,
      body: html`<p>${t.audit.intro(admin.state)}</p>
        ${searchForm(t, form)}${events.length > 0 ? printButton(t) : ''}${results}`,
    });
  };
}
