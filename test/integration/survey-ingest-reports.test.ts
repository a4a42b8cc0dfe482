// Survey exports through their mappings into SQLite and PostgreSQL, the reports generated from
// them, and the attacker: everything published for the same survey and year (district, combined
// district, regional and state reports) read back, and the equations those figures imply solved.
import assert from 'node:assert/strict';
import { loadConfig, type Config } from '../../src/config/index.js';
import { TOTAL } from '../../src/reports/survey/confidentiality.js';
import type { SurveyReport } from '../../src/reports/survey/index.js';
import { surveyLevels, type SurveyKind } from '../../src/exchange/survey-response.js';
import { closeStore, initStore, migrate, upsertStates, type Store } from '../../src/store/index.js';
import {
  findSurveyReport,
  listSurveyReports,
  surveyRespondentCounts,
} from '../../src/store/repositories/survey.js';
import { generateSurveyReports } from '../../src/reports/survey/index.js';
import { testDatabases } from '../helpers/databases.js';
import { recoverableCells, type PublishedRelation } from '../helpers/survey-attacker.js';
import { ingestSurveyFile } from '../../src/ingest/index.js';
import { loadAnyMapping } from '../../src/mapping/index.js';
import { ingestSurveySample, surveySamples } from '../helpers/survey-data.js';

const config: Config = loadConfig({ configDir: 'config', env: { NODE_ENV: 'test' } });
const ca = config.states.find((s) => s.code === 'CA')!;

async function reportsOf(store: Store, survey: SurveyKind): Promise<SurveyReport[]> {
  const rows = await listSurveyReports(store, { state: 'CA', survey, year: 2025 });
  const out: SurveyReport[] = [];
  for (const r of rows) {
    const row = await findSurveyReport(store, {
      state: 'CA',
      survey,
      year: 2025,
      scope: r.scope,
      scopeId: r.scopeId,
    });
    out.push(JSON.parse(row!.body) as SurveyReport);
  }
  return out;
}

function level(report: SurveyReport | undefined, name: string) {
  return report?.levels.find((l) => l.level === name);
}

/**
 * What an attacker learns from the published reports: for each cell of the linked tables, whether
 * its respondent counts are known (published, or known to be empty), and how the cells add up.
 */
async function attack(store: Store, survey: SurveyKind) {
  const reports = await reportsOf(store, survey);
  const counts = await surveyRespondentCounts(store, { state: 'CA', survey, year: 2025 });
  const levels = [...surveyLevels[survey], TOTAL];
  const known = new Set<string>();
  const cell = (kind: string, area: string, column: string) => `${kind}:${area}|${column}`;
  for (const r of reports) {
    for (const l of r.levels) {
      if (l.status !== 'suppressed') known.add(cell(r.scope, r.id, l.level));
      // No file carries a figure of a suppressed level, not even in a hidden field.
      if (l.status === 'suppressed')
        assert.deepEqual(Object.keys(l).sort(), ['level', 'name', 'status']);
    }
  }
  // The attacker also knows which district levels had no respondent at all.
  const districts = [...new Set(counts.map((c) => c.districtId))];
  for (const d of districts) {
    for (const column of surveyLevels[survey]) {
      if (!counts.some((c) => c.districtId === d && c.level === column))
        known.add(cell('district', d, column));
    }
  }
  const relations: PublishedRelation[] = [];
  const regionOf = (d: string) => ca.regions.find((r) => r.districts.includes(d))?.id;
  for (const region of ca.regions) {
    const members = districts.filter((d) => regionOf(d) === region.id);
    for (const column of levels) {
      relations.push({
        total: cell('region', region.id, column),
        parts: members.map((d) => cell('district', d, column)),
      });
      if (members.length === 0) known.add(cell('region', region.id, column));
    }
  }
  for (const column of levels) {
    relations.push({
      total: cell('state', 'CA', column),
      parts: ca.regions.map((r) => cell('region', r.id, column)),
    });
  }
  const areas = [
    ...districts.map((d) => ['district', d]),
    ...ca.regions.map((r) => ['region', r.id]),
    ['state', 'CA'],
  ];
  for (const [kind, area] of areas) {
    relations.push({
      total: cell(kind!, area!, TOTAL),
      parts: surveyLevels[survey].map((c) => cell(kind!, area!, c)),
    });
  }
  return { reports, found: recoverableCells(relations, (c) => known.has(c)) };
}

