/**
 * The child-count page (DESIGN.md section 8): choose the state (federal analysts) and period,
 * read Category 1 and 2 with every breakdown, download the CSV; the state data administrator
 * also gets the children behind the numbers, reconciliation, freeze and certify. The same domain
 * functions and state binding as /api/v1/reports/child-count (src/api/reports-router.ts).
 */
import type { Request, RequestHandler } from 'express';
import type { Config } from '../../config/index.js';
import type { PersonPrincipal } from '../../identity/principal.js';
import {
  ChildCountInputError,
  ChildCountStatusError,
  certifyCount,
  childCountReport,
  countedThrough,
  freezeCount,
  gradeGroups,
  parsePeriod,
  type CategoryCount,
  type StoredCount,
} from '../../reports/child-count/index.js';
import type { Store } from '../../store/index.js';
import { alertBox, csrfField } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { personOf, redirectWithFlash, renderPage, textFor } from '../render.js';
import type { PortalText } from '../text/en.js';
import { when } from './admin-accounts.js';
import {
  auditCount,
  countScopeOf,
  COUNTS_PATH,
  isAnalyst,
  isCountOwner,
  recentPeriods,
  scopeQuery,
  type CountScope,
} from './counts-scope.js';

export interface CountsDeps {
  store: Store;
  config: Config;
  now: () => Date;
}

export function gradeLabel(t: PortalText, group: string): string {
  return t.counts.grades[group] ?? (/^\d{2}$/.test(group) ? t.counts.grade(group) : group);
}

function chooser(
  t: PortalText,
  config: Config,
  person: PersonPrincipal,
  scope: CountScope,
  now: Date,
): SafeHtml {
  const periods = recentPeriods(now).map((p) => p.name);
  if (!periods.includes(scope.period)) periods.push(scope.period);
  const stateField = isAnalyst(person)
    ? html`<label class="usa-label" for="count-state">${t.counts.state}</label>
        <select class="usa-select" id="count-state" name="state">
          ${config.states.map(
            (s) =>
              html`<option value="${s.code}" ${s.code === scope.state ? html` selected` : ''}>
                ${s.name} (${s.code})
              </option>`,
          )}
        </select>`
    : html`<input type="hidden" name="state" value="${scope.state}" />`;
  return html`<form
    class="usa-form portal-noprint"
    method="get"
    action="${COUNTS_PATH}"
    id="count-chooser"
  >
    <fieldset class="usa-fieldset">
      <legend class="usa-legend">${t.counts.choose}</legend>
      ${stateField}
      <label class="usa-label" for="count-period">${t.counts.period}</label>
      <select class="usa-select" id="count-period" name="period">
        ${periods.map(
          (p) =>
            html`<option value="${p}" ${p === scope.period ? html` selected` : ''}>${p}</option>`,
        )}
      </select>
      <button class="usa-button" type="submit" id="count-show">${t.counts.show}</button>
    </fieldset>
  </form>`;
}

function facts(t: PortalText, count: StoredCount): SafeHtml {
  const period = parsePeriod(count.period);
  return html`<h2>${t.counts.facts}</h2>
    <dl class="portal-facts" id="count-facts">
      <dt>${t.counts.state}</dt>
      <dd id="count-state-code">${count.state}</dd>
      <dt>${t.counts.period}</dt>
      <dd>${count.period}: ${t.counts.periodDates(period.start, period.end)}</dd>
      <dt>${t.counts.countedThrough}</dt>
      <dd id="count-through">${count.countedThrough}</dd>
      <dt>${t.counts.status}</dt>
      <dd id="count-status">${t.counts.statuses[count.status] ?? count.status}</dd>
      <dt>${t.counts.computedAt}</dt>
      <dd>${when(count.computedAt)}</dd>
      ${
        count.frozenAt
          ? html`<dt>${t.counts.frozenAt}</dt>
              <dd>${t.counts.by(when(count.frozenAt), count.frozenBy)}</dd>`
          : ''
      }
      ${
        count.certifiedAt
          ? html`<dt>${t.counts.certifiedAt}</dt>
              <dd>${t.counts.by(when(count.certifiedAt), count.certifiedBy)}</dd>`
          : ''
      }
    </dl>`;
}

/**
 * One row of numbers. For the state's own data administrator each number links to the children
 * behind it; anyone else (a federal analyst) gets the number only.
 */
function numberRow(
  t: PortalText,
  scope: CountScope | undefined,
  id: string,
  label: string,
  numbers: readonly [number, number],
): SafeHtml {
  const cell = (category: 1 | 2) => {
    const n = numbers[category - 1];
    if (!scope || n === 0) return html`${n}`;
    const href = `${COUNTS_PATH}/children?${scopeQuery(scope, { category: String(category), breakdown: id })}`;
    const name = category === 1 ? t.counts.category1 : t.counts.category2;
    return html`<a class="usa-link" href="${href}"
      >${n}<span class="usa-sr-only"> ${t.counts.childrenBehind(name, label)}</span></a
    >`;
  };
  return html`<tr data-row="${id}">
    <th scope="row">${label}</th>
    <td class="portal-number" data-category="1">${cell(1)}</td>
    <td class="portal-number" data-category="2">${cell(2)}</td>
  </tr>`;
}

