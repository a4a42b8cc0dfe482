/**
 * The home page, per role: who you are, one card per page your roles may open (from the page
 * table's navigation), and widgets that summarize work waiting for you. A later page adds its
 * card by a `nav` entry in page-table.ts and, if it has something to count, a widget here.
 */
import type { Request, RequestHandler } from 'express';
import type { PersonPrincipal } from '../../identity/principal.js';
import type { Role } from '../../identity/roles.js';
import type { Config } from '../../config/index.js';
import { deadlineList } from '../../deadlines/deadline-list.js';
import { listWorklist, WorklistError } from '../../linkage/worklist.js';
import { recruiterLeads } from '../../moves/move-notices.js';
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
  render(ctx: {
    store: Store;
    config: Config;
    now: Date;
    person: PersonPrincipal;
    text: PortalText;
  }): Promise<SafeHtml>;
}

/** A summary box: a number, what it counts and a link to the page behind it. */
function countBox(
  id: string,
  title: string,
  count: number,
  waiting: string,
  href: string,
  link: string,
): SafeHtml {
  const shown = count >= COUNT_CAP ? `${COUNT_CAP}+` : String(count);
  return html`<div class="usa-summary-box" role="region" aria-labelledby="${id}-summary">
    <div class="usa-summary-box__body">
      <h2 class="usa-summary-box__heading" id="${id}-summary">${title}</h2>
      <div class="usa-summary-box__text">
        <p>
          <span id="${id}-count">${shown}</span> ${waiting}
          <a class="usa-summary-box__link" href="${href}">${link}</a>
        </p>
      </div>
    </div>
  </div>`;
}

const dataAdmins: readonly Role[] = [
  'district-data-admin',
  'region-data-admin',
  'state-data-admin',
];

/** The most a widget counts before it says "N or more": one query of bounded size. */
const COUNT_CAP = 1000;

export const homeWidgets: HomeWidget[] = [
  {
    // Worklist items in the administrator's scope (district, region or state: worklist.ts).
    allow: dataAdmins,
    async render({ store, config, person, text }) {
      let items;
      try {
        items = await listWorklist(store, config.linkage, person, {
          statuses: ['open', 'pending'],
          limit: COUNT_CAP,
          offset: 0,
        });
      } catch (err) {
        // An administrator with no scope yet (a district role without a district): no widget.
        if (err instanceof WorklistError) return html``;
        throw err;
      }
      const w = text.homeWork;
      return countBox(
        'worklist',
        w.worklistTitle,
        items.length,
        w.worklistWaiting,
        '/portal/worklist',
        w.worklistLink,
      );
    },
  },
  {
    // The recruiters' open leads: move notices to the state (the move-notices page's readers).
    allow: ['primary-user', ...dataAdmins],
    async render({ store, person, text }) {
      const leads = await recruiterLeads(store, person.state, 'open');
      const w = text.homeWork;
      return countBox(
        'leads',
        w.leadsTitle,
        leads.length,
        w.leadsWaiting,
        '/portal/move-notices?status=open',
        w.leadsLink,
      );
    },
  },
  {
    allow: dataAdmins,
    async render({ store, config, now, person, text }) {
      const state = config.states.find((s) => s.code === person.state);
      const overdue = state ? await deadlineList(store, state, { now, status: 'overdue' }) : [];
      const w = text.homeWork;
      return countBox(
        'overdue',
        w.deadlinesTitle,
        overdue.length,
        w.deadlinesWaiting,
        '/portal/deadlines?status=overdue',
        w.deadlinesLink,
      );
    },
  },
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

export function homePage(deps: { store: Store; config: Config; now: () => Date }): RequestHandler {
  return async (req, res) => {
    const person = personOf(req);
    const t = textFor(req);
    const widgets = await Promise.all(
      homeWidgets
        .filter((w) => w.allow.some((role) => person.roles.includes(role)))
        .map((w) =>
          w.render({
            store: deps.store,
            config: deps.config,
            now: deps.now(),
            person,
            text: t,
          }),
        ),
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
