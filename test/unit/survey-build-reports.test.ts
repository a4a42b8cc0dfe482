import assert from 'node:assert/strict';
import {
  buildSurveyReports,
  type BuildReportsInput,
} from '../../src/reports/survey/build-reports.js';
import { surveyReportsDue } from '../../src/reports/survey/index.js';
import { surveyReportCsv, surveyReportHtml } from '../../src/reports/survey/index.js';

type Row = { districtId: string; level: string; migrant: boolean; respondents: number };

function input(rows: Row[], yes: (r: Row) => number): BuildReportsInput {
  return {
    state: { code: 'CA', name: 'California' },
    survey: 'staff',
    year: 2025,
    regions: [
      { id: 'R01', name: 'One', districts: ['d1', 'd2', 'd3'], districtNames: { d1: 'Alpha USD' } },
      { id: 'R02', name: 'Two', districts: [] },
    ],
    indicators: [{ id: 'safe', name: 'Safe <place>', section: 'Safety' }],
    counts: {
      respondents: rows,
      indicators: new Map([
        ['safe', rows.map((r) => ({ ...r, answered: r.respondents, yes: yes(r) }))],
      ]),
    },
    minimum: 5,
    percentages: { exactFromAnswers: 30, codedMargin: 5 },
    generatedAt: new Date('2026-09-01T00:00:00Z'),
  };
}

const cells = (d: string, counts: Record<string, [number, number]>): Row[] =>
  Object.entries(counts).flatMap(([level, [m, o]]) => [
    { districtId: d, level, migrant: true, respondents: m },
    { districtId: d, level, migrant: false, respondents: o },
  ]);

describe('survey reports: building from counts', () => {
  const rows = [
    ...cells('d1', { elementary: [8, 20], middle: [9, 30], high: [7, 25] }),
    ...cells('d2', { elementary: [2, 10], middle: [2, 10], high: [2, 10] }),
    ...cells('d3', { elementary: [1, 3] }),
    ...cells('d4', { elementary: [30, 60], middle: [30, 60], high: [30, 60] }),
  ];
  const reports = buildSurveyReports(input(rows, (r) => (r.migrant ? r.respondents : 0)));
  const byId = new Map(reports.map((r) => [`${r.scope}:${r.id}`, r]));

  it('makes a report for each district that has something to show, every region and the state', () => {
    assert.ok(byId.has('district:d1'));
    assert.equal(byId.get('district:d1')!.name, 'Alpha USD');
    assert.equal(byId.has('district:d3'), false);
    assert.ok(byId.has('region:R01') && byId.has('region:R02') && byId.has('state:CA'));
    // A district outside the region table counts in the state only; alone there, its figures
    // would be the state's minus the regions': it is hidden with them.
    assert.equal(byId.has('district:d4'), false);
    assert.equal(byId.get('district:d1')!.region?.id, 'R01');
  });

  it('makes a combined report for a district that qualifies only overall', () => {
    const d2 = byId.get('district:d2')!;
    assert.equal(d2.combined, true);
    assert.deepEqual(
      d2.levels.map((l) => [l.level, l.status, l.migrant?.respondents]),
      [['total', 'published', 6]],
    );
  });

  it('codes extreme percentages of small groups and leaves their exact figure out', () => {
    const total = byId.get('district:d2')!.levels[0]!;
    assert.deepEqual(total.migrant!.indicators.safe, { text: '≥95%' });
    assert.deepEqual(total.others!.indicators.safe, { text: '0%', percent: 0 });
  });

  it('renders HTML and CSV from the published values, escaping names', () => {
    const html = surveyReportHtml(byId.get('district:d1')!);
    assert.match(html, /Safe &lt;place&gt;/);
    assert.doesNotMatch(html, /<script/);
    const csv = surveyReportCsv(byId.get('district:d2')!);
    assert.match(csv, /,total,published,migrant,6,safe,Safety,≥95%\r\n/);
  });
});

describe('survey reports: schedule', () => {
  const config = { survey: { everyYears: 2 } } as Parameters<typeof surveyReportsDue>[0];
  it('is due when never run, and every two years after', () => {
    assert.equal(surveyReportsDue(config, new Date('2026-01-01'), undefined), true);
    const last = new Date('2025-01-15T00:00:00Z');
    assert.equal(surveyReportsDue(config, new Date('2027-01-14T23:59:59Z'), last), false);
    assert.equal(surveyReportsDue(config, new Date('2027-01-15T00:00:00Z'), last), true);
  });
});