function numberTables(t: PortalText, count: StoredCount, links: boolean): SafeHtml {
  const scope = links ? { state: count.state, period: count.period } : undefined;
  const c1 = count.category1;
  const c2 = count.category2;
  const other: Array<[string, string, (c: CategoryCount) => number]> = [
    ['total', t.counts.total, (c) => c.total],
    ['priority-for-services', t.counts.priorityForServices, (c) => c.priorityForServices],
    ['qad-in-period', t.counts.qadInPeriod, (c) => c.qadInPeriod],
    ['english-learner', t.counts.englishLearner, (c) => c.englishLearner],
    ['iep', t.counts.iep, (c) => c.iep],
  ];
  // Every reported group, then any code outside the set (breakdowns.ts keeps those too).
  const groups = [
    ...gradeGroups,
    ...Object.keys({ ...c1.byGrade, ...c2.byGrade }).filter(
      (g) => !(gradeGroups as readonly string[]).includes(g),
    ),
  ];
  const head = (first: string) =>
    html`<thead>
      <tr>
        <th scope="col">${first}</th>
        <th scope="col">${t.counts.category1}</th>
        <th scope="col">${t.counts.category2}</th>
      </tr>
    </thead>`;
  return html`<p class="usa-hint">${t.counts.category1Hint}</p>
    <p class="usa-hint">${t.counts.category2Hint}</p>
    <div class="portal-table-wrap">
      <table class="usa-table usa-table--striped" id="count-totals">
        <caption>
          ${t.counts.totalsCaption(count.state, count.period)}
        </caption>
        ${head(t.counts.breakdown)}
        <tbody>
          ${other.map(([id, label, of]) => numberRow(t, scope, id, label, [of(c1), of(c2)]))}
        </tbody>
      </table>
    </div>
    <div class="portal-table-wrap">
      <table class="usa-table usa-table--striped" id="count-grades">
        <caption>
          ${t.counts.gradeCaption(count.state, count.period)}
        </caption>
        ${head(t.counts.gradeGroup)}
        <tbody>
          ${groups.map((g) =>
            numberRow(t, scope, `grade-${g}`, gradeLabel(t, g), [
              c1.byGrade[g] ?? 0,
              c2.byGrade[g] ?? 0,
            ]),
          )}
        </tbody>
      </table>
    </div>`;
}

function confirmBox(id: string, label: string): SafeHtml {
  return html`<div class="usa-checkbox">
    <input class="usa-checkbox__input" id="${id}" type="checkbox" name="confirm" value="yes" />
    <label class="usa-checkbox__label" for="${id}">${label}</label>
  </div>`;
}

function ownerSection(req: Request, t: PortalText, count: StoredCount): SafeHtml {
  const scope = { state: count.state, period: count.period };
  const hidden = html`${csrfField(req)}<input type="hidden" name="state" value="${scope.state}" />
    <input type="hidden" name="period" value="${scope.period}" />`;
  const freeze =
    count.status === 'certified'
      ? html`<p id="certified-note">${t.counts.certifiedNote}</p>`
      : html`<h2>${t.counts.freezeTitle}</h2>
          <form class="usa-form" method="post" action="${COUNTS_PATH}/freeze" id="freeze-form">
            ${hidden}
            <p class="usa-hint">${t.counts.freezeHint}</p>
            <label class="usa-label" for="freeze-as-of">${t.counts.asOf}</label>
            <input
              class="usa-input"
              id="freeze-as-of"
              name="asOf"
              type="text"
              inputmode="numeric"
            />
            ${confirmBox('freeze-confirm', t.counts.confirmFreeze)}
            <button class="usa-button" type="submit" id="freeze">${t.counts.freeze}</button>
          </form>`;
  const certify =
    count.status === 'frozen'
      ? html`<h2>${t.counts.certifyTitle}</h2>
          <form class="usa-form" method="post" action="${COUNTS_PATH}/certify" id="certify-form">
            ${hidden}
            <p class="usa-hint">${t.counts.certifyHint}</p>
            ${confirmBox('certify-confirm', t.counts.confirmCertify)}
            <button class="usa-button" type="submit" id="certify">${t.counts.certify}</button>
          </form>`
      : '';
  return html`<h2>${t.counts.childrenTitle}</h2>
    <ul class="usa-list" id="owner-links">
      <li>
        <a
          class="usa-link"
          id="children-1"
          href="${COUNTS_PATH}/children?${scopeQuery(scope, { category: '1' })}"
          >${t.counts.childrenLink(t.counts.category1)}</a
        >
      </li>
      <li>
        <a
          class="usa-link"
          id="children-2"
          href="${COUNTS_PATH}/children?${scopeQuery(scope, { category: '2' })}"
          >${t.counts.childrenLink(t.counts.category2)}</a
        >
      </li>
      <li>
        <a
          class="usa-link"
          id="reconciliation-link"
          href="${COUNTS_PATH}/reconciliation?${scopeQuery(scope)}"
          >${t.counts.reconciliationLink}</a
        >
      </li>
    </ul>
    <div class="portal-noprint">${freeze}${certify}</div>`;
}

