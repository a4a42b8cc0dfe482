import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.js';

function problemsOf(files: Record<string, string>): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'continuum-config-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    loadConfig({ configDir: dir, env: { NODE_ENV: 'test' } });
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [];
}

const state = (survey: string) =>
  `code: CA\nname: California\nidentityProvider: { type: none }\nmapping: ca-csv\n${survey}`;

describe('configuration: survey reports', () => {
  it('ships 23 regional centers for CA, the release dates and the key indicators', () => {
    const config = loadConfig({ configDir: 'config', env: { NODE_ENV: 'test' } });
    const ca = config.states.find((s) => s.code === 'CA')!;
    assert.equal(ca.regions.length, 23);
    // One table: worklist escalation reads the same regions, by state.
    assert.deepEqual(config.linkage.worklist.regions['CA']?.['R01'], ['0699001', '0699002']);
    assert.ok(ca.survey.releases.some((r) => r.survey === 'student' && r.year === 2025));
    assert.deepEqual(config.survey.minimumRespondents, { student: 10, staff: 5 });
    const ids = config.survey.indicators.map((i) => i.id);
    for (const id of ['school-connectedness', 'caring-adults', 'perceived-safety', 'harassment'])
      assert.ok(ids.includes(id), id);
    assert.ok(config.survey.indicators.some((i) => i.survey === 'staff'));
    // A state without a survey section has none: no region, nothing ever released.
    const tx = config.states.find((s) => s.code === 'TX')!;
    assert.deepEqual(tx.survey, { releases: [] });
    assert.deepEqual(tx.regions, []);
  });

  it('names a district in two regions, a bad release date and a bad indicator rule', () => {
    const found = problemsOf({
      'default.yaml':
        'survey:\n  indicators:\n    - { id: x, name: X, survey: student, section: S, items: [A1], rule: { above: 3 } }\n',
      'states/CA.yaml': state(
        'regions:\n  - { id: R01, name: One, districts: [d1] }\n  - { id: R02, name: Two, districts: [d1] }\nsurvey:\n  releases:\n    - { survey: student, year: 2025, date: 2025-13-01 }\n',
      ),
    });
    assert.ok(
      found.some((p) =>
        /regions\[1\]\.districts\[0\]: district d1 is already in region R01/.test(p),
      ),
      found.join('\n'),
    );
    assert.ok(
      found.some((p) => /survey\.releases\[0\]\.date: must be a date/.test(p)),
      found.join('\n'),
    );
    assert.ok(
      found.some((p) => /survey\.indicators\[0\]\.rule: must be \{ meanAtLeast/.test(p)),
      found.join('\n'),
    );
  });
});
