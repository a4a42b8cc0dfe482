/**
 * The home page, per role: who you are, one card per page your roles may open (from the page
 * table's navigation), and widgets that summarize work waiting for you. A later page adds its
 * card by a `nav` entry in page-table.ts and, if it has something to count, a widget here.
 */
import type { Request, RequestHandler } from 'express';
import type { PersonPrincipal } from '../../identity/principal.js';
import type { Role } from '../../identity/roles.js';
import type { Store } from '../../store/index.js';
import { listAccounts } from '../../store/repositories/accounts.js';
import { countReaders } from '../../api/reports-router.js';
import { html, type SafeHtml } from '../html.js';
import { navFor } from '../page-table.js';
import { personOf, renderPage, textFor } from '../render.js';
import type { PortalText } from '../text/en.js';
import { previousPeriod } from '../../reports/child-count/period.js';
import { COUNTS_PATH, currentPeriod, isAnalyst, scopeQuery } from './counts-scope.js';

/** A summary of waiting work on the home page, for the roles that may act on it. */
export interface HomeWidget {
  allow: readonly Role[];
  render(ctx: { store: Store; person: PersonPrincipal; text: PortalText }): Promise<SafeHtml>;
}

/** The most a widget counts before it says "N or more": one query of bounded size. */
const COUNT_CAP = 1000;

export const homeWidgets: HomeWidget[] = [
  {
    allow: ['user-admin'],
    async render({ store, person, text }) {
      const pending = await listAccounts(store, {
        stateCode: person.state,
        status: 'pending',
        limit: COUNT_CAP,
      });
      const count = pending.length >= COUNT_CAP ? `${COUNT_CAP}+` : String(pending.length);
      return html`<div class="usa-summary-box" role="region" aria-labelledby="pending-summary">
        <div class="usa-summary-box__body">
          <h2 class="usa-summary-box__heading" id="pending-summary">${text.home.pendingTitle}</h2>
          <div class="usa-summary-box__text">
            <p>
              <span id="pending-count">${count}</span> ${text.home.pendingWaiting}
              <a class="usa-summary-box__link" href="/portal/admin/accounts"
                >${text.home.reviewThem}</a
              >
            </p>
          </div>
        </div>
      </div>`;
    },
  },
  {
    // The latest counts: the running period and the last complete one (the one states submit).
    allow: countReaders,
    async render({ person, text }) {
      const current = currentPeriod(new Date());
      const last = previousPeriod(current);
      const link = (period: string) => {
        const query = isAnalyst(person)
          ? `period=${period}`
          : scopeQuery({ state: person.state, period });
        return html`<li>
          <a class="usa-summary-box__link" href="${COUNTS_PATH}?${query}"
            >${text.home.countsOf(period)}</a
          >
        </li>`;
      };
      return html`<div class="usa-summary-box" role="region" aria-labelledby="counts-summary">
        <div class="usa-summary-box__body">
          <h2 class="usa-summary-box__heading" id="counts-summary">${text.home.countsTitle}</h2>
          <div class="usa-summary-box__text">
            <ul class="usa-list" id="latest-counts">
              ${link(last.name)}${link(current.name)}
            </ul>
          </div>
        </div>
      </div>`;
    },
  },
];

function cards(req: Request, person: PersonPrincipal): SafeHtml {
  const t = textFor(req);
  const entries = navFor(person.roles).filter((r) => r.path !== '/portal');
  if (entries.length === 0) return html`<p id="nothing-yet">${t.home.nothingYet}</p>`;
  return html`<h2>${t.home.whatYouCanDo}</h2>
    <ul class="portal-cards">
      ${entries.map(
        (r) =>
          html`<li class="portal-card">
            <h3><a class="usa-link" href="${r.path}">${t.nav[r.nav.key]}</a></h3>
            <p>${t.navSummary[r.nav.key]}</p>
          </li>`,
      )}
    </ul>`;
}

export function homePage(store: Store): RequestHandler {
  return async (req, res) => {
    const person = personOf(req);
    const t = textFor(req);
    const widgets = await Promise.all(
      homeWidgets
        .filter((w) => w.allow.some((role) => person.roles.includes(role)))
        .map((w) => w.render({ store, person, text: t })),
    );
    renderPage(req, res, {
      title: t.home.welcome(person.name),
      body: html`<p>
          ${t.home.yourRoles(person.state)}
          <span id="home-roles">${person.roles.map((r) => t.roles[r]).join(', ')}</span>
        </p>
        ${widgets} ${cards(req, person)}`,
    });
  };
}
