/**
 * The four demo mappings (mappings/*.yaml) read their committed samples back into exactly the
 * canonical documents the demo generator made for each state.
 */
import assert from 'node:assert/strict';
import { createReadStream, readFileSync } from 'node:fs';
import { generateDemoDataset, renderDemoFiles } from '../../src/demo/index.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import { validateExchangeDocument } from '../../src/exchange/validate.js';
import { loadMapping, type MappedRecord } from '../../src/mapping/index.js';
import { SAMPLE_FILES, SAMPLE_OPTIONS } from '../fixtures/mappings/generate-samples.js';

type DemoState = keyof typeof SAMPLE_FILES;

const mappings: Record<DemoState, string> = {
  CA: 'mappings/ca-csv.yaml',
  TX: 'mappings/tx-fixed-width.yaml',
  FL: 'mappings/fl-xml.yaml',
  WA: 'mappings/wa-jsonl.yaml',
};

/**
 * Fields a state's native format cannot carry, left out of the comparison. None: each state's
 * canonical documents (`byState`) already hold only what that state keeps (CA: no courses or
 * assessments; TX: Latin-1 text cut to its widths; WA: no eligibility expiration date, which the
 * gateway computes), and every one of those the native file carries round-trips exactly.
 */
const notCarried: Record<DemoState, readonly string[]> = { CA: [], TX: [], FL: [], WA: [] };

function without(doc: ExchangeDocument, paths: readonly string[]): unknown {
  const copy = structuredClone(doc) as unknown as Record<string, unknown>;
  for (const p of paths) {
    const [section, field] = p.split('.') as [string, string];
    const value = copy[section];
    for (const item of Array.isArray(value) ? value : [value])
      Reflect.deleteProperty(item as object, field);
  }
  return copy;
}

const dataset = generateDemoDataset(SAMPLE_OPTIONS);
const rendered = renderDemoFiles(dataset);
const fixture = (state: DemoState) =>
  new URL(`../fixtures/mappings/${SAMPLE_FILES[state]}`, import.meta.url);

async function collect(it: AsyncIterable<MappedRecord>): Promise<MappedRecord[]> {
  const out: MappedRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

describe('demo mappings', () => {
  for (const state of Object.keys(mappings) as DemoState[]) {
    describe(`${state} (${mappings[state]})`, () => {
      it('has a committed sample that is still what the demo generator writes', () => {
        assert.ok(dataset.byState[state].length >= 3, 'the sample should hold several children');
        assert.ok(
          readFileSync(fixture(state)).equals(rendered[state]),
          'regenerate: npx tsx test/fixtures/mappings/generate-samples.ts',
        );
      });

      it('maps the sample (streamed from disk) to exactly the canonical documents', async () => {
        const mapping = await loadMapping(mappings[state]);
        assert.equal(mapping.name, mappings[state].replace(/^mappings\/|\.yaml$/g, ''));
        assert.equal(mapping.state, state);
        const records = await collect(
          mapping.read(createReadStream(fixture(state)), { fileName: SAMPLE_FILES[state] }),
        );
        const rejects = records.filter((r) => r.kind === 'reject');
        assert.deepStrictEqual(rejects, []);
        const docs = records.flatMap((r) => (r.kind === 'document' ? [r] : []));
        const expected = dataset.byState[state];
        assert.equal(docs.length, expected.length);
        docs.forEach((r, i) => {
          const want = expected[i] as ExchangeDocument;
          assert.equal(r.action, 'upsert');
          assert.equal(r.key, want.student.stateStudentId);
          assert.deepStrictEqual(
            without(r.document, notCarried[state]),
            without(want, notCarried[state]),
          );
          assert.deepEqual(validateExchangeDocument(r.document, { today: dataset.today }), {
            ok: true,
            document: r.document,
          });
        });
        // Rows are the lines (CSV: the header is line 1; XML: the Student element's line).
        const rows = docs.map((r) => r.row);
        assert.deepStrictEqual(
          [...rows].sort((a, b) => a - b),
          rows,
        );
        assert.ok(rows[0]! >= 1);
        if (state === 'CA' || state === 'TX') {
          assert.equal(rows[0], state === 'CA' ? 2 : 1);
          const lines = docs.flatMap((r) => r.rows);
          const dataLines = readFileSync(fixture(state), 'latin1')
            .split('\r\n')
            .filter(Boolean).length;
          assert.equal(
            lines.length,
            state === 'CA' ? dataLines - 1 : dataLines,
            'every line is in one child',
          );
        }
      });
    });
  }
});
