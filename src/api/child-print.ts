/**
 * The consolidated record as one printable HTML page (print CSS: A4/Letter, no navigation,
 * tables that break between rows). Every value is escaped; the page carries no script.
 */
import type { ConsolidatedRecord, Sourced } from '../linkage/consolidated-record.js';

function esc(value: unknown): string {
  const text = value instanceof Date ? value.toISOString() : String(value ?? '');
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function source(s: Sourced<unknown>['source']): string {
  return `${esc(s.state)} · submission ${esc(s.submissionId)} row ${esc(s.row)} · ${esc(
    s.receivedAt instanceof Date ? s.receivedAt.toISOString().slice(0, 10) : s.receivedAt,
  )}`;
}

function table<T>(
  title: string,
  rows: readonly Sourced<T>[],
  columns: readonly [string, (item: T) => unknown][],
): string {
  if (rows.length === 0) return `<h2>${esc(title)}</h2><p class="none">None recorded.</p>`;
  const head = [...columns.map(([h]) => h), 'Source'].map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${columns.map(([, read]) => `<td>${esc(read(r.item))}</td>`).join('')}<td class="src">${source(
          r.source,
        )}</td></tr>`,
    )
    .join('\n');
  return `<h2>${esc(title)}</h2><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const css = `
body { font: 11pt/1.35 system-ui, sans-serif; margin: 1.5rem; color: #111; }
h1 { font-size: 16pt; margin: 0 0 .25rem; } h2 { font-size: 12pt; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #999; padding: 2px 4px;
  text-align: left; vertical-align: top; } th { background: #eee; }
.disagree { background: #fff3cd; } .src { font-size: 8.5pt; color: #444; } .none { color: #666; }
@media print {
  @page { size: auto; margin: 12mm; }
  body { margin: 0; } tr, td, th { page-break-inside: avoid; } thead { display: table-header-group; }
  .disagree { background: none; font-weight: bold; }
}`;

export function renderChildPrint(record: ConsolidatedRecord, printedAt: Date): string {
  const demographics = record.demographics
    .filter((d) => d.values.length > 0)
    .map(
      (d) =>
        `<tr class="${d.disagree ? 'disagree' : ''}"><th>${esc(d.field)}</th><td>${d.values
          .map((v) => `${esc(v.value)} <span class="src">(${v.states.map(esc).join(', ')})</span>`)
          .join('<br>')}</td></tr>`,
    )
    .join('\n');
  const ids = record.linkedStateIds
    .map(
      (i) =>
        `<li>${esc(i.state)} ${esc(i.stateStudentId)} (type ${esc(i.stateStudentIdType)})</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Child ${esc(record.childId)}</title>
<style>${css}</style></head><body>
<h1>Consolidated record — child ${esc(record.childId)}</h1>
<p class="src">Printed ${esc(printedAt.toISOString())}. Confidential: student record protected by FERPA.</p>
<h2>Demographics</h2><table><tbody>${demographics}</tbody></table>
<h2>Linked state IDs</h2><ul>${ids}</ul>
${table('Qualifying moves', record.qualifyingMoves, [
  ['QAD', (m) => m.qualifyingArrivalDate],
  ['From', (m) => [m.fromCity, m.fromState, m.fromCountry].filter(Boolean).join(', ')],
  ['To', (m) => [m.toCity, m.toState].filter(Boolean).join(', ')],
  ['Eligible until', (m) => m.eligibilityExpirationDate],
])}
${table('Enrollments', record.enrollments, [
  ['Enrolled', (e) => e.enrollmentDate],
  ['Withdrawn', (e) => e.withdrawalDate],
  ['Type', (e) => e.enrollmentType],
  ['School', (e) => e.schoolName ?? e.schoolId],
  ['District', (e) => e.districtId],
  ['Grade', (e) => e.grade],
])}
${table('Courses', record.courses, [
  ['Title', (c) => c.title],
  ['Years', (c) => [c.beginYear, c.endYear].filter(Boolean).join('–')],
  ['Section', (c) => c.section],
  ['Clock hours', (c) => c.clockHours],
  ['Grade to date', (c) => c.gradeToDate],
  ['Credits', (c) => c.creditsGranted],
  ['Final grade', (c) => c.finalGrade],
  ['In progress', (c) => (c.inProgress === undefined ? '' : c.inProgress ? 'yes' : 'no')],
])}
${table('Assessments', record.assessments, [
  ['Title', (a) => a.title],
  ['Date', (a) => a.administrationDate],
  ['Score', (a) => a.score],
  ['Interpretation', (a) => a.interpretation],
])}
</body></html>
`;
}
