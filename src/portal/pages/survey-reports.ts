/**
 * Survey reports in the portal (DESIGN.md section 9): the list of reports the viewer may read,
 * one report inside the portal layout, and the confidentiality agreement. Who reads what is the
 * survey module's embargo (src/reports/survey/read-reports.ts), the same the API and the public
 * pages apply: released reports for anyone, signed in or not; before release only for a person
 * of the report's state who accepted the current agreement. A report not readable is a 404.
 */
import type { RequestHandler } from 'express';
import { NotFound } from '../../api/problem.js';
import type { Config } from '../../config/index.js';
import {
  acceptSurveyReportAgreement,
  listReadableSurveyReports,
  readSurveyReport,
  surveyAgreementStatus,
  surveyAgreementText,
  surveyReaderOf,
  type SurveyReportListing,
} from '../../reports/survey/index.js';
import {
  SURVEY_REPORT_STYLESHEET,
  surveyReportContent,
} from '../../reports/survey/render-report.js';
import type { Store } from '../../store/index.js';
import { alertBox, csrfField, printButton } from '../components.js';
import { html, raw, type SafeHtml } from '../html.js';
import { personOf, redirectWithFlash, renderPage, textFor } from '../render.js';
import type { PortalText } from '../text/en.js';
import { when } from './admin-accounts.js';

export const SURVEY_PATH = '/portal/survey-reports';

export interface SurveyDeps {
  store: Store;
  config: Config;
  now: () => Date;
}

/** The portal's copy of a report: the same address under /portal/survey-reports. */
export function portalReportPath(r: SurveyReportListing): string {
  return `${SURVEY_PATH}/${r.links.html.replace(/^\/reports\/survey\//, '')}`;
}

function reportRow(t: PortalText, r: SurveyReportListing): SafeHtml {
  const label = `${r.year} ${t.survey.surveys[r.survey] ?? r.survey}: ${t.survey.scopes[r.scope] ?? r.scope} — ${r.name}`;
  return html`<tr data-report="${r.links.html}">
    <th scope="row"><a class="usa-link" href="${portalReportPath(r)}">${label}</a></th>
    <td>${r.year}</td>
    <td>${t.survey.surveys[r.survey] ?? r.survey}</td>
    <td>${t.survey.scopes[r.scope] ?? r.scope}</td>
    <td>${r.released ? t.survey.released : t.survey.embargoed}</td>
    <td>
      <a class="usa-link" href="${r.links.html}"
        >${t.survey.publicPage}<span class="usa-sr-only"> ${label}</span></a
      >, <a class="usa-link" href="${r.links.csv}">CSV<span class="usa-sr-only"> ${label}</span></a
      >,
      <a class="usa-link" href="${r.links.json}">JSON<span class="usa-sr-only"> ${label}</span></a>
    </td>
  </tr>`;
}

interface Choice {
  survey?: string;
  scope?: string;
  year?: string;
}

/** The list's filters; a value the form never offers is no filter. */
function choiceOf(query: Record<string, unknown>): Choice {
  const pick = (name: string, allowed: RegExp) => {
    const v = query[name];
    return typeof v === 'string' && allowed.test(v) ? { [name]: v } : {};
  };
  return {
    ...pick('survey', /^(student|staff)$/),
    ...pick('scope', /^(district|region|state)$/),
    ...pick('year', /^\d{4}$/),
  };
}

function filterForm(t: PortalText, chosen: Choice, years: readonly string[]): SafeHtml {
  const select = (
    name: keyof Choice,
    label: string,
    options: ReadonlyArray<readonly [string, string]>,
  ) =>
    html`<div class="portal-filter">
      <label class="usa-label" for="filter-${name}">${label}</label>
      <select class="usa-select" id="filter-${name}" name="${name}">
        <option value="">${t.survey.any}</option>
        ${options.map(
          ([value, text]) =>
            html`<option value="${value}" ${chosen[name] === value ? html` selected` : ''}>
              ${text}
            </option>`,
        )}
      </select>
    </div>`;
  return html`<form
    class="usa-form portal-noprint portal-filter-form"
    method="get"
    action="${SURVEY_PATH}"
    id="survey-filter"
  >
    <fieldset class="usa-fieldset">
      <legend class="usa-legend">${t.survey.filterLegend}</legend>
      ${select('survey', t.survey.colSurvey, Object.entries(t.survey.surveys))}
      ${select('scope', t.survey.colScope, Object.entries(t.survey.scopes))}
      ${select(
        'year',
        t.survey.colYear,
        years.map((y) => [y, y] as const),
      )}
      <button class="usa-button" type="submit" id="survey-filter-submit">${t.survey.filter}</button>
    </fieldset>
  </form>`;
}

