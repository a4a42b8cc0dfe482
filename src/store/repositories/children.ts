/** Consolidated children and the links from student records to them. */
import { Op, UniqueConstraintError, literal } from 'sequelize';
import type { Transaction } from 'sequelize';
import { generateChildId } from '../child-id.js';
import { NotFoundError } from '../errors.js';
import type { ChildRow } from '../models/index.js';
import type { Store } from '../store.js';
import { insertRows, rawConnectionOf } from './bulk-insert.js';
import type { RawConnection } from './bulk-insert.js';
import { findRawRows } from './raw-rows.js';
import { readStudentDocuments } from './read-student-documents.js';
import type { StoredStudentDocument } from './read-student-documents.js';

/** 9·10^10 possible ids: a collision is rare, several in a row mean something else is wrong. */
const MAX_ATTEMPTS = 5;
const BATCH = 500;

async function insertNewIds(db: Store, count: number, tx: Transaction | undefined) {
  const candidates = new Set<string>();
  while (candidates.size < count) candidates.add(generateChildId());
  const ids = [...candidates];
  // Replace the ones already taken before inserting, so the INSERT normally succeeds first time.
  const taken = await findRawRows(db.models.Child, {
    attributes: ['childId'],
    where: { childId: { [Op.in]: ids } },
    transaction: tx ?? null,
  });
  const takenIds = new Set(taken.map((row) => row.childId));
  const fresh = ids.filter((id) => !takenIds.has(id));
  const now = new Date();
  await db.models.Child.bulkCreate(
    fresh.map((childId) => ({
      childId,
      status: 'active' as const,
      createdAt: now,
      updatedAt: now,
    })),
    { transaction: tx ?? null, returning: false },
  );
  return fresh;
}

/**
 * Creates `count` new active children and returns their ids. A concurrent insert of the same
 * random id makes the INSERT fail on UNIQUE(child_id); it is retried inside a savepoint, since a
 * failed statement aborts the whole transaction on PostgreSQL.
 */
export async function createChildren(
  db: Store,
  count: number,
  tx?: Transaction,
): Promise<string[]> {
  const raw = rawConnectionOf(db.models.Child, tx);
  if (raw) return createChildrenRaw(db, raw, count);
  const created: string[] = [];
  while (created.length < count) {
    const want = Math.min(BATCH, count - created.length);
    for (let attempt = 1; ; attempt++) {
      try {
        const ids = tx
          ? await db.sequelize.transaction({ transaction: tx }, (sp) => insertNewIds(db, want, sp))
          : await insertNewIds(db, want, undefined);
        created.push(...ids);
        break;
      } catch (err) {
        if (!(err instanceof UniqueConstraintError) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }
  return created;
}

/** Rows per INSERT of children on the raw path. */
const RAW_BATCH = 5000;

/**
 * PostgreSQL and SQLite, in a transaction: `INSERT ... ON CONFLICT (child_id) DO NOTHING
 * RETURNING child_id`, so a random id already taken (or being taken by a concurrent transaction,
 * which the INSERT waits for) is skipped without a failed statement, and no savepoint is needed;
 * fresh ids are drawn for the ones skipped.
 */
async function createChildrenRaw(db: Store, raw: RawConnection, count: number): Promise<string[]> {
  const created: string[] = [];
  for (let attempt = 1; created.length < count; attempt++) {
    if (attempt > MAX_ATTEMPTS * Math.ceil(count / RAW_BATCH) + MAX_ATTEMPTS) {
      throw new Error('could not draw unused child ids');
    }
    const want = Math.min(RAW_BATCH, count - created.length);
    const candidates = new Set<string>();
    while (candidates.size < want) candidates.add(generateChildId());
    const now = new Date();
    const rows = [...candidates].map((childId) => ({
      childId,
      status: 'active',
      createdAt: now,
      updatedAt: now,
    }));
    const inserted = await insertRows(raw, db.models.Child, rows, {
      conflict: ['childId'],
      returning: ['childId'],
    });
    const fresh = new Set(inserted.map((row) => String(row['childId']).trim()));
    // In the order drawn, which RETURNING does not promise.
    for (const id of candidates) if (fresh.has(id)) created.push(id);
  }
  return created;
}

export async function createChild(db: Store, tx?: Transaction): Promise<string> {
  const [childId] = await createChildren(db, 1, tx);
  if (!childId) throw new Error('no child id was created');
  return childId;
}

export async function linkStudentRecord(
  db: Store,
  studentRecordId: number,
  childId: string,
  tx?: Transaction,
): Promise<void> {
  const [count] = await db.models.StudentRecord.update(
    { childId },
    { where: { id: studentRecordId }, transaction: tx ?? null },
  );
  if (count === 0) throw new NotFoundError('student record', studentRecordId);
}

/**
 * Links many records in one UPDATE per 500: `SET child_id = CASE id WHEN ... END`, which every
 * dialect accepts. Returns the number of records updated.
 */
export async function linkStudentRecords(
  db: Store,
  links: readonly { studentRecordId: number; childId: string }[],
  tx?: Transaction,
): Promise<number> {
  const { StudentRecord } = db.models;
  let updated = 0;
  for (let i = 0; i < links.length; i += BATCH) {
    const part = links.slice(i, i + BATCH);
    const cases = part
      .map((l) => `WHEN ${Math.trunc(l.studentRecordId)} THEN ${db.sequelize.escape(l.childId)}`)
      .join(' ');
    const [count] = await StudentRecord.update(
      { childId: literal(`CASE id ${cases} END`) as unknown as string },
      {
        where: { id: { [Op.in]: part.map((l) => l.studentRecordId) } },
        transaction: tx ?? null,
      },
    );
    updated += count;
  }
  return updated;
}

export interface ChildWithRecords {
  child: ChildRow;
  records: StoredStudentDocument[];
}

/** The child and every student record linked to it, by state then record id. */
export async function getChildWithRecords(
  db: Store,
  childId: string,
): Promise<ChildWithRecords | null> {
  const child = await db.models.Child.findOne({ where: { childId } });
  if (!child) return null;
  const records = await findRawRows(db.models.StudentRecord, {
    attributes: ['id'],
    where: { childId },
    order: [
      ['stateCode', 'ASC'],
      ['id', 'ASC'],
    ],
  });
  const ids = records.map((r) => Number(r.id));
  const documents = await readStudentDocuments(db, ids);
  return {
    child: child.get({ plain: true }),
    records: ids.flatMap((id) => documents.get(id) ?? []),
  };
}
