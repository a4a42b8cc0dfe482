/**
 * Account administration for a state's user administrators: the pending list, one account's
 * roles and their history, approve (grant roles) and disable. The same domain functions as
 * /api/v1/accounts (identity/accounts.ts), so the state check and the audit events are the same.
 */
import type { Request, RequestHandler } from 'express';
import { BadRequest } from '../../api/problem.js';
import {
  approveAccount,
  disableAccount,
  effectiveRoles,
  findAccountForAdmin,
} from '../../identity/accounts.js';
import { isRole, personRoles } from '../../identity/roles.js';
import type { Store } from '../../store/index.js';
import {
  listAccessGrants,
  listAccounts,
  type StoredAccount,
} from '../../store/repositories/accounts.js';
import { csrfField } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { personOf, redirectWithFlash, renderPage, textFor } from '../render.js';
import type { PortalText } from '../text/en.js';

const LIST_LIMIT = 500;
const LIST_PATH = '/portal/admin/accounts';

export function displayName(a: StoredAccount): string {
  return [a.firstName, a.lastName].filter(Boolean).join(' ') || a.email || a.idpSubject;
}

/** A moment as the administrator reads it; UTC so every state's administrators agree. */
export function when(d: Date | null): string {
  return d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
}

function roleNames(t: PortalText, roles: readonly string[]): string {
  return roles.length === 0
    ? t.accounts.noRoles
    : roles.map((r) => (isRole(r) ? t.roles[r] : r)).join(', ');
}

function accountIdOf(req: Request): number {
  const id = Number(req.params['id']);
  if (!Number.isSafeInteger(id) || id < 1) throw new BadRequest('The account number is not valid.');
  return id;
}

export function accountListPage(store: Store): RequestHandler {
  return async (req, res) => {
    const admin = personOf(req);
    const t = textFor(req);
    const all = req.query['status'] === 'all';
    const accounts = await listAccounts(store, {
      stateCode: admin.state,
      ...(all ? {} : { status: 'pending' as const }),
      limit: LIST_LIMIT,
    });
    const tabs = html`<ul class="usa-button-group" aria-label="${t.accounts.caption}">
      <li class="usa-button-group__item">
        <a
          class="usa-button${all ? ' usa-button--outline' : ''}"
          href="${LIST_PATH}"
          ${all ? '' : html` aria-current="page"`}
          >${t.accounts.pendingTitle}</a
        >
      </li>
      <li class="usa-button-group__item">
        <a
          class="usa-button${all ? '' : ' usa-button--outline'}"
          href="${LIST_PATH}?status=all"
          ${all ? html` aria-current="page"` : ''}
          >${t.accounts.allTitle}</a
        >
      </li>
    </ul>`;
    const rows = accounts.map(
      (a) =>
        html`<tr data-account="${a.id}">
          <th scope="row">${displayName(a)}</th>
          <td>${a.email ?? ''}</td>
          <td>${a.district ?? ''}</td>
          <td>${t.statuses[a.status] ?? a.status}</td>
          <td>${roleNames(t, effectiveRoles(a))}</td>
          <td>${when(a.lastSignInAt)}</td>
          <td>
            <a class="usa-link" href="${LIST_PATH}/${a.id}"
              >${t.accounts.reviewLink}<span class="usa-sr-only"> ${displayName(a)}</span></a
            >
          </td>
        </tr>`,
    );
    const table =
      accounts.length === 0
        ? html`<p id="no-accounts">${all ? t.accounts.none : t.accounts.nonePending}</p>`
        : html`<div class="portal-table-wrap">
            <table class="usa-table usa-table--striped" id="accounts">
              <caption>
                ${all ? t.accounts.allTitle : t.accounts.pendingTitle}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.accounts.colName}</th>
                  <th scope="col">${t.accounts.colEmail}</th>
                  <th scope="col">${t.accounts.colDistrict}</th>
                  <th scope="col">${t.accounts.colStatus}</th>
                  <th scope="col">${t.accounts.colRoles}</th>
                  <th scope="col">${t.accounts.colSignedIn}</th>
                  <th scope="col">${t.accounts.colActions}</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>
          </div>`;
    renderPage(req, res, {
      title: all ? t.accounts.allTitle : t.accounts.pendingTitle,
      body: html`<p>
          ${all ? t.accounts.allIntro(admin.state) : t.accounts.pendingIntro(admin.state)}
        </p>
        ${tabs}${table}`,
    });
  };
}

function rolesForm(req: Request, t: PortalText, a: StoredAccount): SafeHtml {
  const boxes = personRoles.map(
    (role) =>
      html`<div class="usa-checkbox">
        <input
          class="usa-checkbox__input"
          id="role-${role}"
          type="checkbox"
          name="roles"
          value="${role}"
          ${a.grantedRoles.includes(role) ? html` checked` : ''}
        />
        <label class="usa-checkbox__label" for="role-${role}">${t.roles[role]}</label>
      </div>`,
  );
  return html`<form
    class="usa-form usa-form--large"
    method="post"
    action="${LIST_PATH}/${a.id}/approve"
    id="approve-form"
  >
    ${csrfField(req)}
    <fieldset class="usa-fieldset">
      <legend class="usa-legend usa-legend--large">${t.accounts.approveLegend}</legend>
      <p class="usa-hint" id="roles-hint">${t.accounts.approveHint}</p>
      ${boxes}
    </fieldset>
    <button class="usa-button" type="submit" id="approve">
      ${a.status === 'pending' ? t.accounts.approve : t.accounts.changeRoles}
    </button>
  </form>`;
}

