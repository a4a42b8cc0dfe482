// Each demo state's sample (test/fixtures/mappings/, made by the demo generator) through its real
// mapping (mappings/*.yaml) into the store, on every dialect: what a state's upload does.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import { generateDemoDataset } from '../../src/demo/index.js';
import type { DemoState } from '../../src/demo/index.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import { ingestFile, loadStateMapping } from '../../src/ingest/index.js';
import {
  closeStore,
  findStudentRecordId,
  initStore,
  migrate,
  readStudentDocument,
  upsertStates,
} from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { testDatabases } from '../helpers/databases.js';
import { SAMPLE_FILES, SAMPLE_OPTIONS } from '../fixtures/mappings/generate-samples.js';
import { tableCounts } from '../helpers/ingest-data.js';

const config = loadConfig({ configDir: 'config', env: { NODE_ENV: 'test' } });
/** The documents each sample holds, as the state's system holds them. */
const dataset = generateDemoDataset(SAMPLE_OPTIONS);
const states = (['CA', 'TX', 'FL', 'WA'] as DemoState[]).map((code) => ({
  code,
  state: config.states.find((s) => s.code === code)!,
  sample: fileURLToPath(new URL(`../fixtures/mappings/${SAMPLE_FILES[code]}`, import.meta.url)),
}));

/** WA sends no eligibility expiration date: ingest computes it, so it is not compared. */
function comparable(code: DemoState, doc: ExchangeDocument): ExchangeDocument {
  if (code !== 'WA') return doc;
  return {
    ...doc,
    qualifyingMoves: doc.qualifyingMoves.map(({ eligibilityExpirationDate: _, ...m }) => m),
  };
}

for (const db of testDatabases()) {
  describe(`demo mappings ingest their samples on ${db.name}`, function () {
    this.timeout(120_000);
    let store: Store;

    before(async function () {
      store = await initStore({ url: await db.create(this) });
      await migrate(store.sequelize);
      await upsertStates(store, config.states);
    });
    after(async () => {
      await closeStore(store);
      await db.drop();
    });

    for (const { code, state, sample } of states) {
      it(`${code}: ${state.mapping} stores every record of its sample as the state holds it`, async () => {
        assert.ok(dataset.byState[code].length > 0);
        const mapping = await loadStateMapping(config, state);
        const summary = await ingestFile({
          store,
          config,
          state: code,
          mapping,
          fileName: SAMPLE_FILES[code],
          input: { path: sample },
          today: dataset.today,
        });
        assert.deepEqual(summary.rejects.slice(0, 3), [], 'no rejects');
        assert.equal(summary.status, 'completed');
        assert.equal(summary.acceptedCount, dataset.byState[code].length);
        for (const expected of dataset.byState[code]) {
          const id = await findStudentRecordId(store, code, expected.student.stateStudentId);
          assert.ok(id, `${expected.student.stateStudentId} stored`);
          const stored = await readStudentDocument(store, id);
          assert.deepEqual(comparable(code, stored!.document), expected);
          for (const move of stored!.document.qualifyingMoves) {
            assert.ok(move.eligibilityExpirationDate, 'every move has its eligibility end');
          }
        }

        const before = await tableCounts(store);
        const again = await ingestFile({
          store,
          config,
          state: code,
          mapping,
          fileName: SAMPLE_FILES[code],
          input: { path: sample },
          today: dataset.today,
        });
        assert.equal(again.duplicate, true);
        assert.deepEqual(await tableCounts(store), before, 're-sending changes no row count');
      });
    }
  });
}
