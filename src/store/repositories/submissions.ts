/** Submitted files, their outcome, and the rows that were rejected. */
import { Op, UniqueConstraintError } from 'sequelize';
import type { Transaction } from 'sequelize';
import { DuplicateSubmissionError, NotFoundError } from '../errors.js';
import type { RejectRow, SubmissionRow, SubmissionStatus } from '../models/index.js';
import type { Store } from '../store.js';
import { insertRows, rawConnectionOf } from './bulk-insert.js';

export interface NewSubmission {
  stateCode: string;
  fileName: string;
  fileSha256: string;
  mappingName?: string | null;
  receivedAt?: Date;
  status?: SubmissionStatus;
}

export interface SubmissionOutcome {
  status: SubmissionStatus;
  rowCount: number;
  acceptedCount: number;
  rejectedCount: number;
  error?: string | null;
}

export interface RejectInput {
  /** 1-based row, line or record number in the file; absent for a file-level reject. */
  row?: number | null;
  /** Source field, as named in the file. */
  field?: string | null;
  /** Target field in the exchange schema. */
  target?: string | null;
  value?: string | null;
  reason: string;
}

/** CONVENTIONS.md "Errors": the value is shown truncated. */
export const REJECT_VALUE_MAX = 200;
const REJECT_REASON_MAX = 1000;
const TERMINAL: readonly SubmissionStatus[] = ['completed', 'failed', 'refused'];

