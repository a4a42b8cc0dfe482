/**
 * The SQL Server write path, recorded without a server: Sequelize has no multi-row upsert for
 * mssql, so bulk-upsert.ts renders a MERGE itself, and that is the one statement here that no
 * real database checks. Also proves the batch write stays set-based on SQL Server.
 */
import assert from 'node:assert/strict';
import type { Transaction } from 'sequelize';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import { initModels } from '../../src/store/models/index.js';
import { mergeStatement } from '../../src/store/repositories/bulk-upsert.js';
import { saveStudentDocuments } from '../../src/store/repositories/student-documents.js';
import { checkSqlServerDdl, recordingSqlServer } from '../../src/store/sql-server-ddl.js';
import type { Store } from '../../src/store/store.js';

function documentFor(stateStudentId: string): ExchangeDocument {
  return {
    student: {
      stateStudentId,
      stateStudentIdType: '01',
      firstName: "D'Angelo",
      lastName1: 'Pérez',
      sex: 'M',
      birthDate: '2011-02-03',
    },
    qualifyingMoves: [{ qualifyingArrivalDate: '2024-07-01', toState: 'TX' }],
    enrollments: [{ enrollmentDate: '2024-08-20', enrollmentType: '01', grade: '07', iep: false }],
    courses: [],
    assessments: [{ title: 'STAAR' }],
  };
}

