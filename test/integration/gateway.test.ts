// The whole gateway as `npm start` runs it: a real listening server over real HTTP, on each
// database, migrating and loading demo data on first start and only then.
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config/index.js';
import { startGateway, stopGateway } from '../../src/gateway/start.js';
import { testDatabases } from '../helpers/databases.js';

for (const db of testDatabases()) {
  describe(`gateway on ${db.name}`, function () {
    this.timeout(60_000);
    let config: Config;

    before(async function () {
      const url = await db.create(this);
      config = loadConfig({
        configDir: 'config',
        env: {
          NODE_ENV: 'test',
          DATABASE_URL: url,
          PORT: '0',
          CONTINUUM_DEMO__LOAD_ON_FIRST_START: 'true',
        },
      });
    });
    after(() => db.drop());

    async function counts(gatewayStore: Awaited<ReturnType<typeof startGateway>>['store']) {
      const q = async (sql: string) => {
        const [rows] = await gatewayStore.sequelize.query(sql);
        return Number((rows[0] as { n: number | string }).n);
      };
      return {
        submissions: await q('SELECT COUNT(*) AS n FROM submissions'),
        records: await q('SELECT COUNT(*) AS n FROM student_records'),
        enrollments: await q('SELECT COUNT(*) AS n FROM enrollments'),
        unlinked: await q('SELECT COUNT(*) AS n FROM student_records WHERE child_id IS NULL'),
      };
    }

    it('starts on an empty database, migrates, loads demo data and answers over HTTP', async () => {
      const gateway = await startGateway(config, pino({ level: 'silent' }));
      try {
        const health = await fetch(`${gateway.url}/healthz`);
        assert.equal(health.status, 200);
        const ready = await fetch(`${gateway.url}/readyz`);
        assert.deepEqual(await ready.json(), { status: 'ready', checks: { database: 'ok' } });
        const loaded = await counts(gateway.store);
        // One demo submission per demo state, and California's two demo survey exports.
        assert.equal(loaded.submissions, 6, 'one demo submission per demo state, two surveys');
        const report = await fetch(`${gateway.url}/reports/survey/CA/student/2025/state/CA`);
        assert.equal(report.status, 200, 'the demo survey reports are public');
        assert.ok(loaded.records >= config.demo.children, 'at least one record per demo child');
        assert.ok(loaded.enrollments > loaded.records);
        assert.equal(loaded.unlinked, 0, 'every state record has its child');
      } finally {
        await stopGateway(gateway);
      }
    });

    it('on a second start changes nothing: no migration, no second demo load', async () => {
      const first = await startGateway(config, pino({ level: 'silent' }));
      const before = await counts(first.store);
      await stopGateway(first);
      const second = await startGateway(config, pino({ level: 'silent' }));
      try {
        assert.deepEqual(await counts(second.store), before);
      } finally {
        await stopGateway(second);
      }
    });
  });
}
