import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { caCodes } from '../../src/demo/ca-csv.js';
import { flCodes } from '../../src/demo/fl-xml.js';
import { demoFiles, DEMO_TRUTH_FILE, writeDemoFiles } from '../../src/demo/index.js';
import type { DemoPerson } from '../../src/demo/model.js';
import { demoStates } from '../../src/demo/places.js';
import { txCodes } from '../../src/demo/tx-codes.js';
import { txLayouts } from '../../src/demo/tx-fixed-width.js';
import { waCodes } from '../../src/demo/wa-jsonl.js';

const readme = readFileSync(new URL('../../src/demo/README.md', import.meta.url), 'utf8');

/** The part of the README between its `## XX` heading and the next `## ` heading. */
function section(state: string): string {
  const start = readme.indexOf(`\n## ${state} `);
  assert.ok(start >= 0, `no README section for ${state}`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('demo files on disk', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'continuum-demo-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one file per state and the ground truth, and says what it wrote', async () => {
    const result = await writeDemoFiles({
      children: 60,
      seed: 11,
      outDir: dir,
      today: '2025-11-03',
    });
    assert.deepEqual(
      result.files.map((f) => f.state),
      [...demoStates],
    );
    assert.deepEqual(
      readdirSync(dir).sort(),
      [...demoStates.map((s) => demoFiles[s].name), DEMO_TRUTH_FILE].sort(),
    );
    const truth = JSON.parse(readFileSync(result.truthPath, 'utf8')) as {
      children: number;
      people: DemoPerson[];
    };
    assert.equal(truth.children, 60);
    assert.equal(truth.people.length, 60);
    for (const f of result.files) {
      const ids = truth.people.flatMap((p) => p.records.filter((r) => r.state === f.state));
      assert.equal(f.records, ids.length, `${f.state} record count`);
      const content = readFileSync(f.path, f.format === 'fixed-width' ? 'latin1' : 'utf8');
      for (const { stateStudentId } of ids)
        assert.ok(content.includes(stateStudentId), stateStudentId);
    }
  });

  it('has no e-mail outside example.org and no telephone outside 555-01xx in any file', async () => {
    const result = await writeDemoFiles({ children: 120, seed: 3, outDir: dir });
    for (const f of result.files) {
      const content = readFileSync(f.path, f.format === 'fixed-width' ? 'latin1' : 'utf8');
      const emails = content.match(/[^\s",<>{}:]+@[^\s",<>{}]+/g) ?? [];
      assert.ok(emails.length > 0, `${f.state} has e-mails`);
      for (const e of emails) assert.match(e, /@example\.org$/, `${f.state}: ${e}`);
      // Every phone-shaped number: (NNN) NNN-NNNN, NNN-NNN-NNNN, or TX's ten digits in their field.
      const shaped = content.match(/\(\d{3}\) \d{3}-\d{4}|\b\d{3}-\d{3}-\d{4}\b/g) ?? [];
      for (const p of shaped) assert.match(p, /555-01\d{2}$/, `${f.state}: ${p}`);
      if (f.state === 'TX') {
        const lines = content.split('\r\n').filter((l) => l.startsWith('S'));
        for (const field of txLayouts.S.filter((x) => x.name.endsWith('-PHONE'))) {
          for (const line of lines) {
            const value = line.slice(field.start - 1, field.start - 1 + field.length).trim();
            if (value) assert.match(value, /^\d{3}55501\d{2}$/, value);
          }
        }
      } else {
        assert.ok(shaped.length > 0, `${f.state} has phones`);
      }
    }
  });
});

describe('demo README', () => {
  const tables = {
    CA: caCodes as Record<string, unknown>,
    TX: txCodes as Record<string, unknown>,
    FL: flCodes as Record<string, unknown>,
    WA: waCodes as Record<string, unknown>,
  };

  it("documents every one of each state's own codes in that state's section", () => {
    for (const [state, codes] of Object.entries(tables)) {
      const text = section(state);
      for (const [set, table] of Object.entries(codes)) {
        const values = typeof table === 'string' ? [table] : Object.values(table as object);
        for (const v of values) {
          assert.ok(text.includes(`\`${String(v)}\``), `${state} ${set}: ${String(v)}`);
        }
      }
    }
  });

  it('prints every TX field with its exact positions', () => {
    const text = section('TX');
    for (const [type, layout] of Object.entries(txLayouts)) {
      for (const f of layout) {
        const row = new RegExp(
          `\\| ${f.start}–${f.start + f.length - 1} +\\| ${f.length} +\\| \`${f.name}\``,
        );
        assert.match(text, row, `${type} ${f.name}`);
      }
    }
  });

  it('names every CA column and every FL element', () => {
    const ca = section('CA');
    for (const header of ['SSID', 'STUDENT_NAME', 'QAD', 'ENROLLMENT_TYPE', 'COMMENT']) {
      assert.ok(ca.includes(`\`${header}\``), header);
    }
    const fl = section('FL');
    for (const el of [
      'PaternalSurname',
      'QualifyingMove',
      'Enrollment',
      'CreditsEarned',
      'Interpretation',
    ]) {
      assert.ok(fl.includes(el), el);
    }
  });
});
