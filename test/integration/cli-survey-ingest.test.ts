// `continuum ingest <file> --state CA --mapping mappings/ca-chks-survey.yaml` as a user runs it:
// a real process, a real SQLite database; the same file sent twice stores nothing twice.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeStore, initStore } from '../../src/store/index.js';

function continuum(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['bin/continuum.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('continuum ingest of a survey export', function () {
  this.timeout(120_000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'continuum-cli-survey-'));
  const url = `sqlite:${path.join(tmp, 'db.sqlite')}`;
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('stores the responses once, and says so when the file comes again', async () => {
    const args = [
      'ingest',
      'test/fixtures/survey/ca-chks-2025.csv',
      '--state',
      'CA',
      '--mapping',
      'mappings/ca-chks-survey.yaml',
      '--json',
    ];
    const first = continuum(args, { DATABASE_URL: url });
    assert.equal(first.code, 0, first.stderr);
    const summary = JSON.parse(first.stdout);
    assert.deepEqual([summary.acceptedCount, summary.duplicate], [412, false]);
    const again = continuum(args, { DATABASE_URL: url });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).duplicate, true);
    const store = await initStore({ url });
    try {
      const [[row]] = (await store.sequelize.query(
        'SELECT COUNT(*) AS n FROM survey_responses',
      )) as [{ n: number }[], unknown];
      assert.equal(Number(row!.n), 412);
    } finally {
      await closeStore(store);
    }
  });
});
