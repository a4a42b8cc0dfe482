/**
 * Reading student records back as exchange documents. Raw rows are read (no model instances for
 * hundreds of items) and each value is converted by its column spec, so a document reads back
 * identical on every dialect, with optional fields absent rather than null.
 */
import { Op } from 'sequelize';
import type { Transaction } from 'sequelize';
import type {
  AlternateId,
  ExchangeDocument,
  Parent,
  SourceRef,
  Student,
} from '../../exchange/types.js';
import { readColumns, toTimestamp } from '../models/columns.js';
import { parentColumns, studentColumns } from '../models/exchange-columns.js';
import { recordItemKinds } from '../models/index.js';
import type { RecordItemKey } from '../models/index.js';
import type { Store } from '../store.js';
import { findRawRow, findRawRows } from './raw-rows.js';

export interface StoredStudentDocument {
  studentRecordId: number;
  /** The consolidated child's 12-digit id; null until linkage has matched the record. */
  childId: string | null;
  document: ExchangeDocument;
  /** Where the student record came from. */
  source: SourceRef;
  /** Where each item came from, in the same order as the document's arrays. */
  itemSources: Record<RecordItemKey, SourceRef[]>;
}

const ID_CHUNK = 500;

function sourceOf(state: string, row: Record<string, unknown>): SourceRef {
  return {
    state,
    submissionId: Number(row['submissionId']),
    row: Number(row['sourceRow']),
    receivedAt: toTimestamp(row['receivedAt']),
  };
}

function parentOf(row: Record<string, unknown>, prefix: string): Parent | undefined {
  const parent = readColumns(parentColumns, row, prefix);
  return Object.keys(parent).length > 0 ? parent : undefined;
}

function studentOf(row: Record<string, unknown>): Student {
  // studentColumns satisfies Record<keyof Student...>, and required columns are NOT NULL.
  const student = {
    stateStudentId: String(row['stateStudentId']),
    ...readColumns(studentColumns, row),
  } as unknown as Student;
  if (row['alternateIds'] !== null && row['alternateIds'] !== undefined) {
    student.alternateIds = JSON.parse(String(row['alternateIds'])) as AlternateId[];
  }
  const parent1 = parentOf(row, 'parent1');
  const parent2 = parentOf(row, 'parent2');
  if (parent1) student.parent1 = parent1;
  if (parent2) student.parent2 = parent2;
  return student;
}

/**
 * Documents for the given student record ids, keyed by id; ids that do not exist are absent.
 * Five queries per 500 ids, however many items the records hold.
 */
export async function readStudentDocuments(
  db: Store,
  studentRecordIds: readonly number[],
  tx?: Transaction,
): Promise<Map<number, StoredStudentDocument>> {
  const out = new Map<number, StoredStudentDocument>();
  for (let i = 0; i < studentRecordIds.length; i += ID_CHUNK) {
    const ids = studentRecordIds.slice(i, i + ID_CHUNK);
    const records = await findRawRows(db.models.StudentRecord, {
      where: { id: { [Op.in]: ids } },
      transaction: tx ?? null,
    });
    for (const row of records) {
      const id = Number(row.id);
      out.set(id, {
        studentRecordId: id,
        childId: row.childId === null ? null : String(row.childId).trim(),
        document: {
          student: studentOf(row),
          qualifyingMoves: [],
          enrollments: [],
          courses: [],
          assessments: [],
        },
        source: sourceOf(row.stateCode, row),
        itemSources: { qualifyingMoves: [], enrollments: [], courses: [], assessments: [] },
      });
    }
    for (const kind of recordItemKinds) {
      const items = await findRawRows(db.models.recordItems[kind.key], {
        where: { studentRecordId: { [Op.in]: ids } },
        order: [
          ['studentRecordId', 'ASC'],
          ['position', 'ASC'],
        ],
        transaction: tx ?? null,
      });
      for (const item of items) {
        const stored = out.get(Number(item.studentRecordId));
        if (!stored) continue;
        const list = stored.document[kind.key] as object[];
        list.push(readColumns(kind.columns, item));
        stored.itemSources[kind.key].push(sourceOf(stored.source.state, item));
      }
    }
  }
  return out;
}

export async function readStudentDocument(
  db: Store,
  studentRecordId: number,
  tx?: Transaction,
): Promise<StoredStudentDocument | null> {
  const found = await readStudentDocuments(db, [studentRecordId], tx);
  return found.get(studentRecordId) ?? null;
}

/** The student record id a state's student is stored under, or null. */
export async function findStudentRecordId(
  db: Store,
  stateCode: string,
  stateStudentId: string,
): Promise<number | null> {
  const row = await findRawRow(db.models.StudentRecord, {
    attributes: ['id'],
    where: { stateCode, stateStudentId },
  });
  return row ? Number(row.id) : null;
}
