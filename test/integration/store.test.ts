// The store's behaviour on every dialect (test/helpers/databases.ts): the same suite, real SQL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ForeignKeyConstraintError, QueryTypes, UniqueConstraintError } from 'sequelize';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import {
  addRejects,
  checkStore,
  closeStore,
  completeSubmission,
  createChild,
  createChildren,
  createSubmission,
  DuplicateSubmissionError,
  findSubmissionByHash,
  getChildWithRecords,
  getSubmission,
  initStore,
  isValidChildId,
  linkStudentRecord,
  linkStudentRecords,
  listRejects,
  listStates,
  listSubmissions,
  luhnCheckDigit,
  migrate,
  readStudentDocument,
  recordAuditEvent,
  saveStudentDocuments,
  searchAuditEvents,
  upsertStates,
} from '../../src/store/index.js';
import type { Store, SubmissionRow } from '../../src/store/index.js';
import {
  assessmentColumns,
  courseColumns,
  enrollmentColumns,
  parentColumns,
  qualifyingMoveColumns,
  studentColumns,
} from '../../src/store/models/exchange-columns.js';
import {
  createSequelize,
  DatabaseUrlError,
  dialectOf,
  redact,
  sqliteStorageOf,
} from '../../src/store/database.js';
import { prepareStudentDocuments } from '../../src/store/repositories/student-documents.js';
import { dialects } from '../helpers/databases.js';

const sha = () => randomBytes(32).toString('hex');
let serial = 0;
/** A stateStudentId no other test uses. */
const sid = () => `S${process.pid % 1000}-${++serial}`;

/** Every field of every part set, with values that a careless mapping would alter. */
function fullDocument(stateStudentId: string): ExchangeDocument {
  return {
    student: {
      stateStudentId,
      stateStudentIdType: '02',
      alternateIds: [
        { id: 'D-991', type: 'district' },
        { id: '123456789012', type: 'msix' },
      ],
      firstName: 'José',
      middleName: 'Ángel',
      lastName1: 'García',
      lastName2: "O'Brien",
      suffix: 'Jr',
      sex: 'M',
      birthDate: '2010-02-28',
      multipleBirth: false,
      birthCity: 'Oaxaca de Juárez',
      birthState: 'OA',
      birthCountry: 'MEX',
      birthDateVerification: '1004',
      parent1: {
        firstName: 'María',
        lastName: 'García',
        email: 'm@example.org',
        phone: '555-0101',
      },
      parent2: {
        firstName: 'Luis',
        lastName: "O'Brien",
        email: 'l@example.org',
        phone: '555-0102',
      },
    },
    qualifyingMoves: [
      {
        qualifyingArrivalDate: '2023-07-15',
        fromCity: 'Yuma',
        fromState: 'AZ',
        fromCountry: 'USA',
        toCity: 'Salinas',
        toState: 'CA',
        eligibilityExpirationDate: '2026-07-14',
      },
      { qualifyingArrivalDate: '2021-01-04', toState: 'AZ' },
    ],
    enrollments: [
      {
        enrollmentDate: '2023-08-21',
        withdrawalDate: '2024-06-07',
        enrollmentType: '02',
        schoolId: '062961004587',
        schoolName: 'Alisal High',
        districtId: '0629610',
        districtName: 'Salinas Union High',
        grade: '09',
        englishLearner: true,
        iep: false,
        priorityForServices: true,
        medicalAlert: 'Chronic',
        immunizationRecord: false,
        residencyDate: '2023-07-16',
        residencyVerificationDate: '2023-08-01',
        designatedGraduationSchool: 'Alisal High',
        graduationDate: '2027-06-04',
        hse: false,
        continuationOfServicesReason: '03',
        algebra1: true,
        outOfStateTranscript: false,
        comment: 'Transcript from Yuma requested.\nSecond line; "quoted".',
      },
    ],
    courses: [
      {
        title: 'Algebra I',
        subjectArea: 'Mathematics',
        courseType: 'Honors',
        beginYear: 2023,
        endYear: 2024,
        section: '02',
        termType: '0828',
        clockHours: 67.5,
        gradeToDate: 'B+',
        creditsGranted: 0.125,
        finalGrade: 'A-',
        inProgress: false,
      },
      { title: 'English 9', clockHours: 0, creditsGranted: 5, inProgress: true },
    ],
    assessments: [
      {
        title: 'ELPAC',
        content: 'English proficiency',
        type: 'Summative',
        administrationDate: '2024-03-12',
        reportingMethod: 'Scale score',
        score: '1523',
        interpretation: 'Moderately developed',
      },
    ],
  };
}

