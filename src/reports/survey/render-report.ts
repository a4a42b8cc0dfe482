/**
 * A published survey report as an HTML page (no script, print-friendly, charts in SVG with a
 * table beside each) and as CSV. Both are made from the report JSON alone, which holds published
 * values only.
 */
import { surveyReportPaths, type SurveyReportListing } from './read-reports.js';
import type { LevelResult, SurveyReport } from './report-model.js';
import { surveyTitles } from './report-model.js';
import { escapeXml as esc, levelChart } from './render-svg.js';

/**
 * The report pages' styles, served with the portal's own files: the CSP allows style sheets from
 * this origin only, so the pages carry no inline style.
 */
export const SURVEY_REPORT_STYLESHEET = '/assets/portal/survey-report.css';

const scopeNames = { district: 'District', region: 'Regional center', state: 'Statewide' };

function levelSection(report: SurveyReport, level: LevelResult, index: number): string {
  const heading = `<h2 id="level-${esc(level.level)}">${esc(level.name)}</h2>`;
  if (level.status === 'empty') return `${heading}\n<p>No respondents at this level.</p>`;
  if (level.status === 'suppressed') {
    return (
      `${heading}\n<p class="suppressed">Not shown, to protect the confidentiality of ` +
      `respondents: a level is reported only when enough migrant education and other ` +
      `respondents answered, and no figure here can be worked out from the other tables.</p>`
    );
  }
  const chartTitle = `${report.name}, ${level.name}: migrant education program respondents and all others`;
  const sections = [...new Set(report.indicators.map((i) => i.section))];
  const rows = sections
    .map((section) => {
      const inds = report.indicators.filter((i) => i.section === section);
      return (
        `<tr><th colspan="3" scope="colgroup" class="section">${esc(section)}</th></tr>\n` +
        inds
          .map(
            (i) =>
              `<tr><th scope="row">${esc(i.name)}</th>` +
              `<td>${esc(level.migrant?.indicators[i.id]?.text ?? '—')}</td>` +
              `<td>${esc(level.others?.indicators[i.id]?.text ?? '—')}</td></tr>`,
          )
          .join('\n')
      );
    })
    .join('\n');
  return `${heading}
<figure>
${levelChart(`chart-${index}`, chartTitle, level, report.indicators)}
<figcaption>${esc(chartTitle)}</figcaption>
</figure>
<table>
<caption>${esc(level.name)}: percentage of respondents, by group</caption>
<thead><tr><th scope="col">Indicator</th><th scope="col">Migrant education program</th><th scope="col">All others</th></tr></thead>
<tbody>
<tr><th scope="row">Respondents</th><td>${level.migrant?.respondents ?? ''}</td><td>${level.others?.respondents ?? ''}</td></tr>
${rows}
</tbody>
</table>`;
}

/**
 * The report's title and the markup under its heading, for a page of its own (below) or inside
 * another page's layout (the portal). Styled by the stylesheet at SURVEY_REPORT_STYLESHEET.
 */
export function surveyReportContent(report: SurveyReport): { title: string; body: string } {
  const title = `${scopeNames[report.scope]} report ${report.year}: ${report.name}`;
  const sub = surveyTitles[report.survey];
  const region = report.region ? `<p>Regional center: ${esc(report.region.name)}</p>` : '';
  const combined = report.combined
    ? '<p class="note">Combined district report: no single level had enough respondents, so all levels are reported together.</p>'
    : '';
  // The stable public address: the links work the same from the portal's copy of the page.
  const page = surveyReportPaths(report).html;
  const body = `<div class="survey-report">
<p>${esc(sub)}</p>
${region}
${combined}
${report.levels.map((l, i) => levelSection(report, l, i)).join('\n')}
<h2>About these figures</h2>
<p>Percentages are of respondents in each group who answered the indicator's questions. To protect
confidentiality no level is reported where fewer than the minimum number of migrant education or
other respondents answered, further tables are withheld so that no withheld figure can be worked
out from totals, and percentages from small groups near 0% or 100% are shown as a range.</p>
<p>Also as <a href="${esc(page)}?format=csv">CSV</a> and <a href="${esc(page)}?format=json">JSON</a>.</p>
</div>`;
  return { title, body };
}

export function surveyReportHtml(report: SurveyReport): string {
  const { title, body } = surveyReportContent(report);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${SURVEY_REPORT_STYLESHEET}">
</head>
<body>
<main class="survey-page">
<h1>${esc(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

const CSV_COLUMNS = [
  'state',
  'survey',
  'year',
  'scope',
  'id',
  'name',
  'level',
  'status',
  'group',
  'respondents',
  'indicator',
  'section',
  'percent',
] as const;

/** A cell a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection). */
function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per level, group and indicator; a level not shown is one row with its status. */
export function surveyReportCsv(report: SurveyReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  const head = [report.state, report.survey, report.year, report.scope, report.id, report.name];
  for (const level of report.levels) {
    const name = level.level;
    if (level.status !== 'published') {
      lines.push([...head, name, level.status, '', '', '', '', ''].map(csvCell).join(','));
      continue;
    }
    for (const group of ['migrant', 'others'] as const) {
      const g = level[group];
      for (const ind of report.indicators) {
        const p = g?.indicators[ind.id];
        lines.push(
          [...head, name, level.status, group, g?.respondents, ind.id, ind.section, p?.text]
            .map(csvCell)
            .join(','),
        );
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The index of the reports the reader may see, newest year first, with their stable addresses. */
export function surveyReportIndexHtml(reports: readonly SurveyReportListing[]): string {
  const items = reports
    .map(
      (r) =>
        `<li><a href="${esc(r.links.html)}">${esc(`${r.year} ${r.survey === 'student' ? 'students' : 'staff'}: ${scopeNames[r.scope as keyof typeof scopeNames] ?? r.scope} — ${r.name}`)}</a>` +
        `${r.released ? '' : ' (not yet public: confidential)'}` +
        ` (<a href="${esc(r.links.csv)}">CSV</a>, <a href="${esc(r.links.json)}">JSON</a>)</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Survey reports: migrant education students and staff</title>
<link rel="stylesheet" href="${SURVEY_REPORT_STYLESHEET}">
</head>
<body>
<main class="survey-page">
<h1>Survey reports: migrant education students and staff</h1>
${reports.length === 0 ? '<p>No report is published yet.</p>' : `<ul>\n${items}\n</ul>`}
</main>
</body>
</html>
`;
}