export function surveyReportListPage({ store, config, now }: SurveyDeps): RequestHandler {
  return async (req, res) => {
    const t = textFor(req);
    const reader = await surveyReaderOf(store, req.principal);
    const readable = await listReadableSurveyReports(store, config, reader, now());
    const chosen = choiceOf(req.query);
    const reports = readable.filter(
      (r) =>
        (!chosen.survey || r.survey === chosen.survey) &&
        (!chosen.scope || r.scope === chosen.scope) &&
        (!chosen.year || String(r.year) === chosen.year),
    );
    const years = [...new Set(readable.map((r) => String(r.year)))];
    // A signed-in person without the agreement is told how to see reports before release.
    const prompt =
      req.principal?.kind === 'person' && reader.agreementState === null
        ? html`<div class="usa-alert usa-alert--info usa-alert--slim" id="agreement-prompt">
            <div class="usa-alert__body">
              <p class="usa-alert__text">
                ${t.survey.agreementPrompt}
                <a class="usa-link" href="${SURVEY_PATH}/agreement">${t.survey.agreementLink}</a>
              </p>
            </div>
          </div>`
        : '';
    const table =
      reports.length === 0
        ? html`<p id="no-reports">${t.survey.none}</p>`
        : html`<div class="portal-table-wrap">
            <table class="usa-table usa-table--striped" id="survey-reports">
              <caption>
                ${t.survey.caption}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.survey.colReport}</th>
                  <th scope="col">${t.survey.colYear}</th>
                  <th scope="col">${t.survey.colSurvey}</th>
                  <th scope="col">${t.survey.colScope}</th>
                  <th scope="col">${t.survey.colStatus}</th>
                  <th scope="col">${t.survey.colFormats}</th>
                </tr>
              </thead>
              <tbody>
                ${reports.map((r) => reportRow(t, r))}
              </tbody>
            </table>
          </div>`;
    renderPage(req, res, {
      title: t.survey.title,
      body: html`<p>${t.survey.intro}</p>
        ${prompt}${readable.length > 0 ? filterForm(t, chosen, years) : ''}${table}`,
    });
  };
}

export function surveyReportPage({ store, config, now }: SurveyDeps): RequestHandler {
  return async (req, res) => {
    const t = textFor(req);
    const p = req.params as Record<string, string>;
    const reader = await surveyReaderOf(store, req.principal);
    const address = {
      state: p['state'] ?? '',
      survey: p['survey'] ?? '',
      year: p['year'] ?? '',
      scope: p['scope'] ?? '',
      id: p['id'] ?? '',
    };
    const found = await readSurveyReport(store, config, address, reader, now());
    if (!found) throw new NotFound('There is no survey report at this address.');
    const { title, body } = surveyReportContent(found.report);
    renderPage(req, res, {
      title,
      head: html`<link rel="stylesheet" href="${SURVEY_REPORT_STYLESHEET}" />`,
      body: html`<p class="portal-noprint">
          <a class="usa-link" href="${SURVEY_PATH}">${t.survey.backToList}</a>
        </p>
        ${found.released ? '' : alertBox('warning', t.survey.embargoed, { id: 'embargoed' })}
        ${printButton(t)}
        ${
          // The survey module's markup: built from published values only, every value escaped.
          raw(body)
        }`,
    });
  };
}

export function agreementPage({ store }: SurveyDeps): RequestHandler {
  return async (req, res) => {
    const person = personOf(req);
    const t = textFor(req);
    const status = await surveyAgreementStatus(store, person.accountId);
    renderPage(req, res, {
      title: t.survey.agreementTitle,
      body: html`<p>${t.survey.agreementIntro}</p>
        <div class="usa-summary-box" role="region" aria-labelledby="agreement-heading">
          <div class="usa-summary-box__body">
            <h2 class="usa-summary-box__heading" id="agreement-heading">
              ${t.survey.agreementTitle}
            </h2>
            <div class="usa-summary-box__text">
              <p id="agreement-text">${surveyAgreementText}</p>
            </div>
          </div>
        </div>
        <p id="agreement-status">
          ${t.survey.agreementStatus(status.version)}
          ${
            status.accepted
              ? t.survey.acceptedOn(when(status.acceptedAt ? new Date(status.acceptedAt) : null))
              : t.survey.notAccepted
          }
        </p>
        <form
          class="usa-form portal-noprint"
          method="post"
          action="${SURVEY_PATH}/agreement"
          id="agreement-form"
        >
          ${csrfField(req)}
          <fieldset class="usa-fieldset">
            <legend class="usa-legend">${t.survey.acceptLegend}</legend>
            <div class="usa-checkbox">
              <input
                class="usa-checkbox__input"
                id="agreement-accept"
                type="checkbox"
                name="accept"
                value="yes"
              />
              <label class="usa-checkbox__label" for="agreement-accept"
                >${t.survey.acceptLabel}</label
              >
            </div>
          </fieldset>
          <button class="usa-button" type="submit" id="agreement-submit">${t.survey.accept}</button>
        </form>
        <p><a class="usa-link" href="${SURVEY_PATH}">${t.survey.backToList}</a></p>`,
    });
  };
}

export function acceptAgreementAction({ store, now }: SurveyDeps): RequestHandler {
  return async (req, res) => {
    const person = personOf(req);
    const t = textFor(req);
    if ((req.body as Record<string, unknown> | undefined)?.['accept'] !== 'yes') {
      redirectWithFlash(req, res, `${SURVEY_PATH}/agreement`, {
        kind: 'error',
        text: t.survey.mustTick,
      });
      return;
    }
    const accepted = await acceptSurveyReportAgreement(store, person.accountId, now());
    redirectWithFlash(req, res, SURVEY_PATH, {
      kind: 'success',
      text: t.survey.accepted(accepted.version),
    });
  };
}
