/**
 * The consolidated record as portal HTML: demographics side by side with where states disagree,
 * the linked state IDs, why the records were linked, then moves, enrollments, courses (partial
 * credit marked) and assessments, each row with its source state and date. The record page and
 * its print view both show it; print.css drops the navigation and forms.
 */
import type {
  ConsolidatedRecord,
  DemographicField,
  Sourced,
} from '../../linkage/consolidated-record.js';
import type { RecordLinkView } from '../../store/repositories/record-links.js';
import { html, type SafeHtml } from '../html.js';
import type { PortalText } from '../text/en.js';

type Cell = string | number | boolean | null | undefined;

export function day(value: Date | string | null | undefined): string {
  if (!value) return '';
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

export function demographicText(t: PortalText, v: string | boolean): string {
  return typeof v === 'boolean' ? (v ? t.record.yes : t.record.no) : v;
}

function demographicsTable(t: PortalText, fields: readonly DemographicField[]): SafeHtml {
  const rows = fields.filter((d) => d.values.length > 0);
  return html`<h2 id="demographics-heading">${t.record.demographics}</h2>
    <div class="portal-table-wrap">
      <table class="usa-table" id="record-demographics" aria-labelledby="demographics-heading">
        <thead>
          <tr>
            <th scope="col">${t.record.field}</th>
            <th scope="col">${t.record.value}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (d) =>
              html`<tr data-field="${d.field}" ${d.disagree ? html`class="portal-disagree"` : ''}>
                <th scope="row">
                  ${t.record.fields[d.field] ?? d.field}
                  ${
                    d.disagree
                      ? html`<span class="usa-tag portal-disagree-tag">${t.record.disagree}</span>`
                      : ''
                  }
                </th>
                <td>
                  ${d.values.map(
                    (v) =>
                      html`<div>
                        ${demographicText(t, v.value)}
                        <span class="portal-source">(${v.states.join(', ')})</span>
                      </div>`,
                  )}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

function stateIds(t: PortalText, record: ConsolidatedRecord): SafeHtml {
  return html`<h2 id="state-ids-heading">${t.record.stateIds}</h2>
    <div class="portal-table-wrap">
      <table class="usa-table" id="record-state-ids" aria-labelledby="state-ids-heading">
        <thead>
          <tr>
            <th scope="col">${t.record.state}</th>
            <th scope="col">${t.record.stateStudentId}</th>
            <th scope="col">${t.record.idType}</th>
            <th scope="col">${t.record.received}</th>
          </tr>
        </thead>
        <tbody>
          ${record.linkedStateIds.map(
            (i) =>
              html`<tr>
                <td>${i.state}</td>
                <td>${i.stateStudentId}</td>
                <td>${i.stateStudentIdType}</td>
                <td>${day(i.receivedAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

interface Contribution {
  field: string;
  level: string;
  weight: number;
}

/** The field-by-field explanation stored with a link or a worklist item (link-records.ts). */
export function contributionsOf(stored: unknown): {
  contributions: Contribution[];
  namesSwapped: boolean;
  twinRule: boolean;
} {
  const s = (stored ?? {}) as Record<string, unknown>;
  const list = Array.isArray(s['contributions']) ? (s['contributions'] as unknown[]) : [];
  const contributions = list
    .map((c) => c as Record<string, unknown>)
    .filter((c) => typeof c['field'] === 'string')
    .map((c) => ({
      field: String(c['field']),
      level: String(c['level'] ?? ''),
      weight: Number(c['weight'] ?? 0),
    }));
  return {
    contributions,
    namesSwapped: s['namesSwapped'] === true,
    twinRule: s['twinRule'] === true,
  };
}

export function explanationTable(t: PortalText, stored: unknown, id: string): SafeHtml {
  const e = contributionsOf(stored);
  return html`<div class="portal-table-wrap">
      <table class="usa-table usa-table--compact" id="${id}">
        <caption>
          ${t.worklist.explanation}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t.worklist.field}</th>
            <th scope="col">${t.worklist.level}</th>
            <th scope="col">${t.worklist.weight}</th>
          </tr>
        </thead>
        <tbody>
          ${e.contributions.map(
            (c) =>
              html`<tr data-field="${c.field}">
                <th scope="row">${c.field}</th>
                <td>${c.level}</td>
                <td class="portal-number">${c.weight.toFixed(1)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${e.namesSwapped ? html`<p>${t.worklist.namesSwapped}</p>` : ''}
    ${e.twinRule ? html`<p>${t.worklist.twinRule}</p>` : ''}`;
}

function links(t: PortalText, list: readonly RecordLinkView[]): SafeHtml {
  const body =
    list.length === 0
      ? html`<p>${t.record.noLinks}</p>`
      : list.map(
          (l, i) =>
            html`<section
              class="portal-link"
              aria-label="${t.record.linkRecord(l.studentRecordId, l.matchedRecordId)}"
            >
              <h3>${t.record.linkRecord(l.studentRecordId, l.matchedRecordId)}</h3>
              <p>
                ${t.record.linkMethod(l.method, l.linkedBy)}, ${day(l.linkedAt)}
                ${l.score === null ? '' : html`(${t.record.linkScore(l.score)})`}
              </p>
              ${explanationTable(t, l.contributions, `link-explanation-${i}`)}
            </section>`,
        );
  return html`<h2 id="record-links">${t.record.links}</h2>
    ${body}`;
}

function sourcedTable<T>(
  t: PortalText,
  id: string,
  title: string,
  rows: readonly Sourced<T>[],
  columns: ReadonlyArray<readonly [string, (item: T) => Cell]>,
  rowClass: (item: T) => string = () => '',
): SafeHtml {
  if (rows.length === 0) {
    return html`<h2>${title}</h2>
      <p id="${id}-none">${t.record.none}</p>`;
  }
  return html`<h2 id="${id}-heading">${title}</h2>
    <div class="portal-table-wrap">
      <table class="usa-table usa-table--striped" id="${id}" aria-labelledby="${id}-heading">
        <thead>
          <tr>
            ${columns.map(([h]) => html`<th scope="col">${h}</th>`)}
            <th scope="col">${t.record.source}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr class="${rowClass(r.item)}">
                ${columns.map(([, read]) => html`<td>${String(read(r.item) ?? '')}</td>`)}
                <td class="portal-source">${r.source.state}, ${day(r.source.receivedAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

export function recordSections(t: PortalText, record: ConsolidatedRecord): SafeHtml {
  const r = t.record;
  const join = (...parts: Array<string | undefined>) => parts.filter(Boolean).join(', ');
  return html`${
    record.requestedChildId
      ? html`<p class="usa-alert__text" id="record-merged">
          ${r.mergedFrom(record.requestedChildId)}
        </p>`
      : ''
  }
  ${record.locked ? html`<p id="record-locked">${r.locked}</p>` : ''}
  ${demographicsTable(t, record.demographics)} ${stateIds(t, record)}
  ${sourcedTable(t, 'record-moves', r.moves, record.qualifyingMoves, [
    [r.qad, (m) => m.qualifyingArrivalDate],
    [r.from, (m) => join(m.fromCity, m.fromState, m.fromCountry)],
    [r.to, (m) => join(m.toCity, m.toState)],
    [r.eligibleUntil, (m) => m.eligibilityExpirationDate],
  ])}
  ${sourcedTable(t, 'record-enrollments', r.enrollments, record.enrollments, [
    [r.enrolled, (e) => e.enrollmentDate],
    [r.withdrawn, (e) => e.withdrawalDate],
    [r.type, (e) => e.enrollmentType],
    [r.school, (e) => e.schoolName ?? e.schoolId],
    [r.district, (e) => e.districtId],
    [r.grade, (e) => e.grade],
  ])}
  ${sourcedTable(
    t,
    'record-courses',
    r.courses,
    record.courses,
    [
      [r.courseTitle, (c) => c.title],
      [r.years, (c) => [c.beginYear, c.endYear].filter(Boolean).join('–')],
      [r.clockHours, (c) => c.clockHours],
      [r.gradeToDate, (c) => c.gradeToDate],
      [r.credits, (c) => c.creditsGranted],
      [r.finalGrade, (c) => c.finalGrade],
      [r.partial, (c) => (c.inProgress ? r.yes : '')],
    ],
    (c) => (c.inProgress ? 'portal-partial' : ''),
  )}
  ${sourcedTable(t, 'record-assessments', r.assessments, record.assessments, [
    [r.assessmentTitle, (a) => a.title],
    [r.date, (a) => a.administrationDate],
    [r.score, (a) => a.score],
    [r.interpretation, (a) => a.interpretation],
  ])}
  ${links(t, record.links)}`;
}
