// The ingest pipeline on every dialect (test/helpers/databases.ts), through the real mapping
// engine: the CA and WA demo mappings, and a small roster mapping for deletes (no demo format
// sends one). The demo samples themselves: ingest-demo-mappings.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../../src/config/index.js';
import { generateDemoDataset, writeCaCsv, writeWaJsonl } from '../../src/demo/index.js';
import { eligibilityExpirationDate } from '../../src/exchange/eligibility.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import { FileTooLargeError, ingestFile, loadStateMapping } from '../../src/ingest/index.js';
import type { CompiledMapping, IngestInput } from '../../src/ingest/index.js';
import { compileMapping } from '../../src/mapping/index.js';
import {
  closeStore,
  findStudentRecordId,
  getChildWithRecords,
  initStore,
  listRejects,
  listStudentRecordHistory,
  migrate,
  readStudentDocument,
  upsertStates,
} from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { testDatabases } from '../helpers/databases.js';
import { count, tableCounts, withCaCsvField } from '../helpers/ingest-data.js';

const config = loadConfig({ configDir: 'config', env: { NODE_ENV: 'test' } });
const { byState, today } = generateDemoDataset({ children: 60, seed: 11 });
let series = 0;

/** Demo documents of a state under student IDs no other test uses. */
function docsOf(state: 'CA' | 'WA', n = byState[state].length): ExchangeDocument[] {
  series++;
  return Array.from({ length: n }, (_, i) => {
    const doc = structuredClone(byState[state][i % byState[state].length]!);
    doc.student.stateStudentId = `${series}${String(i).padStart(8, '0')}`;
    return doc;
  });
}

/** A roster with an action column (A add or change, D delete): the engine's `action` key. */
const rosterYaml = `
version: 1
format: csv
input: { delimiter: ',', header: true }
grouping: { key: ID }
action: { source: ACTION, crosswalk: { A: upsert, D: delete } }
fields:
  student:
    stateStudentId: ID
    stateStudentIdType: { value: '01' }
    firstName: FIRST
    lastName1: LAST
    sex: SEX
    birthDate: { source: DOB, transforms: [{ date: YYYY-MM-DD }] }
  qualifyingMoves:
    each: rows
    qualifyingArrivalDate: { source: QAD, transforms: [{ date: YYYY-MM-DD }] }
    toState: { value: CA }
  enrollments:
    each: rows
    enrollmentDate: { source: ENROLLED, transforms: [{ date: YYYY-MM-DD }] }
    enrollmentType: { value: '01' }
    grade: GRADE
`;
const roster = (lines: string[]) =>
  Buffer.from(['ID,ACTION,FIRST,LAST,SEX,DOB,QAD,ENROLLED,GRADE', ...lines, ''].join('\n'));

