// `continuum ingest` and `continuum mapping check` as a user runs them: real processes, the real
// CA mapping, real databases (DATABASE_URL).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDemoDataset, renderDemoFiles } from '../../src/demo/index.js';
import { closeStore, initStore } from '../../src/store/index.js';
import { testDatabases } from '../helpers/databases.js';
import { tableCounts, withCaCsvField } from '../helpers/ingest-data.js';

function continuum(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['bin/continuum.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dataset = generateDemoDataset({ children: 30, seed: 21 });
const caDocs = dataset.byState.CA.length;

describe('continuum ingest and mapping check', function () {
  this.timeout(120_000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'continuum-cli-ingest-'));
  const file = (name: string) => path.join(tmp, name);

  before(() => {
    const ca = renderDemoFiles(dataset).CA;
    writeFileSync(file('ca.csv'), ca);
    writeFileSync(file('hostile.csv'), withCaCsvField(ca, 2, 'BIRTH_DATE', '02/30/2010'));
    writeFileSync(file('refused.csv'), 'NOT,A,CA,FILE\r\n1,2,3,4\r\n');
    writeFileSync(file('bad-mapping.yaml'), 'version: 1\nformat: csv\nfields: 7\n');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('mapping check (stores nothing, needs no database)', () => {
    it('prints each mapped document as a JSON line and exits 0 when nothing is wrong', () => {
      const { code, stdout, stderr } = continuum(['mapping', 'check', 'ca-csv', file('ca.csv')]);
      assert.equal(code, 0, stderr);
      const lines = stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.equal(lines.length, caDocs);
      assert.equal(lines[0].action, 'upsert');
      assert.deepEqual(lines[0].document, dataset.byState.CA[0]);
      assert.match(
        stderr,
        new RegExp(`${caDocs} records: ${caDocs} accepted, 0 deleted, 0 rejected`),
      );
    });

    it('prints every error as file:row field → target: reason and exits 1', () => {
      const { code, stdout, stderr } = continuum([
        'mapping',
        'check',
        'mappings/ca-csv.yaml',
        file('hostile.csv'),
      ]);
      assert.equal(code, 1, stderr);
      assert.match(
        stderr,
        /^hostile\.csv:2 BIRTH_DATE → student\.birthDate: .*\(value '02\/30\/2010'\)$/m,
      );
      assert.equal(stdout.trimEnd().split('\n').length, caDocs - 1);
    });

    it('exits 2 for a refused file and 78 for a wrong mapping file', () => {
      const refused = continuum(['mapping', 'check', 'ca-csv', file('refused.csv')]);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /refused: line 1: no column of the header matches/);
      const bad = continuum(['mapping', 'check', file('bad-mapping.yaml'), file('ca.csv')]);
      assert.equal(bad.code, 78, bad.stderr);
      assert.match(bad.stderr, /bad-mapping\.yaml/);
    });
  });

  for (const db of testDatabases()) {
    describe(`ingest on ${db.name}`, () => {
      let env: Record<string, string>;
      before(async function () {
        env = { DATABASE_URL: await db.create(this) };
      });
      after(() => db.drop());

      async function counts() {
        const store = await initStore({ url: env['DATABASE_URL']! });
        try {
          return await tableCounts(store);
        } finally {
          await closeStore(store);
        }
      }

      it('stores a file (exit 0), and the same file again changes nothing', async () => {
        const first = continuum(['ingest', file('ca.csv'), '--state', 'CA'], env);
        assert.equal(first.code, 0, first.stderr);
        assert.match(first.stdout, /^CA ca\.csv: submission \d+ completed$/m);
        assert.match(first.stdout, new RegExp(`${caDocs} records: ${caDocs} accepted`));
        assert.equal(first.stderr, '', 'no progress bar when stderr is not a terminal');
        const before = await counts();
        const again = continuum(['ingest', file('ca.csv'), '--state', 'ca', '--json'], env);
        assert.equal(again.code, 0, again.stderr);
        const summary = JSON.parse(again.stdout);
        assert.equal(summary.duplicate, true);
        assert.equal(summary.acceptedCount, caDocs);
        assert.deepEqual(await counts(), before);
      });

      it('exits 1 with the rejects named, 2 for a refused file', () => {
        const hostile = continuum(['ingest', file('hostile.csv'), '--state', 'CA', '--json'], env);
        assert.equal(hostile.code, 1, hostile.stderr);
        const summary = JSON.parse(hostile.stdout);
        assert.equal(summary.rejectedCount, 1);
        assert.deepEqual(
          [summary.rejects[0].file, summary.rejects[0].row, summary.rejects[0].field],
          ['hostile.csv', 2, 'BIRTH_DATE'],
        );
        const text = continuum(['ingest', file('hostile.csv'), '--state', 'CA'], env);
        assert.match(text.stdout, /^ {2}hostile\.csv:2 BIRTH_DATE → student\.birthDate: /m);
        const refused = continuum(['ingest', file('refused.csv'), '--state', 'CA'], env);
        assert.equal(refused.code, 2, refused.stderr);
        assert.match(refused.stdout, /refused \(submission \d+\): line 1: no column of the header/);
      });

      it('exits 78 for an unknown state or a wrong mapping file, 66 for a missing file', () => {
        const state = continuum(['ingest', file('ca.csv'), '--state', 'ZZ'], env);
        assert.equal(state.code, 78);
        assert.match(state.stderr, /state ZZ is not configured/);
        const mapping = continuum(
          ['ingest', file('ca.csv'), '--state', 'CA', '--mapping', file('bad-mapping.yaml')],
          env,
        );
        assert.equal(mapping.code, 78, mapping.stderr);
        const missing = continuum(['ingest', file('nope.csv'), '--state', 'CA'], env);
        assert.equal(missing.code, 66);
      });
    });
  }
});
