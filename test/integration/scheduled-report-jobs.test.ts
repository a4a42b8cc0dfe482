// The report and linkage jobs as the scheduler runs them (runJobNow: lease, run record, counts),
// on every dialect: the nightly child-count refresh picks up a newly stored child, the survey job
// makes the sample reports, and the worklist pass runs over an empty worklist.
import assert from 'node:assert/strict';
import { loadConfig, type Config } from '../../src/config/index.js';
import { runJobNow } from '../../src/jobs/index.js';
import { findStoredCount } from '../../src/reports/child-count/stored-counts.js';
import { periodContaining } from '../../src/reports/child-count/period.js';
import { closeStore, initStore, migrate, upsertStates, type Store } from '../../src/store/index.js';
import { createChild } from '../../src/store/repositories/children.js';
import { listSurveyReports } from '../../src/store/repositories/survey.js';
import { testDatabases } from '../helpers/databases.js';
import { silentLogger } from '../helpers/identity-sessions.js';
import { sendRecord, studentIdOf } from '../helpers/move-data.js';
import { ingestSurveySample, surveySamples } from '../helpers/survey-data.js';

/** Runs a job under its lease; the test holds no other lease, so it always runs. */
async function run(config: Config, store: Store, name: string) {
  const result = await runJobNow(config, store, silentLogger, name);
  if (!result.ran) throw new Error(`${name} did not run: ${result.reason}`);
  return result;
}

for (const db of testDatabases()) {
  describe(`report and linkage jobs on ${db.name}`, function () {
    this.timeout(120_000);
    let store: Store;
    let config: Config;

    before(async function () {
      const url = await db.create(this);
      config = loadConfig({ env: { NODE_ENV: 'test', DATABASE_URL: url } });
      store = await initStore({ url });
      await migrate(store.sequelize);
      await upsertStates(
        store,
        config.states.map((s) => ({ code: s.code, name: s.name })),
      );
    });
    after(async () => {
      await closeStore(store);
      await db.drop();
    });

    it('child-count-refresh recomputes the stored count, and a new eligible child is in it', async () => {
      const period = periodContaining(new Date().toISOString().slice(0, 10)).name;
      const first = await run(config, store, 'child-count-refresh');
      assert.equal(first.outcome, 'succeeded', first.error ?? '');
      // Two periods (current and previous) for every configured state.
      assert.equal(first.counts['refreshed'], config.states.length * 2);
      const before = await findStoredCount(store, 'CA', period);
      assert.ok(before, 'the job stored a count for CA');

      // A child who arrived at the start of the period, enrolled since, with the default
      // expiration (QAD + 36 months).
      const start = Number(period.slice(0, 4));
      const childId = await createChild(store);
      await sendRecord(store, {
        state: 'CA',
        stateStudentId: studentIdOf(),
        childId,
        qualifyingArrivalDate: `${start}-09-02`,
        enrollments: [{ enrollmentDate: `${start}-09-03`, districtId: '0600001' }],
      });
      await store.sequelize.query(
        'UPDATE qualifying_moves SET eligibility_expiration_date = NULL WHERE student_record_id IN (SELECT id FROM student_records WHERE child_id = :childId)',
        { replacements: { childId } },
      );
      const second = await run(config, store, 'child-count-refresh');
      assert.equal(second.outcome, 'succeeded', second.error ?? '');
      const after = await findStoredCount(store, 'CA', period);
      assert.equal(after?.category1.total, before.category1.total + 1);
    });

    it('survey-report-generation run by hand makes the reports of the ingested samples', async () => {
      for (const sample of surveySamples) await ingestSurveySample(store, config, sample);
      const result = await run(config, store, 'survey-report-generation');
      assert.equal(result.outcome, 'succeeded', result.error ?? '');
      assert.equal(result.counts['due'], 1);
      assert.equal(result.counts['generated'], 2, 'student and staff reports of CA');
      const reports = await listSurveyReports(store, {
        state: 'CA',
        survey: 'student',
        year: 2025,
      });
      assert.ok(
        reports.some((r) => r.scope === 'state'),
        'a statewide student report',
      );
    });

    it('worklist-escalation and linkage-relink run and record their counts', async () => {
      const pass = await run(config, store, 'worklist-escalation');
      assert.equal(pass.outcome, 'succeeded', pass.error ?? '');
      assert.deepEqual(pass.counts, { escalated: 0, approved: 0 });
      const relink = await run(config, store, 'linkage-relink');
      assert.equal(relink.outcome, 'succeeded', relink.error ?? '');
      assert.equal(relink.counts['records'], 1, 'the one stored record was considered');
    });
  });
}
