import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const stateYaml = (code: string, idpType = 'none') =>
  `code: ${code}\nname: State ${code}\nidentityProvider:\n  type: ${idpType}\nmapping: ${code.toLowerCase()}-csv\n`;

function tempConfig(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'continuum-config-'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems.map((p) => `${path.basename(p.file)}: ${p.path}: ${p.message}`);
  }
  assert.fail('expected the configuration to be refused');
}

describe('configuration', () => {
  const dirs: string[] = [];
  const make = (files: Record<string, string>) => {
    const dir = tempConfig({ 'states/.keep': '', ...files });
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('loads the shipped settings with the four demo states and their calendars', () => {
    const config = loadConfig({ configDir: 'config', env: { NODE_ENV: 'development' } });
    assert.equal(config.server.port, 8080);
    assert.equal(config.database.url, 'sqlite:./data/continuum.sqlite');
    assert.deepEqual(
      config.states.map((s) => s.code),
      ['CA', 'FL', 'TX', 'WA'],
    );
    const ca = config.states.find((s) => s.code === 'CA')!;
    assert.ok(ca.calendar.holidays.some((h) => h.date === '2026-03-31' && /Chavez/.test(h.name)));
    assert.equal(ca.calendar.timeZone, 'America/Los_Angeles');
  });

  it('layers the environment file over the defaults', () => {
    const config = loadConfig({ configDir: 'config', env: { NODE_ENV: 'test' } });
    assert.equal(config.database.url, 'sqlite::memory:');
    assert.equal(config.log.level, 'silent');
    assert.equal(config.server.port, 8080, 'keys the test file does not set keep their default');
  });

  it('lets environment variables override keys by the CONTINUUM_SECTION__KEY rule and aliases', () => {
    const config = loadConfig({
      configDir: 'config',
      env: {
        NODE_ENV: 'development',
        CONTINUUM_SERVER__PUBLIC_URL: 'https://continuum.example.org',
        CONTINUUM_DEMO__LOAD_ON_FIRST_START: 'false',
        PORT: '9091',
        DATABASE_URL: 'postgres://u@127.0.0.1:5432/x',
      },
    });
    assert.equal(config.server.publicUrl, 'https://continuum.example.org');
    assert.equal(config.server.port, 9091, 'numbers are read as YAML scalars');
    assert.equal(config.demo.loadOnFirstStart, false);
    assert.equal(config.database.url, 'postgres://u@127.0.0.1:5432/x');
  });

  it('stops on a state with an unknown identity-provider type and a negative port, naming both', () => {
    const dir = make({
      'default.yaml': 'server:\n  port: -1\n',
      'states/ZZ.yaml': stateYaml('ZZ', 'ldap'),
    });
    const problems = problemsOf(() => loadConfig({ configDir: dir, env: {} }));
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(
      problems[0]!,
      /^default\.yaml: server\.port: must be between 0 and 65535 \(got -1\)/,
    );
    assert.match(
      problems[1]!,
      /^ZZ\.yaml: identityProvider\.type: must be one of saml, oidc, none/,
    );
  });

  it('names every unknown key and every missing required key at once, with paths', () => {
    const dir = make({
      'default.yaml': 'server:\n  prot: 80\ndatabse: {}\n',
      'states/QQ.yaml':
        'code: QQ\nname: Q\nidentityProvider:\n  type: oidc\n  issuer: https://idp.example.org\nmapping: q\ncontacts:\n  - { name: A, role: r, email: not-mail }\n',
    });
    const problems = problemsOf(() => loadConfig({ configDir: dir, env: {} }));
    assert.ok(
      problems.includes('default.yaml: server.prot: is not a known key'),
      problems.join('\n'),
    );
    assert.ok(problems.includes('default.yaml: databse: is not a known key'), problems.join('\n'));
    assert.ok(
      problems.some((p) => p.startsWith('QQ.yaml: identityProvider.clientId: is required')),
    );
    assert.ok(problems.some((p) => p.startsWith('QQ.yaml: contacts[0].email: must be an e-mail')));
  });

  it('blames the environment when an environment variable is bad', () => {
    const dir = make({ 'default.yaml': '' });
    const problems = problemsOf(() => loadConfig({ configDir: dir, env: { PORT: 'eighty' } }));
    assert.deepEqual(problems, ['environment: server.port: must be a number (got "eighty")']);
  });

  it('refuses a state file whose code does not match its name, and YAML syntax errors by line', () => {
    const dir = make({ 'default.yaml': 'log:\n  level: [\n', 'states/AB.yaml': stateYaml('CD') });
    const problems = problemsOf(() => loadConfig({ configDir: dir, env: {} }));
    assert.ok(
      problems.some((p) => /^default\.yaml: line \d+, column \d+: /.test(p)),
      problems.join('\n'),
    );
    assert.ok(problems.includes("AB.yaml: code: must match the file name (AB); got 'CD'"));
  });
});