for (const db of testDatabases()) {
  describe(`survey ingest and reports on ${db.name}`, function () {
    this.timeout(120_000);
    let store: Store;

    before(async function () {
      const url = await db.create(this);
      store = await initStore({ url });
      await migrate(store.sequelize);
      await upsertStates(
        store,
        config.states.map((s) => ({ code: s.code, name: s.name })),
      );
    });
    after(async () => {
      if (store) await closeStore(store);
      await db.drop();
    });

    it('stores every respondent of the sample CHKS and CSSS files, with their answers', async () => {
      const [chks, csss] = [
        await ingestSurveySample(store, config, surveySamples[0]),
        await ingestSurveySample(store, config, surveySamples[1]),
      ];
      assert.equal(chks.status, 'completed');
      assert.deepEqual([chks.acceptedCount, chks.rejectedCount], [412, 0]);
      assert.deepEqual([csss.acceptedCount, csss.rejectedCount], [198, 0]);
      const student = await surveyRespondentCounts(store, {
        state: 'CA',
        survey: 'student',
        year: 2025,
      });
      assert.equal(
        student.reduce((n, r) => n + r.respondents, 0),
        412,
      );
      const d1g11 = student.filter((r) => r.districtId === '0699001' && r.level === 'grade-11');
      assert.deepEqual(d1g11.map((r) => [r.migrant, r.respondents]).sort(), [
        [false, 14],
        [true, 9],
      ]);
    });

    it('creates no duplicates when the same file is sent again', async () => {
      const again = await ingestSurveySample(store, config, surveySamples[0]);
      assert.equal(again.duplicate, true);
      const student = await surveyRespondentCounts(store, {
        state: 'CA',
        survey: 'student',
        year: 2025,
      });
      assert.equal(
        student.reduce((n, r) => n + r.respondents, 0),
        412,
      );
    });

    it('stores the good rows of a file with a bad one, names the bad one, and refuses a wrong file', async () => {
      const mapping = await loadAnyMapping('mappings/ca-csss-survey.yaml');
      assert.equal(mapping.target, 'survey-response');
      if (mapping.target !== 'survey-response') return;
      const header =
        'YEAR;DISTRICT;SCHOOL;SCHOOL_LEVEL;MEP_STAFF;' +
        Array.from({ length: 14 }, (_, i) => `S${i + 1}`).join(';');
      const answers = Array.from({ length: 14 }, () => '3').join(';');
      const file = `${header}\n2019;0699010;x;E;1;${answers}\n2019;0699010;x;Q;1;${answers}\n`;
      const summary = await ingestSurveyFile({
        store,
        config,
        state: 'CA',
        mapping,
        fileName: 'bad.csv',
        input: Buffer.from(file),
      });
      assert.deepEqual([summary.acceptedCount, summary.rejectedCount], [1, 1]);
      assert.deepEqual(
        summary.rejects.map((r) => [r.row, r.field, r.target, r.value]),
        [[3, 'SCHOOL_LEVEL', 'level', 'Q']],
      );
      const stored = await surveyRespondentCounts(store, {
        state: 'CA',
        survey: 'staff',
        year: 2019,
      });
      assert.equal(
        stored.reduce((n, r) => n + r.respondents, 0),
        1,
      );
      const refused = await ingestSurveyFile({
        store,
        config,
        state: 'CA',
        mapping,
        fileName: 'x.csv',
        input: Buffer.from('A;B\n1;2\n'),
      });
      assert.equal(refused.status, 'refused');
      assert.match(refused.error ?? '', /not the CSV file the mapping describes/);
    });

    it('generates district, combined district, 23 regional and the state report', async () => {
      const generated = await generateSurveyReports(
        store,
        config,
        new Date('2026-09-01T00:00:00Z'),
        {
          state: 'CA',
        },
      );
      const student = generated.find((g) => g.survey === 'student')!;
      assert.equal(student.regions, 23);
      const reports = await reportsOf(store, 'student');
      const byId = new Map(reports.map((r) => [`${r.scope}:${r.id}`, r]));
      // 9 migrant students in grade 11: not shown.
      assert.equal(level(byId.get('district:0699001'), 'grade-11')?.status, 'suppressed');
      // Four migrant students at each level, twelve in all: one combined report.
      const combined = byId.get('district:0699003')!;
      assert.equal(combined.combined, true);
      assert.deepEqual(
        combined.levels.map((l) => [l.level, l.status]),
        [[TOTAL, 'published']],
      );
      assert.equal(combined.levels[0]!.migrant!.respondents, 12);
      // Two migrant students in all: no report.
      assert.equal(byId.has('district:0699004'), false);
      assert.ok(byId.has('state:CA'));
      assert.equal(reports.filter((r) => r.scope === 'region').length, 23);
      // Percentages for both groups of a published level, for every student indicator.
      const shown = level(byId.get('district:0699002'), 'grade-7');
      if (shown?.status === 'published') {
        assert.equal(Object.keys(shown.migrant!.indicators).length, 11);
        assert.match(shown.others!.indicators['school-connectedness']!.text, /^(≤|≥)?\d+%$/);
      }
      const staff = await reportsOf(store, 'staff');
      const staffById = new Map(staff.map((r) => [`${r.scope}:${r.id}`, r]));
      // 4 migrant staff at the high school level: not shown.
      assert.equal(level(staffById.get('district:0699001'), 'high')?.status, 'suppressed');
      assert.equal(staffById.get('district:0699003')?.combined, true);
    });

    for (const survey of ['student', 'staff'] as const) {
      it(`an attacker solving every published ${survey} table recovers no suppressed count`, async () => {
        const { reports, found } = await attack(store, survey);
        assert.ok(reports.some((r) => r.levels.some((l) => l.status === 'suppressed')));
        assert.deepEqual(found, { bySubtraction: [], byEquations: [] });
      });
    }
  });
}
