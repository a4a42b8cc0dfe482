/**
 * A separate process for the kill test (test/integration/ingest-kill.test.ts): migrates the
 * database, then ingests one file, printing `progress <records>` after each batch and
 * `done <summary JSON>` at the end, so the parent can SIGKILL it mid-file.
 *
 * node --import tsx test/helpers/ingest-child.ts <database-url> <state> <file> <mapping-file>
 */
import { ingestFile, loadMappingFile } from '../../src/ingest/index.js';
import { closeStore, initStore, migrate, upsertStates } from '../../src/store/index.js';

const [url, state, file, mappingArg] = process.argv.slice(2);
if (!url || !state || !file || !mappingArg) {
  process.stderr.write('usage: ingest-child.ts <database-url> <state> <file> <mapping-file>\n');
  process.exit(64);
}
const mapping = await loadMappingFile(mappingArg);
const store = await initStore({ url });
try {
  await migrate(store.sequelize);
  await upsertStates(store, [{ code: state, name: state }]);
  const summary = await ingestFile({
    store,
    config: { states: [{ code: state }] } as Parameters<typeof ingestFile>[0]['config'],
    state,
    mapping,
    fileName: file.split('/').pop() ?? file,
    input: { path: file },
    today: '2025-11-03',
    onProgress: (p) => process.stdout.write(`progress ${p.records}\n`),
  });
  process.stdout.write(`done ${JSON.stringify({ ...summary, rejects: summary.rejects.length })}\n`);
} finally {
  await closeStore(store);
}
