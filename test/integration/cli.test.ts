// The `continuum` command as a user runs it: a real process, real databases.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabases } from '../helpers/databases.js';

function continuum(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['bin/continuum.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('continuum CLI', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'continuum-cli-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('lists the whole command contract in --help', () => {
    const { code, stdout } = continuum(['--help']);
    assert.equal(code, 0);
    for (const command of ['db', 'serve', 'demo', 'ingest', 'mapping', 'jobs', 'report']) {
      assert.match(stdout, new RegExp(`^  ${command}\\b`, 'm'), `--help lists ${command}`);
    }
  });

  it('writes demo files for the four demo states, the same bytes for the same seed', () => {
    const out = (n: string) => path.join(tmp, n);
    const first = continuum([
      'demo',
      'generate',
      '--children',
      '30',
      '--seed',
      '9',
      '--out',
      out('a'),
    ]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^CA +csv/m);
    assert.match(first.stdout, /^TX +fixed-width/m);
    assert.match(first.stdout, /^FL +xml/m);
    assert.match(first.stdout, /^WA +jsonl/m);
    continuum(['demo', 'generate', '--children', '30', '--seed', '9', '--out', out('b')]);
    for (const name of readdirSync(out('a'))) {
      assert.ok(
        readFileSync(path.join(out('a'), name)).equals(readFileSync(path.join(out('b'), name))),
      );
    }
    assert.equal(readdirSync(out('a')).length, 5, 'four state files and the linkage truth');
  });

  it('stops with every configuration problem named and exit code 78', () => {
    const dir = path.join(tmp, 'bad-config');
    mkdirSync(path.join(dir, 'states'), { recursive: true });
    writeFileSync(path.join(dir, 'default.yaml'), 'server:\n  port: -8080\n');
    writeFileSync(
      path.join(dir, 'states', 'ZZ.yaml'),
      'code: ZZ\nname: Z\nidentityProvider:\n  type: kerberos\nmapping: zz\n',
    );
    for (const args of [['db', 'migrate'], ['serve']]) {
      const { code, stderr } = continuum(args, { CONTINUUM_CONFIG_DIR: dir });
      assert.equal(code, 78, `continuum ${args.join(' ')} exits with EX_CONFIG`);
      assert.match(stderr, /server\.port: must be between 0 and 65535 \(got -8080\)/);
      assert.match(stderr, /ZZ\.yaml: identityProvider\.type: must be one of saml, oidc, none/);
    }
    // `npm start` runs src/main.ts, which must refuse the same way.
    const start = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      encoding: 'utf8',
      env: { ...process.env, CONTINUUM_CONFIG_DIR: dir },
      timeout: 60_000,
    });
    assert.equal(start.status, 78);
    assert.match(start.stderr, /got -8080/);
    assert.match(start.stderr, /got "kerberos"/);
  });

  for (const db of testDatabases()) {
    describe(`db migrate on ${db.name}`, () => {
      let url: string;
      before(async function () {
        url = await db.create(this);
      });
      after(() => db.drop());

      it('creates the schema on an empty database, and a second run changes nothing', () => {
        const first = continuum(['db', 'migrate'], { DATABASE_URL: url });
        assert.equal(first.code, 0, first.stderr);
        assert.match(first.stdout, /applied \d+ migration\(s\)/);
        const second = continuum(['db', 'migrate'], { DATABASE_URL: url });
        assert.equal(second.code, 0, second.stderr);
        assert.match(second.stdout, /schema is up to date, nothing to apply/);
        const status = continuum(['db', 'status'], { DATABASE_URL: url });
        assert.match(status.stdout, /^schema is up to date$/m);
      });

      it('reports a child count as JSON and CSV, and refuses a bad period with 64', () => {
        const args = ['report', 'child-count', '--state', 'ca', '--period', '2024-25'];
        const json = continuum(args, { DATABASE_URL: url });
        assert.equal(json.code, 0, json.stderr);
        const count = JSON.parse(json.stdout);
        assert.equal(count.state, 'CA');
        assert.equal(count.countedThrough, '2025-08-31');
        assert.equal(count.category1.total, 0);
        const csv = continuum([...args, '--format', 'csv', '--as-of', '2025-01-31'], {
          DATABASE_URL: url,
        });
        assert.equal(csv.code, 0, csv.stderr);
        assert.match(
          csv.stdout,
          /^state,period,category,breakdown,group,children\r\nCA,2024-25,1,total,all,0\r\n/,
        );
        const bad = continuum(['report', 'child-count', '--state', 'CA', '--period', '2024-26'], {
          DATABASE_URL: url,
        });
        assert.equal(bad.code, 64);
        assert.match(bad.stderr, /period must name two consecutive years/);
      });
    });
  }
});