describe('SQL Server MERGE upsert', () => {
  const { sequelize } = recordingSqlServer();
  const { StudentRecord } = initModels(sequelize);
  const rows = [
    { stateCode: 'TX', stateStudentId: "O'Neil", birthDate: '2012-01-02', multipleBirth: true },
    { stateCode: 'TX', stateStudentId: 'B2', birthDate: null, multipleBirth: null },
  ];
  const sql = mergeStatement(StudentRecord, rows, {
    conflict: ['stateCode', 'stateStudentId'],
    update: ['birthDate', 'multipleBirth', 'childId'],
  });

  it('matches on the unique key and holds the key range against a concurrent MERGE', () => {
    assert.match(sql, /^MERGE INTO \[student_records\] WITH \(HOLDLOCK\) AS \[target\]$/m);
    assert.match(
      sql,
      /^ON \[target\]\.\[state_code\] = \[source\]\.\[state_code\] AND \[target\]\.\[state_student_id\] = \[source\]\.\[state_student_id\]$/m,
    );
    assert.match(sql, /;$/, 'MERGE must end with a semicolon');
  });

  it('casts every value to its column type, NULLs included', () => {
    assert.equal(sql.match(/CAST\(/g)?.length, rows.length * 4);
    assert.match(sql, /CAST\(NULL AS DATE\)/);
    assert.match(sql, /CAST\(NULL AS BIT\)/);
    assert.match(sql, /CAST\(1 AS BIT\)/);
    assert.match(sql, /CAST\(N'2012-01-02' AS DATE\)/);
    assert.match(sql, /CAST\(N'O''Neil' AS NVARCHAR\(15\)\)/, 'quotes doubled, Unicode literal');
  });

  it('updates only the listed columns that the rows carry', () => {
    const set = /^WHEN MATCHED THEN UPDATE SET (.*)$/m.exec(sql)?.[1] ?? '';
    assert.equal(
      set,
      '[target].[birth_date] = [source].[birth_date], [target].[multiple_birth] = [source].[multiple_birth]',
    );
  });

  it('uses nothing SQL Server 2019 lacks', () => {
    assert.deepEqual(checkSqlServerDdl(sql), []);
  });
});

describe('saveStudentDocuments on SQL Server', () => {
  it('writes any number of children in the same nine statements', async () => {
    const counts: number[] = [];
    for (const children of [3, 60]) {
      const ids = Array.from({ length: children }, (_, i) => `S${i + 1}`);
      const { sequelize, statements } = recordingSqlServer((sql) =>
        /^SELECT .* FROM \[student_records\]/.test(sql)
          ? ids.map((stateStudentId, i) => ({ id: i + 1, stateStudentId }))
          : undefined,
      );
      const store: Store = { sequelize, models: initModels(sequelize) };
      const saved = await saveStudentDocuments(
        store,
        undefined as unknown as Transaction,
        { id: 7, stateCode: 'TX', receivedAt: new Date('2024-09-01T12:00:00Z') },
        ids.map((id, row) => ({ row: row + 2, document: documentFor(id) })),
      );
      assert.equal(saved.size, children);
      assert.equal(
        statements.filter((s) => s.startsWith('MERGE INTO [student_records]')).length,
        1,
      );
      assert.equal(statements.filter((s) => s.startsWith('DELETE FROM')).length, 4);
      counts.push(statements.length);
    }
    // 1 MERGE + 1 SELECT ids + 4 DELETE + 3 INSERT (courses is empty): independent of size.
    assert.deepEqual(counts, [9, 9]);
  });
});

describe('saveStudentDocuments on SQL Server in a transaction', () => {
  it('loads the items with a table bulk load on the transaction’s connection', async () => {
    const ids = ['S1', 'S2'];
    const { sequelize, statements } = recordingSqlServer((sql) =>
      /^SELECT .* FROM \[student_records\]/.test(sql)
        ? ids.map((stateStudentId, i) => ({ id: i + 1, stateStudentId }))
        : undefined,
    );
    const loads: { table: string; options: object; columns: [string, unknown, object][] }[] = [];
    const loaded: unknown[][][] = [];
    const connection = {
      newBulkLoad(
        table: string,
        options: object,
        callback: (err: Error | null, rowCount?: number) => void,
      ) {
        const load = { table, options, columns: [] as [string, unknown, object][], callback };
        loads.push(load);
        return {
          addColumn: (name: string, type: unknown, opts: object) =>
            load.columns.push([name, type, opts]),
          load,
        };
      },
      execBulkLoad(
        bulkLoad: { load: { callback: (e: null, n: number) => void } },
        rows: unknown[][],
      ) {
        loaded.push(rows);
        bulkLoad.load.callback(null, rows.length);
      },
    };
    const tx = { connection } as unknown as Transaction;
    const store: Store = { sequelize, models: initModels(sequelize) };
    const saved = await saveStudentDocuments(
      store,
      tx,
      { id: 7, stateCode: 'TX', receivedAt: new Date('2024-09-01T12:00:00Z') },
      ids.map((id, row) => ({ row: row + 2, document: documentFor(id) })),
    );
    assert.equal(saved.size, 2);
    assert.equal(statements.filter((s) => s.startsWith('MERGE INTO [student_records]')).length, 1);
    assert.equal(statements.filter((s) => s.startsWith('INSERT')).length, 0, 'no INSERT of items');
    // qualifying_moves, enrollments, assessments (courses is empty): one load each.
    assert.deepEqual(
      loads.map((l) => l.table),
      ['qualifying_moves', 'enrollments', 'assessments'],
    );
    for (const l of loads) assert.deepEqual(l.options, { keepNulls: true, checkConstraints: true });
    const enrollments = loads[1]!;
    const column = (name: string) => enrollments.columns.find(([n]) => n === name);
    assert.equal((column('grade')?.[2] as { length: number }).length, 2);
    assert.equal((column('comment')?.[2] as { length: number }).length, Infinity);
    assert.equal((column('received_at')?.[1] as { name: string }).name, 'DateTimeOffset');
    assert.equal((column('enrollment_date')?.[1] as { name: string }).name, 'Date');
    const rows = loaded[1]!;
    assert.equal(rows.length, 2);
    const at = (name: string) => enrollments.columns.findIndex(([n]) => n === name);
    assert.deepEqual(rows[0]![at('enrollment_date')], new Date('2024-08-20T00:00:00Z'));
    assert.equal(rows[0]![at('iep')], false);
    assert.equal(rows[0]![at('school_id')], null);
    assert.equal(rows[1]![at('student_record_id')], 2);
  });
});