export function countsPage({ store, config, now }: CountsDeps): RequestHandler {
  return async (req, res) => {
    const person = personOf(req);
    const t = textFor(req);
    const scope = countScopeOf(req, config, person, now(), 'numbers');
    let count: StoredCount | undefined;
    let problem: string | undefined;
    try {
      count = await childCountReport(store, { ...scope, now: now() });
    } catch (err) {
      // A period not started yet, for example: say so beside the chooser.
      if (!(err instanceof ChildCountInputError)) throw err;
      problem = err.message;
    }
    const csv = `/api/v1/reports/child-count?${scopeQuery(scope, { format: 'csv' })}`;
    const body = count
      ? html`${facts(t, count)}${numberTables(t, count, isCountOwner(person, scope.state))}
          <h2>${t.counts.downloads}</h2>
          <p><a class="usa-link" id="count-csv" href="${csv}">${t.counts.csv}</a></p>
          ${isCountOwner(person, scope.state) ? ownerSection(req, t, count) : ''}`
      : alertBox('error', `${t.counts.notAvailable} ${problem ?? ''}`, { id: 'count-problem' });
    renderPage(req, res, {
      title: `${t.counts.title}: ${scope.state} ${scope.period}`,
      body: html`<p>${t.counts.intro}</p>
        ${chooser(t, config, person, scope, now())}${body}`,
    });
  };
}

function confirmed(req: Request): boolean {
  return (req.body as Record<string, unknown> | undefined)?.['confirm'] === 'yes';
}

/** A freeze or certification the count's state does not allow, or a bad date: said on the page. */
function refusal(err: unknown): string | undefined {
  if (err instanceof ChildCountStatusError || err instanceof ChildCountInputError) {
    return err.message;
  }
  return undefined;
}

export function freezeAction({ store, config, now }: CountsDeps): RequestHandler {
  return async (req, res) => {
    const person = personOf(req);
    const t = textFor(req);
    const scope = countScopeOf(req, config, person, now(), 'own');
    const back = `${COUNTS_PATH}?${scopeQuery(scope)}`;
    if (!confirmed(req)) {
      redirectWithFlash(req, res, back, { kind: 'error', text: t.counts.confirmFirst });
      return;
    }
    const asOf = (req.body as Record<string, unknown>)['asOf'];
    try {
      const period = parsePeriod(scope.period);
      const count = await freezeCount(store, {
        state: scope.state,
        period,
        countedThrough: countedThrough(
          period,
          typeof asOf === 'string' && asOf.trim() !== '' ? asOf.trim() : undefined,
        ),
        by: person.actor,
        now: now(),
      });
      await auditCount(store, req, person, 'child-count.freeze', scope, {
        countedThrough: count.countedThrough,
      });
      redirectWithFlash(req, res, back, {
        kind: 'success',
        text: t.counts.frozen(
          scope.state,
          scope.period,
          count.countedThrough,
          count.category1.total,
          count.category2.total,
        ),
      });
    } catch (err) {
      const text = refusal(err);
      if (text === undefined) throw err;
      redirectWithFlash(req, res, back, { kind: 'error', text });
    }
  };
}

export function certifyAction({ store, config, now }: CountsDeps): RequestHandler {
  return async (req, res) => {
    const person = personOf(req);
    const t = textFor(req);
    const scope = countScopeOf(req, config, person, now(), 'own');
    const back = `${COUNTS_PATH}?${scopeQuery(scope)}`;
    if (!confirmed(req)) {
      redirectWithFlash(req, res, back, { kind: 'error', text: t.counts.confirmFirst });
      return;
    }
    try {
      const count = await certifyCount(store, {
        state: scope.state,
        period: parsePeriod(scope.period),
        by: person.actor,
        now: now(),
      });
      await auditCount(store, req, person, 'child-count.certify', scope, {
        category1: count.category1.total,
        category2: count.category2.total,
      });
      redirectWithFlash(req, res, back, {
        kind: 'success',
        text: t.counts.certified(
          scope.state,
          scope.period,
          count.category1.total,
          count.category2.total,
        ),
      });
    } catch (err) {
      const text = refusal(err);
      if (text === undefined) throw err;
      redirectWithFlash(req, res, back, { kind: 'error', text });
    }
  };
}