function truncate(text: string | null | undefined, max: number): string | null {
  if (text === null || text === undefined) return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export async function findSubmissionByHash(
  db: Store,
  stateCode: string,
  fileSha256: string,
  tx?: Transaction,
): Promise<SubmissionRow | null> {
  const row = await db.models.Submission.findOne({
    where: { stateCode, fileSha256: fileSha256.toLowerCase() },
    transaction: tx ?? null,
  });
  return row ? row.get({ plain: true }) : null;
}

/** Throws DuplicateSubmissionError when the state already sent this file. */
export async function createSubmission(
  db: Store,
  submission: NewSubmission,
  tx?: Transaction,
): Promise<SubmissionRow> {
  const fileSha256 = submission.fileSha256.toLowerCase();
  // CHAR(64) would pad or cut anything else, and the duplicate check would then lie.
  if (!/^[0-9a-f]{64}$/.test(fileSha256)) {
    throw new TypeError(
      `fileSha256 must be 64 hexadecimal digits (got "${submission.fileSha256}")`,
    );
  }
  try {
    const row = await db.models.Submission.create(
      {
        stateCode: submission.stateCode,
        fileName: submission.fileName,
        fileSha256,
        mappingName: submission.mappingName ?? null,
        receivedAt: submission.receivedAt ?? new Date(),
        status: submission.status ?? 'received',
        // Explicit, so the returned row has every column (not only the ones given).
        completedAt: null,
        rowCount: null,
        acceptedCount: null,
        rejectedCount: null,
        error: null,
      },
      { transaction: tx },
    );
    return row.get({ plain: true });
  } catch (err) {
    if (err instanceof UniqueConstraintError) {
      throw new DuplicateSubmissionError(submission.stateCode, fileSha256, { cause: err });
    }
    throw err;
  }
}

/** Records the outcome; a terminal status (completed, failed, refused) also stamps completed_at. */
export async function completeSubmission(
  db: Store,
  id: number,
  outcome: SubmissionOutcome,
  tx?: Transaction,
): Promise<void> {
  const [count] = await db.models.Submission.update(
    {
      status: outcome.status,
      rowCount: outcome.rowCount,
      acceptedCount: outcome.acceptedCount,
      rejectedCount: outcome.rejectedCount,
      error: outcome.error ?? null,
      completedAt: TERMINAL.includes(outcome.status) ? new Date() : null,
    },
    { where: { id }, transaction: tx },
  );
  if (count === 0) throw new NotFoundError('submission', id);
}

export async function getSubmission(db: Store, id: number): Promise<SubmissionRow | null> {
  const row = await db.models.Submission.findByPk(id);
  return row ? row.get({ plain: true }) : null;
}

/** Newest first. */
export async function listSubmissions(
  db: Store,
  query: { state?: string; limit: number },
): Promise<SubmissionRow[]> {
  const rows = await db.models.Submission.findAll({
    where: query.state ? { stateCode: query.state } : {},
    order: [
      ['receivedAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: query.limit,
  });
  return rows.map((row) => row.get({ plain: true }));
}

/**
 * One multi-row INSERT: through the transaction's connection on PostgreSQL and SQLite
 * (bulk-insert.ts), Sequelize's bulkCreate otherwise (it splits batches where a dialect needs it).
 */
export async function addRejects(
  db: Store,
  tx: Transaction | undefined,
  submissionId: number,
  rejects: readonly RejectInput[],
): Promise<number> {
  if (rejects.length === 0) return 0;
  const createdAt = new Date();
  const rows = rejects.map((r) => ({
    submissionId,
    row: r.row ?? null,
    field: truncate(r.field, 255),
    target: truncate(r.target, 255),
    value: truncate(r.value, REJECT_VALUE_MAX),
    reason: truncate(r.reason, REJECT_REASON_MAX) ?? '',
    createdAt,
  }));
  const raw = rawConnectionOf(db.models.Reject, tx);
  if (raw) await insertRows(raw, db.models.Reject, rows);
  else await db.models.Reject.bulkCreate(rows, { transaction: tx, returning: false });
  return rejects.length;
}

export async function countRejects(db: Store, submissionId: number): Promise<number> {
  return db.models.Reject.count({ where: { submissionId } });
}

/** In file order. */
export async function listRejects(
  db: Store,
  submissionId: number,
  query: { limit?: number } = {},
): Promise<RejectRow[]> {
  const rows = await db.models.Reject.findAll({
    where: { submissionId },
    order: [
      ['row', 'ASC'],
      ['id', 'ASC'],
    ],
    ...(query.limit === undefined ? {} : { limit: query.limit }),
  });
  return rows.map((row) => row.get({ plain: true }));
}

/**
 * Removes the state's refused or failed submissions of this file, with their rejects, so that the
 * file can be sent again (UNIQUE(state_code, file_sha256) holds one row per file). Such a
 * submission stored nothing else. Returns the number of submissions removed.
 */
export async function deleteUnfinishedSubmissions(
  db: Store,
  stateCode: string,
  fileSha256: string,
  tx?: Transaction,
): Promise<number> {
  const rows = await db.models.Submission.findAll({
    attributes: ['id'],
    where: {
      stateCode,
      fileSha256: fileSha256.toLowerCase(),
      status: { [Op.in]: ['refused', 'failed'] },
    },
    transaction: tx ?? null,
  });
  const ids = rows.map((row) => Number(row.get('id')));
  if (ids.length === 0) return 0;
  await db.models.Reject.destroy({ where: { submissionId: { [Op.in]: ids } }, transaction: tx });
  return db.models.Submission.destroy({ where: { id: { [Op.in]: ids } }, transaction: tx });
}

/**
 * Sets the file's SHA-256 once it is known (a streamed upload is hashed while it is read).
 * Throws DuplicateSubmissionError when the state already has a submission of that file.
 */
export async function setSubmissionHash(
  db: Store,
  id: number,
  fileSha256: string,
  tx?: Transaction,
): Promise<void> {
  const sha = fileSha256.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha)) {
    throw new TypeError(`fileSha256 must be 64 hexadecimal digits (got "${fileSha256}")`);
  }
  try {
    const [count] = await db.models.Submission.update(
      { fileSha256: sha },
      { where: { id }, transaction: tx },
    );
    if (count === 0) throw new NotFoundError('submission', id);
  } catch (err) {
    if (err instanceof UniqueConstraintError) {
      const row = await db.models.Submission.findByPk(id, { transaction: tx ?? null });
      throw new DuplicateSubmissionError(String(row?.get('stateCode') ?? ''), sha, { cause: err });
    }
    throw err;
  }
}
