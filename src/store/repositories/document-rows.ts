/**
 * The rows and statements of a batch of exchange documents, rendered for saveStudentDocuments
 * (student-documents.ts): a student record row per document and the rows of each item table,
 * as bulk-insert.ts renders them, all but the ids known only once earlier statements have run.
 * prepareStudentDocuments renders them ahead, while the database is busy with the batch before.
 */
import type { Transaction } from 'sequelize';
import type { ExchangeDocument } from '../../exchange/types.js';
import { prefixed, writeColumnsInto } from '../models/columns.js';
import { parentColumns, studentColumns } from '../models/exchange-columns.js';
import { recordItemKinds } from '../models/index.js';
import type { Store } from '../store.js';
import { prepareInsert, rawConnectionOf } from './bulk-insert.js';
import type { PreparedInsert, RawConnection } from './bulk-insert.js';

/** The submission a batch belongs to; every row written keeps it as its source. */
export interface SubmissionSource {
  id: number;
  stateCode: string;
  receivedAt: Date;
}

export interface DocumentItem {
  /** 1-based row, line or record number in the submitted file. */
  row: number;
  document: ExchangeDocument;
  /**
   * The child a record created by this write is linked to (the child must exist). A record that
   * is already stored keeps its link: this is used only when the record is inserted.
   */
  childId?: string | null;
  /** False when the caller knows the record is not stored yet: no old items to delete. */
  stored?: boolean;
}

/** Columns a newer submission overwrites; child_id and created_at are kept. */
export const REPLACED_RECORD_FIELDS = [
  ...Object.keys(studentColumns),
  ...Object.keys(parentColumns).map((f) => prefixed('parent1', f)),
  ...Object.keys(parentColumns).map((f) => prefixed('parent2', f)),
  'alternateIds',
  'submissionId',
  'sourceRow',
  'receivedAt',
  'updatedAt',
];

export function recordRow(submission: SubmissionSource, item: DocumentItem, now: Date) {
  const student = item.document.student;
  const row: Record<string, unknown> = {
    stateCode: submission.stateCode,
    stateStudentId: student.stateStudentId,
    childId: item.childId ?? null,
  };
  writeColumnsInto(row, studentColumns, student);
  writeColumnsInto(row, parentColumns, student.parent1, 'parent1');
  writeColumnsInto(row, parentColumns, student.parent2, 'parent2');
  // An empty list is kept as `[]` so the document reads back exactly as it was sent.
  row['alternateIds'] =
    student.alternateIds === undefined ? null : JSON.stringify(student.alternateIds);
  row['submissionId'] = submission.id;
  row['sourceRow'] = item.row;
  row['receivedAt'] = submission.receivedAt;
  row['createdAt'] = now;
  row['updatedAt'] = now;
  return row;
}

/** Within a batch, when the same stateStudentId appears twice, the later item wins. */
export function latestOfEach(items: readonly DocumentItem[]): DocumentItem[] {
  const latest = new Map<string, DocumentItem>();
  for (const item of items) latest.set(item.document.student.stateStudentId, item);
  return [...latest.values()];
}

/**
 * The rows of one item table for the batch, in document order; `owners[i]` is the student of
 * `rows[i]`, whose studentRecordId is filled in once the records are written.
 */
export function itemRows(
  batch: readonly DocumentItem[],
  kind: (typeof recordItemKinds)[number],
  submission: SubmissionSource,
): { rows: Record<string, unknown>[]; owners: string[] } {
  const rows: Record<string, unknown>[] = [];
  const owners: string[] = [];
  for (const item of batch) {
    const owner = item.document.student.stateStudentId;
    const list: readonly object[] = item.document[kind.key];
    for (let position = 0; position < list.length; position++) {
      const row: Record<string, unknown> = { studentRecordId: 0, position };
      writeColumnsInto(row, kind.columns, list[position]);
      row['submissionId'] = submission.id;
      row['sourceRow'] = item.row;
      row['receivedAt'] = submission.receivedAt;
      rows.push(row);
      owners.push(owner);
    }
  }
  return { rows, owners };
}

/** A batch's statements, rendered but for the ids (and children) known once earlier ones ran. */
export interface RenderedDocuments {
  batch: readonly DocumentItem[];
  records: Record<string, unknown>[];
  upsert: PreparedInsert;
  inserts: {
    kind: (typeof recordItemKinds)[number];
    rows: Record<string, unknown>[];
    owners: string[];
    insert: PreparedInsert;
  }[];
}

/** The same documents, from the same rows, in the same order: what was rendered still holds. */
export function sameItems(a: readonly DocumentItem[], b: readonly DocumentItem[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]?.document !== b[i]?.document || a[i]?.row !== b[i]?.row) return false;
  }
  return true;
}

/**
 * Renders a batch one table at a time; yields between tables, so that an asynchronous caller
 * can let the database's answers in (prepareStudentDocuments) and a synchronous one does not.
 */
function* render(
  db: Store,
  raw: RawConnection,
  submission: SubmissionSource,
  batch: readonly DocumentItem[],
): Generator<void, RenderedDocuments> {
  const now = new Date();
  const records = batch.map((item) => recordRow(submission, item, now));
  const upsert = prepareInsert(raw, db.models.StudentRecord, records, {
    conflict: ['stateCode', 'stateStudentId'],
    update: REPLACED_RECORD_FIELDS,
    returning: ['id', 'stateStudentId'],
    late: ['childId'],
  });
  const inserts: RenderedDocuments['inserts'] = [];
  for (const kind of recordItemKinds) {
    yield;
    const { rows, owners } = itemRows(batch, kind, submission);
    const model = db.models.recordItems[kind.key];
    inserts.push({
      kind,
      rows,
      owners,
      insert: prepareInsert(raw, model, rows, { late: ['studentRecordId'] }),
    });
  }
  return { batch, records, upsert, inserts };
}

export function renderNow(
  db: Store,
  raw: RawConnection,
  submission: SubmissionSource,
  batch: readonly DocumentItem[],
): RenderedDocuments {
  const steps = render(db, raw, submission, batch);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Renders the statements of a batch of documents ahead of saveStudentDocuments (pass the
 * promise as `prepared`), a table at a time with a turn of the event loop between tables: called
 * while an earlier batch is being written, the rendering fills the time the database works on
 * that batch, and its answers are not kept waiting. Undefined where saveStudentDocuments does
 * not render (SQL Server, no transaction). A batch saved with other documents than these is
 * rendered again.
 */
export async function prepareStudentDocuments(
  db: Store,
  tx: Transaction,
  submission: SubmissionSource,
  items: readonly DocumentItem[],
): Promise<RenderedDocuments | undefined> {
  const raw = rawConnectionOf(db.models.StudentRecord, tx);
  if (!raw) return undefined;
  const steps = render(db, raw, submission, latestOfEach(items));
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const step = steps.next();
    if (step.done) return step.value;
  }
}