function disableForm(req: Request, t: PortalText, a: StoredAccount): SafeHtml {
  return html`<h2>${t.accounts.disableTitle}</h2>
    <form method="post" action="${LIST_PATH}/${a.id}/disable" id="disable-form">
      ${csrfField(req)}
      <p class="usa-hint">${t.accounts.disableHint}</p>
      <button class="usa-button usa-button--secondary" type="submit" id="disable">
        ${t.accounts.disable}
      </button>
    </form>`;
}

export function accountDetailPage(store: Store): RequestHandler {
  return async (req, res) => {
    const admin = personOf(req);
    const t = textFor(req);
    const a = await findAccountForAdmin(store, admin, accountIdOf(req));
    const grants = await listAccessGrants(store, a.id);
    const grantRows = grants.map(
      (g) =>
        html`<tr>
          <td>${isRole(g.role) ? t.roles[g.role] : g.role}</td>
          <td>${g.source}</td>
          <td>${when(g.grantedAt)}</td>
          <td>${g.grantedBy}</td>
          <td>${g.revokedAt ? `${when(g.revokedAt)} (${g.revokedBy ?? ''})` : ''}</td>
        </tr>`,
    );
    const facts = html`<h2>${t.accounts.facts}</h2>
      <dl class="portal-facts" id="account-facts">
        <dt>${t.accounts.colStatus}</dt>
        <dd id="account-status">${t.statuses[a.status] ?? a.status}</dd>
        <dt>${t.accounts.colEmail}</dt>
        <dd>${a.email ?? ''}</dd>
        <dt>${t.accounts.colDistrict}</dt>
        <dd>${a.district ?? ''}</dd>
        <dt>${t.accounts.subject}</dt>
        <dd>${a.idpSubject}</dd>
        <dt>${t.accounts.idpRoles}</dt>
        <dd>${roleNames(t, a.idpRoles)}</dd>
        <dt>${t.accounts.grantedRoles}</dt>
        <dd id="granted-roles">${roleNames(t, a.grantedRoles)}</dd>
        <dt>${t.accounts.created}</dt>
        <dd>${when(a.createdAt)}</dd>
        <dt>${t.accounts.colSignedIn}</dt>
        <dd>${when(a.lastSignInAt)}</dd>
      </dl>`;
    const actions =
      a.status === 'disabled'
        ? html`<p class="usa-alert__text" id="disabled-note">
            ${t.accounts.disabledNote(when(a.disabledAt))}
          </p>`
        : html`<div class="portal-noprint">${rolesForm(req, t, a)}${disableForm(req, t, a)}</div>`;
    const history =
      grants.length === 0
        ? html`<h2>${t.accounts.grantsTitle}</h2>
            <p id="no-grants">${t.accounts.noGrants}</p>`
        : html`<h2>${t.accounts.grantsTitle}</h2>
            <div class="portal-table-wrap">
              <table class="usa-table usa-table--borderless" id="grants">
                <caption>
                  ${t.accounts.grantsCaption}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t.accounts.colRole}</th>
                    <th scope="col">${t.accounts.colSource}</th>
                    <th scope="col">${t.accounts.colGranted}</th>
                    <th scope="col">${t.accounts.colGrantedBy}</th>
                    <th scope="col">${t.accounts.colRevoked}</th>
                  </tr>
                </thead>
                <tbody>
                  ${grantRows}
                </tbody>
              </table>
            </div>`;
    renderPage(req, res, {
      title: t.accounts.detailTitle(displayName(a)),
      body: html`<p class="portal-noprint">
          <a class="usa-link" href="${LIST_PATH}">${t.accounts.backToList}</a>
        </p>
        ${facts}${actions}${history}`,
    });
  };
}

/** Form fields arrive as one string or several; anything else is no choice. */
function rolesOf(body: unknown): string[] {
  const value = (body as { roles?: unknown } | undefined)?.roles;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export function approveAction(store: Store): RequestHandler {
  return async (req, res) => {
    const admin = personOf(req);
    const t = textFor(req);
    const id = accountIdOf(req);
    const before = await findAccountForAdmin(store, admin, id);
    const roles = rolesOf(req.body);
    if (roles.length === 0) {
      redirectWithFlash(req, res, `${LIST_PATH}/${id}`, {
        kind: 'error',
        text: t.accounts.chooseRole,
      });
      return;
    }
    try {
      const after = await approveAccount(store, admin, id, roles);
      const names = roleNames(t, after.grantedRoles);
      const wasPending = before.status === 'pending';
      redirectWithFlash(req, res, wasPending ? LIST_PATH : `${LIST_PATH}/${id}`, {
        kind: 'success',
        text: wasPending
          ? t.accounts.approved(displayName(after), names)
          : t.accounts.rolesSaved(displayName(after), names),
      });
    } catch (err) {
      // A role the form never offered: say so on the page instead of a bare 400.
      if (!(err instanceof BadRequest)) throw err;
      redirectWithFlash(req, res, `${LIST_PATH}/${id}`, { kind: 'error', text: err.message });
    }
  };
}

export function disableAction(store: Store): RequestHandler {
  return async (req, res) => {
    const admin = personOf(req);
    const t = textFor(req);
    const account = await disableAccount(store, admin, accountIdOf(req));
    redirectWithFlash(req, res, `${LIST_PATH}/${account.id}`, {
      kind: 'success',
      text: t.accounts.disabled(displayName(account)),
    });
  };
}