function minimalDocument(stateStudentId: string, enrollmentDates: string[]): ExchangeDocument {
  return {
    student: {
      stateStudentId,
      stateStudentIdType: '01',
      firstName: 'Ana',
      lastName1: 'Ruiz',
      sex: 'F',
      birthDate: '2014-11-30',
    },
    qualifyingMoves: [{ qualifyingArrivalDate: '2024-01-02', toState: 'CA' }],
    enrollments: enrollmentDates.map((enrollmentDate) => ({
      enrollmentDate,
      enrollmentType: '01' as const,
      grade: '04' as const,
    })),
    courses: [],
    assessments: [],
  };
}

async function count(store: Store, table: string, where = '1 = 1'): Promise<number> {
  const rows = await store.sequelize.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`,
    { type: QueryTypes.SELECT },
  );
  return Number(rows[0]?.n);
}

describe('store connection', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'continuum-store-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('chooses the dialect from the URL', () => {
    assert.equal(dialectOf('sqlite::memory:'), 'sqlite');
    assert.equal(dialectOf('postgres://u@h:5432/d'), 'postgres');
    assert.equal(dialectOf('mssql://u:p@h:1433/d?encrypt=true'), 'mssql');
    assert.throws(() => dialectOf('mysql://u@h/d'), DatabaseUrlError);
    assert.equal(sqliteStorageOf('sqlite::memory:'), ':memory:');
    assert.equal(sqliteStorageOf('sqlite:./data/x.sqlite'), path.resolve('data/x.sqlite'));
    assert.equal(sqliteStorageOf('sqlite:///tmp/x.sqlite'), '/tmp/x.sqlite');
  });

  it('passes SQL Server settings from the URL to tedious', () => {
    const sequelize = createSequelize('mssql://sa:p%40ss@db.example:1444/continuum?encrypt=true');
    const config = sequelize.config as unknown as Record<string, unknown>;
    assert.equal(config['host'], 'db.example');
    assert.equal(String(config['port']), '1444');
    assert.equal(config['password'], 'p@ss');
    assert.deepEqual(config['dialectOptions'], { options: { encrypt: true } });
    assert.throws(
      () => createSequelize('mssql://sa@db.example/continuum?encrypt=maybe'),
      /encrypt must be true or false/,
    );
    assert.equal(redact('postgres://u:secret@h/d'), 'postgres://u:***@h/d');
  });

  it('creates the SQLite file’s folder, and reports readiness until closed', async () => {
    const file = path.join(tmp, 'nested', 'deeper', 'continuum.sqlite');
    const store = await initStore({ url: `sqlite:${file}` });
    await checkStore(store);
    assert.ok(existsSync(file));
    await closeStore(store);
    await assert.rejects(checkStore(store));
  });

  it('names the database when it cannot connect, password hidden', async () => {
    await assert.rejects(
      initStore({ url: 'postgres://u:secret@127.0.0.1:1/nothing' }),
      (err: Error) => /cannot connect to postgres:\/\/u:\*\*\*@127\.0\.0\.1:1/.test(err.message),
    );
  });
});

for (const db of dialects()) {
  describe(`store on ${db.name}`, () => {
    let store: Store;
    /** SQL the store issued while set (see the set-based test). */
    let captured: string[] | undefined;

    before(async function () {
      const url = await db.create(this);
      store = await initStore({ url, logging: (sql) => captured?.push(sql) });
      await migrate(store.sequelize);
      await upsertStates(store, [
        { code: 'CA', name: 'California' },
        { code: 'TX', name: 'Texas' },
      ]);
    });
    after(async () => {
      if (store) await closeStore(store);
      await db.drop();
    });

    async function newSubmission(stateCode = 'CA'): Promise<SubmissionRow> {
      return createSubmission(store, { stateCode, fileName: 'records.csv', fileSha256: sha() });
    }

    async function save(submission: SubmissionRow, documents: ExchangeDocument[]) {
      return store.sequelize.transaction((tx) =>
        saveStudentDocuments(
          store,
          tx,
          submission,
          documents.map((document, i) => ({ row: i + 2, document })),
        ),
      );
    }

    it('answers the readiness check', async () => {
      await checkStore(store);
    });

    if (db.dialect === 'sqlite') {
      it('runs SQLite with foreign keys on and a write-ahead log', async () => {
        const [journal] = await store.sequelize.query<{ journal_mode: string }>(
          'PRAGMA journal_mode',
          { type: QueryTypes.SELECT },
        );
        const [fk] = await store.sequelize.query<{ foreign_keys: number }>('PRAGMA foreign_keys', {
          type: QueryTypes.SELECT,
        });
        assert.equal(journal?.journal_mode, 'wal');
        assert.equal(fk?.foreign_keys, 1);
      });
    }

    describe('states', () => {
      it('inserts new states and renames existing ones', async () => {
        await upsertStates(store, [
          { code: 'tx', name: 'State of Texas' },
          { code: 'AZ', name: 'Arizona' },
        ]);
        const states = await listStates(store);
        assert.deepEqual(
          states.map((s) => [s.code, s.name]),
          [
            ['AZ', 'Arizona'],
            ['CA', 'California'],
            ['TX', 'State of Texas'],
          ],
        );
      });
    });

    describe('submissions', () => {
      it('refuses a second submission of the same file by the same state', async () => {
        const hash = sha();
        const first = await createSubmission(store, {
          stateCode: 'CA',
          fileName: 'a.csv',
          fileSha256: hash,
        });
        await assert.rejects(
          createSubmission(store, { stateCode: 'CA', fileName: 'copy.csv', fileSha256: hash }),
          DuplicateSubmissionError,
        );
        assert.equal((await findSubmissionByHash(store, 'CA', hash))?.id, first.id);
        // The database itself refuses it, not only the repository.
        await assert.rejects(
          store.models.Submission.create({
            stateCode: 'CA',
            fileName: 'raw.csv',
            fileSha256: hash,
            receivedAt: new Date(),
            status: 'received',
          }),
          UniqueConstraintError,
        );
        // Another state may send identical bytes.
        const other = await createSubmission(store, {
          stateCode: 'TX',
          fileName: 'a.csv',
          fileSha256: hash,
        });
        assert.notEqual(other.id, first.id);
        assert.equal(await count(store, 'submissions', `file_sha256 = '${hash}'`), 2);
      });

      it('records the outcome and lists newest first by state', async () => {
        const older = await createSubmission(store, {
          stateCode: 'AZ',
          fileName: 'old.csv',
          fileSha256: sha(),
          receivedAt: new Date('2024-01-01T00:00:00Z'),
        });
        const newer = await createSubmission(store, {
          stateCode: 'AZ',
          fileName: 'new.csv',
          fileSha256: sha(),
          mappingName: 'az-csv',
          receivedAt: new Date('2024-02-01T00:00:00Z'),
        });
        await completeSubmission(store, newer.id, {
          status: 'completed',
          rowCount: 10,
          acceptedCount: 8,
          rejectedCount: 2,
        });
        const done = await getSubmission(store, newer.id);
        assert.equal(done?.status, 'completed');
        assert.deepEqual([done?.rowCount, done?.acceptedCount, done?.rejectedCount], [10, 8, 2]);
        assert.ok(done?.completedAt instanceof Date);
        assert.equal(done?.mappingName, 'az-csv');
        const listed = await listSubmissions(store, { state: 'AZ', limit: 5 });
        assert.deepEqual(
          listed.map((s) => s.id),
          [newer.id, older.id],
        );
        assert.equal((await listSubmissions(store, { state: 'AZ', limit: 1 })).length, 1);
        await assert.rejects(
          completeSubmission(store, 999_999, {
            status: 'failed',
            rowCount: 0,
            acceptedCount: 0,
            rejectedCount: 0,
          }),
          { name: 'NotFoundError' },
        );
      });

      it('stores rejects in bulk, values truncated to 200 characters', async () => {
        const submission = await newSubmission();
        await addRejects(store, undefined, submission.id, [
          {
            row: 3,
            field: 'DOB',
            target: 'student.birthDate',
            value: '31/02/2010',
            reason: 'no such date',
          },
          {
            row: 4,
            field: 'NOTE',
            target: 'enrollments.comment',
            value: 'x'.repeat(500),
            reason: 'too long',
          },
        ]);
        const rejects = await listRejects(store, submission.id);
        assert.deepEqual(
          rejects.map((r) => [r.row, r.field, r.target, r.reason]),
          [
            [3, 'DOB', 'student.birthDate', 'no such date'],
            [4, 'NOTE', 'enrollments.comment', 'too long'],
          ],
        );
        assert.equal(rejects[1]?.value?.length, 200);
      });
    });

    describe('student documents', () => {
      it('reads back a full document exactly as it was saved', async () => {
        // The fixture must set every column, or this test would not cover it.
        const doc = fullDocument(sid());
        const keys = (o: object | undefined) => Object.keys(o ?? {}).sort();
        const { stateStudentId: _i, alternateIds: _a, parent1, parent2, ...student } = doc.student;
        assert.deepEqual(keys(student), Object.keys(studentColumns).sort());
        assert.deepEqual(keys(parent1), keys(parentColumns));
        assert.deepEqual(keys(parent2), keys(parentColumns));
        assert.deepEqual(keys(doc.qualifyingMoves[0]), keys(qualifyingMoveColumns));
        assert.deepEqual(keys(doc.enrollments[0]), keys(enrollmentColumns));
        assert.deepEqual(keys(doc.courses[0]), keys(courseColumns));
        assert.deepEqual(keys(doc.assessments[0]), keys(assessmentColumns));

        const submission = await newSubmission();
        const ids = await save(submission, [minimalDocument(sid(), ['2024-01-08']), doc]);
        const id = ids.get(doc.student.stateStudentId);
        assert.ok(id);
        const stored = await readStudentDocument(store, id);
        assert.deepStrictEqual(stored?.document, doc);
        assert.deepStrictEqual(stored?.source, {
          state: 'CA',
          submissionId: submission.id,
          row: 3,
          receivedAt: submission.receivedAt,
        });
        assert.equal(stored?.itemSources.enrollments.length, 1);
        assert.equal(stored?.itemSources.courses[1]?.row, 3);
        assert.equal(stored?.childId, null);
      });

      it('leaves optional fields out rather than null', async () => {
        const doc = minimalDocument(sid(), ['2024-01-08', '2023-08-14']);
        const ids = await save(await newSubmission(), [doc]);
        const stored = await readStudentDocument(store, ids.get(doc.student.stateStudentId)!);
        assert.deepStrictEqual(stored?.document, doc);
        assert.equal('middleName' in (stored?.document.student ?? {}), false);
        assert.equal(await readStudentDocument(store, 987_654), null);
      });

      it('replaces a student the state sends again, keeping its id and child', async () => {
        const id = sid();
        const bystander = sid();
        const first = await newSubmission();
        const firstIds = await save(first, [
          minimalDocument(id, ['2023-08-14', '2024-01-08']),
          minimalDocument(bystander, ['2023-09-01']),
        ]);
        const recordId = firstIds.get(id)!;
        const childId = await createChild(store);
        await linkStudentRecord(store, recordId, childId);

        const second = await newSubmission();
        const changed = { ...minimalDocument(id, ['2024-08-19']), courses: [{ title: 'Art' }] };
        changed.student.firstName = 'Anabel';
        const secondIds = await save(second, [changed]);

        assert.equal(secondIds.get(id), recordId, 'same student record');
        const stored = await readStudentDocument(store, recordId);
        assert.deepStrictEqual(stored?.document, changed);
        assert.equal(stored?.source.submissionId, second.id);
        assert.equal(stored?.itemSources.enrollments[0]?.submissionId, second.id);
        assert.equal(stored?.childId, childId, 'child link kept');
        assert.equal(await count(store, 'enrollments', `student_record_id = ${recordId}`), 1);
        assert.equal(await count(store, 'qualifying_moves', `student_record_id = ${recordId}`), 1);
        assert.equal(
          await count(store, 'student_records', `state_code = 'CA' AND state_student_id = '${id}'`),
          1,
        );
        const untouched = await readStudentDocument(store, firstIds.get(bystander)!);
        assert.equal(untouched?.source.submissionId, first.id);
        assert.equal(untouched?.document.enrollments.length, 1);
      });

      it('writes a batch in the same few statements whatever its size', async () => {
        const statementsFor = async (children: number) => {
          const submission = await newSubmission('TX');
          const docs = Array.from({ length: children }, () => fullDocument(sid()));
          return store.sequelize.transaction(async (tx) => {
            captured = [];
            const ids = await saveStudentDocuments(
              store,
              tx,
              submission,
              docs.map((document, i) => ({ row: i + 2, document })),
            );
            const issued = captured.length;
            captured = undefined;
            assert.equal(ids.size, children);
            return issued;
          });
        };
        const small = await statementsFor(2);
        const large = await statementsFor(60);
        assert.equal(large, small);
        assert.ok(small <= 10, `${small} statements`);
      });

      it('writes rows rendered ahead as rendered, and renders again for other documents', async () => {
        const submission = await newSubmission();
        const [a, b, c] = [fullDocument(sid()), fullDocument(sid()), fullDocument(sid())];
        const changedC = minimalDocument(c.student.stateStudentId, ['2024-01-08']);
        const items = [a, b, c].map((document, i) => ({ row: i + 2, document, stored: false }));
        const ids = await store.sequelize.transaction(async (tx) => {
          // Rendered ahead for the same documents: written as rendered.
          const first = await saveStudentDocuments(store, tx, submission, items.slice(0, 2), {
            prepared: prepareStudentDocuments(store, tx, submission, items.slice(0, 2)),
          });
          // Rendered ahead for a batch the caller then changed: what is saved is what it is given.
          const second = await saveStudentDocuments(
            store,
            tx,
            submission,
            [{ row: 9, document: changedC, stored: false }],
            { prepared: prepareStudentDocuments(store, tx, submission, items.slice(2)) },
          );
          return new Map([...first, ...second]);
        });
        for (const [doc, row] of [
          [a, 2],
          [b, 3],
          [changedC, 9],
        ] as const) {
          const stored = await readStudentDocument(store, ids.get(doc.student.stateStudentId)!);
          assert.deepStrictEqual(stored?.document, doc);
          assert.equal(stored?.source.row, row);
        }
      });

      it('leaves nothing behind when the transaction rolls back', async () => {
        const tables = [
          'submissions',
          'student_records',
          'qualifying_moves',
          'enrollments',
          'courses',
          'assessments',
          'rejects',
          'children',
        ];
        const counts = async () => Promise.all(tables.map((t) => count(store, t)));
        const before = await counts();
        const hash = sha();
        const crash = new Error('crash after the documents were written');
        await assert.rejects(
          store.sequelize.transaction(async (tx) => {
            const submission = await createSubmission(
              store,
              { stateCode: 'CA', fileName: 'crash.csv', fileSha256: hash },
              tx,
            );
            await saveStudentDocuments(store, tx, submission, [
              { row: 2, document: fullDocument(sid()) },
            ]);
            await addRejects(store, tx, submission.id, [{ row: 3, reason: 'bad row' }]);
            await createChild(store, tx);
            await completeSubmission(
              store,
              submission.id,
              { status: 'completed', rowCount: 2, acceptedCount: 1, rejectedCount: 1 },
              tx,
            );
            // Inside the transaction the rows are there, so the rollback has something to undo.
            assert.equal(await count(store, 'rejects', "reason = 'bad row'"), 0);
            const inside = await store.models.Reject.count({ transaction: tx });
            assert.ok(inside > 0);
            throw crash;
          }),
          (err) => err === crash,
        );
        assert.deepEqual(await counts(), before);
        assert.equal(await findSubmissionByHash(store, 'CA', hash), null);
        // The same file can then be submitted again.
        await createSubmission(store, { stateCode: 'CA', fileName: 'crash.csv', fileSha256: hash });
      });
    });

    describe('children', () => {
      it('issues unique 12-digit ids with a valid Luhn check digit', async () => {
        const ids = await createChildren(store, 200);
        assert.equal(ids.length, 200);
        assert.equal(new Set(ids).size, 200);
        for (const id of ids) {
          assert.match(id, /^[1-9]\d{11}$/);
          assert.equal(isValidChildId(id), true, id);
        }
        assert.equal(await count(store, 'children', `child_id IN ('${ids.join("','")}')`), 200);
      });

      it('catches a mistyped digit or two swapped digits', () => {
        assert.equal(luhnCheckDigit('7992739871'), 3); // The textbook Luhn example.
        const id = `${'4'.repeat(10)}1`;
        const valid = id + String(luhnCheckDigit(id));
        assert.equal(isValidChildId(valid), true);
        const typo = `${valid.slice(0, 3)}${(Number(valid[3]) + 1) % 10}${valid.slice(4)}`;
        assert.equal(isValidChildId(typo), false);
        const swapped = `${valid.slice(0, 9)}${valid[10]}${valid[9]}${valid.slice(11)}`;
        assert.notEqual(swapped, valid);
        assert.equal(isValidChildId(swapped), false);
        assert.equal(isValidChildId('12345'), false);
      });

      it('links records to a child and reads them back together', async () => {
        const [a, b] = [sid(), sid()];
        const ids = await save(await newSubmission(), [
          minimalDocument(a, ['2024-01-08']),
          fullDocument(b),
        ]);
        const childId = await store.sequelize.transaction((tx) => createChild(store, tx));
        const linked = await linkStudentRecords(store, [
          { studentRecordId: ids.get(a)!, childId },
          { studentRecordId: ids.get(b)!, childId },
        ]);
        assert.equal(linked, 2);
        const found = await getChildWithRecords(store, childId);
        assert.equal(found?.child.childId, childId);
        assert.equal(found?.child.status, 'active');
        assert.deepEqual(
          found?.records.map((r) => r.document.student.stateStudentId).sort(),
          [a, b].sort(),
        );
        assert.equal(await getChildWithRecords(store, '100000000008'), null);
      });

      it('refuses a link to a child that does not exist', async () => {
        const ids = await save(await newSubmission(), [minimalDocument(sid(), [])]);
        const [recordId] = [...ids.values()];
        await assert.rejects(
          linkStudentRecord(store, recordId!, '999999999994'),
          ForeignKeyConstraintError,
        );
        await assert.rejects(linkStudentRecord(store, 987_654, await createChild(store)), {
          name: 'NotFoundError',
        });
      });
    });

    describe('audit events', () => {
      it('stores events and finds them by subject, actor and time, newest first', async () => {
        const subjectId = sid();
        const base = Date.parse('2024-05-01T10:00:00Z');
        const at = (minutes: number) => new Date(base + minutes * 60_000);
        await recordAuditEvent(store, {
          occurredAt: at(0),
          actor: 'registrar@ca',
          actorState: 'CA',
          action: 'student-record.read',
          subjectType: 'student-record',
          subjectId,
          outcome: 'success',
          requestId: 'req-1',
          ip: '2001:db8::1',
          detail: { fields: ['enrollments'], reason: 'enrollment' },
        });
        await recordAuditEvent(store, {
          occurredAt: at(5),
          actor: 'admin@tx',
          action: 'student-record.read',
          subjectType: 'student-record',
          subjectId,
          outcome: 'denied',
        });
        await recordAuditEvent(store, {
          occurredAt: at(9),
          actor: 'registrar@ca',
          action: 'child.search',
          outcome: 'success',
        });

        const bySubject = await searchAuditEvents(store, {
          subjectType: 'student-record',
          subjectId,
          limit: 10,
        });
        assert.deepEqual(
          bySubject.map((e) => [e.actor, e.outcome]),
          [
            ['admin@tx', 'denied'],
            ['registrar@ca', 'success'],
          ],
        );
        const first = bySubject[1];
        assert.deepEqual(first?.detail, { fields: ['enrollments'], reason: 'enrollment' });
        assert.equal(first?.ip, '2001:db8::1');
        assert.equal(first?.occurredAt.toISOString(), '2024-05-01T10:00:00.000Z');
        assert.match(first?.id ?? '', /^\d+$/);

        const byActor = await searchAuditEvents(store, {
          actor: 'registrar@ca',
          since: at(0),
          limit: 10,
        });
        assert.deepEqual(
          byActor.map((e) => e.action),
          ['child.search', 'student-record.read'],
        );
        const later = await searchAuditEvents(store, {
          actor: 'registrar@ca',
          since: at(1),
          limit: 10,
        });
        assert.deepEqual(
          later.map((e) => e.action),
          ['child.search'],
        );
        assert.equal((await searchAuditEvents(store, { subjectId, limit: 1 })).length, 1);
      });
    });
  });
}
