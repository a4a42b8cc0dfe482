/** Data and look-ups shared by the ingest suites. */
import { exampleExchangeDocument } from '../../src/exchange/example-document.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import type { Store } from '../../src/store/index.js';

/** Every table in the database (as the migrations made them), so a test can show that nothing changed anywhere. */
export async function tableCounts(store: Store): Promise<Record<string, number>> {
  const tables = (await store.sequelize.getQueryInterface().showAllTables()) as unknown[];
  const names = tables
    .map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName))
    .filter((name) => !name.startsWith('sqlite_'))
    .sort();
  const counts: Record<string, number> = {};
  for (const table of names) {
    const [rows] = await store.sequelize.query(`SELECT COUNT(*) AS n FROM ${table}`);
    counts[table] = Number((rows[0] as { n: number | string }).n);
  }
  if (!('student_records' in counts)) throw new Error('no student_records table: not migrated?');
  return counts;
}

/**
 * A valid document for student `id` (at most 15 characters), based on the complete example; the
 * example's eligibility expiration date is left out unless `keepExpiry`, so ingest computes it.
 */
export function documentFor(id: string, changes: { firstName?: string } = {}): ExchangeDocument {
  const doc = structuredClone(exampleExchangeDocument);
  doc.student.stateStudentId = id;
  if (changes.firstName) doc.student.firstName = changes.firstName;
  return doc;
}

export async function count(store: Store, sql: string): Promise<number> {
  const [rows] = await store.sequelize.query(sql);
  return Number((rows[0] as { n: number | string }).n);
}

/**
 * A copy of a demo CA CSV (every field quoted, CRLF, BOM) with one field of one line replaced:
 * a hostile row for the real ca-csv mapping. `line` is the 1-based file line (1 is the header).
 */
export function withCaCsvField(csv: Buffer, line: number, column: string, value: string): Buffer {
  const lines = csv.toString('utf8').split('\r\n');
  const fields = (text: string): string[] => text.match(/"(?:[^"]|"")*"/g) ?? [];
  const index = fields(lines[0]!.replace(/^\uFEFF/, '')).indexOf(`"${column}"`);
  if (index < 0) throw new Error(`no column ${column}`);
  const cells = fields(lines[line - 1]!);
  cells[index] = `"${value.replace(/"/g, '""')}"`;
  lines[line - 1] = cells.join(',');
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