for (const db of testDatabases()) {
  describe(`ingest on ${db.name}`, function () {
    this.timeout(60_000);
    let store: Store;
    let ca: CompiledMapping;
    let wa: CompiledMapping;
    let rosterMapping: CompiledMapping;
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'continuum-ingest-'));

    before(async function () {
      store = await initStore({ url: await db.create(this) });
      await migrate(store.sequelize);
      await upsertStates(store, config.states);
      const state = (code: string) => config.states.find((s) => s.code === code)!;
      ca = await loadStateMapping(config, state('CA'));
      wa = await loadStateMapping(config, state('WA'));
      rosterMapping = await compileMapping(rosterYaml, 'roster.yaml');
    });
    after(async () => {
      await closeStore(store);
      await db.drop();
      rmSync(tmp, { recursive: true, force: true });
    });

    const ingest = (
      input: IngestInput,
      options: {
        fileName?: string;
        mapping?: CompiledMapping;
        state?: string;
        mapInWorker?: boolean;
      } = {},
    ) =>
      ingestFile({
        store,
        config,
        state: options.state ?? 'CA',
        mapping: options.mapping ?? ca,
        fileName: options.fileName ?? 'ca.csv',
        input,
        today,
        ...(options.mapInWorker === undefined ? {} : { mapInWorker: options.mapInWorker }),
      });
    const stored = async (state: string, id: string) => {
      const recordId = await findStudentRecordId(store, state, id);
      return recordId === null ? null : readStudentDocument(store, recordId);
    };

    it('stores each record as the state holds it, each new student with a child of its own', async () => {
      const docs = docsOf('CA');
      const summary = await ingest(writeCaCsv(docs));
      assert.equal(summary.status, 'completed');
      assert.equal(summary.duplicate, false);
      assert.deepEqual(
        [summary.rowCount, summary.acceptedCount, summary.rejectedCount, summary.deletedCount],
        [docs.length, docs.length, 0, 0],
      );
      assert.deepEqual(summary.changes, {
        created: docs.length,
        updated: 0,
        unchanged: 0,
        removed: 0,
      });
      const children = new Set<string>();
      for (const doc of docs) {
        const record = (await stored('CA', doc.student.stateStudentId))!;
        assert.deepEqual(record.document, doc);
        assert.equal(record.source.submissionId, summary.submissionId);
        children.add(record.childId!);
      }
      assert.equal(children.size, docs.length);
      assert.equal(
        (await stored('CA', docs[0]!.student.stateStudentId))!.source.row,
        2,
        'line 2: the first after the header',
      );
    });

    it('computes the eligibility end a state does not send (WA): 36 months, age 22 or graduation', async () => {
      const docs = docsOf('WA');
      assert.ok(docs.every((d) => d.qualifyingMoves.every((m) => !m.eligibilityExpirationDate)));
      const summary = await ingest(writeWaJsonl(docs), {
        mapping: wa,
        state: 'WA',
        fileName: 'wa.jsonl',
      });
      assert.equal(summary.rejectedCount, 0, JSON.stringify(summary.rejects));
      for (const doc of docs) {
        const record = (await stored('WA', doc.student.stateStudentId))!;
        const graduation = doc.enrollments
          .map((e) => e.graduationDate)
          .filter(Boolean)
          .sort()[0];
        record.document.qualifyingMoves.forEach((move, i) => {
          assert.equal(
            move.eligibilityExpirationDate,
            eligibilityExpirationDate({
              qualifyingArrivalDate: doc.qualifyingMoves[i]!.qualifyingArrivalDate,
              birthDate: doc.student.birthDate,
              graduationDate: graduation,
            }),
          );
        });
      }
    });

    it('recognizes a re-sent file by its hash, from a file, a buffer or a stream, and changes nothing', async () => {
      const bytes = writeCaCsv(docsOf('CA', 3));
      const file = path.join(tmp, 'resend.csv');
      writeFileSync(file, bytes);
      const first = await ingest({ path: file });
      assert.equal(first.duplicate, false);
      const before = await tableCounts(store);
      const inputs: IngestInput[] = [
        { path: file },
        bytes,
        Readable.from([bytes.subarray(0, 99), bytes.subarray(99)]),
      ];
      for (const input of inputs) {
        const again = await ingest(input);
        assert.equal(again.duplicate, true);
        assert.equal(again.submissionId, first.submissionId);
        assert.equal(again.acceptedCount, 3);
        assert.deepEqual(await tableCounts(store), before);
      }
      // Another state may send the same bytes: that is its own file.
      assert.equal((await ingest(bytes, { state: 'TX' })).duplicate, false);
    });

    it('updates a changed record in place, keeping its child and the previous values as history', async () => {
      const docs = docsOf('CA', 4);
      const first = await ingest(writeCaCsv(docs));
      const id = docs[0]!.student.stateStudentId;
      const before = (await stored('CA', id))!;
      const changed = structuredClone(docs);
      changed[0]!.student.firstName = 'JOSEPH';
      const second = await ingest(writeCaCsv(changed));
      assert.deepEqual(second.changes, { created: 0, updated: 1, unchanged: 3, removed: 0 });
      const after = (await stored('CA', id))!;
      assert.equal(after.document.student.firstName, 'JOSEPH');
      assert.equal(after.studentRecordId, before.studentRecordId);
      assert.equal(after.childId, before.childId, 'the child keeps its ID');
      assert.equal(after.source.submissionId, second.submissionId);
      const history = await listStudentRecordHistory(store, {
        studentRecordId: before.studentRecordId,
      });
      assert.equal(history.length, 1);
      assert.equal(history[0]!.action, 'update');
      assert.equal(history[0]!.previousSubmissionId, first.submissionId);
      assert.equal(history[0]!.replacedBySubmissionId, second.submissionId);
      assert.deepEqual(history[0]!.previousDocument, before.document);
      const unchanged = (await stored('CA', docs[1]!.student.stateStudentId))!;
      assert.equal(
        unchanged.source.submissionId,
        first.submissionId,
        'an unchanged record is not rewritten',
      );
    });

    it('removes a deleted record and its items, keeping a history row', async () => {
      const row = (id: string, action: string) =>
        `${id},${action},Ana,Ruiz,F,2012-03-04,2024-09-01,2024-09-03,07`;
      await ingest(roster([row('R1', 'A'), row('R2', 'A')]), {
        mapping: rosterMapping,
        fileName: 'roster.csv',
      });
      const kept = (await stored('CA', 'R1'))!;
      const summary = await ingest(roster(['R1,D,,,,,,,', 'R9,D,,,,,,,']), {
        mapping: rosterMapping,
        fileName: 'roster.csv',
      });
      assert.deepEqual(
        [summary.rowCount, summary.acceptedCount, summary.deletedCount, summary.rejectedCount],
        [2, 0, 2, 0],
      );
      assert.equal(summary.changes?.removed, 1, 'R9 was never stored: nothing to remove');
      assert.equal(await stored('CA', 'R1'), null);
      assert.equal(
        await count(
          store,
          `SELECT COUNT(*) AS n FROM enrollments WHERE student_record_id = ${kept.studentRecordId}`,
        ),
        0,
      );
      assert.ok(await stored('CA', 'R2'));
      const history = await listStudentRecordHistory(store, {
        stateCode: 'CA',
        stateStudentId: 'R1',
      });
      assert.deepEqual(
        history.map((h) => h.action),
        ['delete'],
      );
      assert.deepEqual(history[0]!.previousDocument, kept.document);
      assert.ok((await getChildWithRecords(store, kept.childId!))?.child, 'the child stays');
    });

    it('stores the good records of a hostile file and rejects the bad ones, naming where and why', async () => {
      const docs = docsOf('CA', 6);
      // A toddler in grade 9: every field is well formed, the combination is not.
      const toddler = docs[2]!;
      toddler.student.birthDate = toddler.enrollments[0]!.enrollmentDate.replace(/^\d{4}/, (y) =>
        String(Number(y) - 4),
      );
      for (const e of toddler.enrollments) e.grade = '09';
      let bytes = writeCaCsv(docs);
      const lines = bytes.toString('utf8').split('\r\n');
      const lineOf = (doc: ExchangeDocument) =>
        lines.findIndex((l) => l.startsWith(`"${doc.student.stateStudentId}"`)) + 1;
      bytes = withCaCsvField(bytes, lineOf(docs[1]!), 'BIRTH_DATE', '02/30/2010');
      bytes = withCaCsvField(
        bytes,
        lineOf(docs[3]!),
        'SEX',
        `=HYPERLINK("http://evil.example")${'9'.repeat(300)}`,
      );
      const summary = await ingest(bytes, { fileName: 'hostile.csv' });
      assert.equal(summary.status, 'completed');
      assert.deepEqual([summary.acceptedCount, summary.rejectedCount], [3, 3]);
      for (const doc of [docs[0]!, docs[4]!, docs[5]!])
        assert.ok(await stored('CA', doc.student.stateStudentId));
      for (const doc of [docs[1]!, docs[2]!, docs[3]!])
        assert.equal(await stored('CA', doc.student.stateStudentId), null);
      const rejects = await listRejects(store, summary.submissionId);
      const bad = rejects.find((r) => r.field === 'BIRTH_DATE')!;
      assert.deepEqual(
        [bad.row, bad.target, bad.value],
        [lineOf(docs[1]!), 'student.birthDate', '02/30/2010'],
      );
      assert.match(bad.reason, /calendar date/);
      const grade = rejects.find((r) => r.target === 'enrollments[0].grade')!;
      assert.equal(grade.row, lineOf(toddler));
      assert.match(grade.reason, /grade 09 is not plausible for a child aged 4/);
      const sex = rejects.find((r) => r.field === 'SEX')!;
      assert.equal(sex.target, 'student.sex');
      assert.ok(sex.value!.length <= 200, 'the value is truncated');
      assert.deepEqual(summary.rejects[0], {
        file: 'hostile.csv',
        row: bad.row,
        field: bad.field,
        target: bad.target,
        value: bad.value,
        reason: bad.reason,
      });
    });

    it('records a refused file as a refused submission with the reason, and stores nothing else', async () => {
      const before = await tableCounts(store);
      // A broken quote on line 4 of a streamed upload: refused there, after reading the lines before.
      const lines = writeCaCsv(docsOf('CA', 5)).toString('utf8').split('\r\n');
      lines[3] = lines[3]!.replace('","', '"x"x,"');
      const bytes = Buffer.from(lines.join('\r\n'));
      const summary = await ingest(Readable.from([bytes]), { fileName: 'broken.csv' });
      assert.equal(summary.status, 'refused');
      assert.match(summary.error!, /^line 4: is not readable as CSV/);
      const after = await tableCounts(store);
      assert.deepEqual(after, { ...before, submissions: before['submissions']! + 1 });
      // Sent again, it is refused again: still one submission of that file.
      const again = await ingest(bytes, { fileName: 'broken.csv' });
      assert.equal(again.status, 'refused');
      assert.equal(again.fileSha256, summary.fileSha256, 'the streamed file was hashed whole');
      assert.deepEqual(await tableCounts(store), after);
    });

    it('stops reading a stream past maxBytes, storing nothing', async () => {
      const before = await tableCounts(store);
      const bytes = writeCaCsv(docsOf('CA', 20));
      const chunks = [bytes.subarray(0, 4000), bytes.subarray(4000, 8000), bytes.subarray(8000)];
      await assert.rejects(
        ingestFile({
          store,
          config,
          state: 'CA',
          mapping: ca,
          fileName: 'big.csv',
          input: Readable.from(chunks),
          maxBytes: 6000,
          today,
        }),
        FileTooLargeError,
      );
      assert.deepEqual(await tableCounts(store), before);
    });

    it('writes in batches of 500 and reports progress after each', async () => {
      const docs = docsOf('CA', 1234);
      const seen: number[] = [];
      const summary = await ingestFile({
        store,
        config,
        state: 'CA',
        mapping: ca,
        fileName: 'many.csv',
        input: Readable.from([writeCaCsv(docs)]),
        today,
        onProgress: (p) => seen.push(p.records),
      });
      assert.equal(summary.acceptedCount, 1234);
      assert.deepEqual(seen, [500, 1000, 1234]);
      assert.equal(
        await count(
          store,
          `SELECT COUNT(*) AS n FROM student_records WHERE submission_id = ${summary.submissionId}`,
        ),
        1234,
      );
    });
    it('maps in a worker thread exactly as in the main thread: records, rejects, refusals, limits', async () => {
      const docs = docsOf('CA', 700);
      const csv = writeCaCsv(docs);
      const lines = csv.toString('utf8').split('\r\n');
      const lineOf = (doc: ExchangeDocument) =>
        lines.findIndex((l) => l.startsWith(`"${doc.student.stateStudentId}"`)) + 1;
      const bytes = withCaCsvField(csv, lineOf(docs[600]!), 'BIRTH_DATE', '02/30/2010');
      const file = path.join(tmp, 'worker.csv');
      writeFileSync(file, bytes);
      const seen: number[] = [];
      const summary = await ingestFile({
        store,
        config,
        state: 'CA',
        mapping: ca,
        fileName: 'worker.csv',
        input: { path: file },
        today,
        mapInWorker: true,
        onProgress: (p) => seen.push(p.records),
      });
      assert.equal(summary.status, 'completed');
      assert.deepEqual(seen, [500, 700]);
      const rejected = summary.rejects.map((r) => r.row);
      assert.equal(summary.acceptedCount + summary.rejectedCount, 700);
      assert.deepEqual(rejected, [lineOf(docs[600]!)]);
      for (const doc of docs) {
        const record = await stored('CA', doc.student.stateStudentId);
        if (rejected.includes(lineOf(doc))) assert.equal(record, null);
        else assert.deepEqual(record!.document, doc);
      }
      // The same bytes from memory and from a stream are the same file.
      assert.equal((await ingest(bytes, { mapInWorker: true })).duplicate, true);
      assert.equal((await ingest(Readable.from([bytes]), { mapInWorker: true })).duplicate, true);

      const before = await tableCounts(store);
      const broken = writeCaCsv(docsOf('CA', 5)).toString('utf8').split('\r\n');
      broken[3] = broken[3]!.replace('","', '"x"x,"');
      const refused = await ingest(Readable.from([Buffer.from(broken.join('\r\n'))]), {
        fileName: 'broken.csv',
        mapInWorker: true,
      });
      assert.equal(refused.status, 'refused');
      assert.match(refused.error!, /^line 4: is not readable as CSV/);
      assert.deepEqual(await tableCounts(store), {
        ...before,
        submissions: before['submissions']! + 1,
      });

      const big = writeCaCsv(docsOf('CA', 20));
      await assert.rejects(
        ingestFile({
          store,
          config,
          state: 'CA',
          mapping: ca,
          fileName: 'big.csv',
          input: Readable.from([
            big.subarray(0, 4000),
            big.subarray(4000, 8000),
            big.subarray(8000),
          ]),
          maxBytes: 6000,
          today,
          mapInWorker: true,
        }),
        FileTooLargeError,
      );
      assert.deepEqual(await tableCounts(store), {
        ...before,
        submissions: before['submissions']! + 1,
      });
    });
  });
}
