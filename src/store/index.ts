/**
 * The SQL store (DESIGN.md sections 2-4): Sequelize models behind repository functions that
 * return plain objects. It knows nothing of HTTP. `initStore` connects but does not migrate:
 * `continuum db migrate` (or start-up, by choice of the caller) runs `migrate`.
 */
import { createSequelize, redact } from './database.js';
import { initModels } from './models/index.js';
import type { Store } from './store.js';

export interface StoreOptions {
  /** `sqlite:./data/continuum.sqlite`, `sqlite::memory:`, `postgres://...`, `mssql://...`. */
  url: string;
  /** Where to send each SQL statement; `true` prints to the console, `false` (default) nowhere. */
  logging?: boolean | ((sql: string) => void);
}

export async function initStore(options: StoreOptions): Promise<Store> {
  const logging =
    options.logging === true
      ? (sql: string) => console.log(sql)
      : options.logging === false
        ? undefined
        : options.logging;
  const sequelize = createSequelize(options.url, { logging });
  try {
    await sequelize.authenticate();
  } catch (err) {
    await sequelize.close().catch(() => undefined);
    throw new Error(`cannot connect to ${redact(options.url)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return { sequelize, models: initModels(sequelize) };
}

export async function closeStore(store: Store): Promise<void> {
  await store.sequelize.close();
}

/** Readiness: one `SELECT 1` round trip; rejects with the driver's error when the database is not there. */
export async function checkStore(store: Store): Promise<void> {
  await store.sequelize.query('SELECT 1');
}

export type { Store } from './store.js';
export type { Models } from './models/index.js';
export type {
  AuditEventRow,
  ChildRow,
  HistoryAction,
  ChildStatus,
  RecordItemKey,
  RejectRow,
  StateRow,
  StudentRecordHistoryRow,
  SubmissionRow,
  SubmissionStatus,
  WorklistItemRow,
  WorklistKind,
  WorklistLevel,
  WorklistStatus,
} from './models/index.js';
export {
  childStatuses,
  historyActions,
  submissionStatuses,
  worklistKinds,
  worklistLevels,
  worklistStatuses,
} from './models/index.js';
export { createSequelize, dialectOf, redact } from './database.js';
export type { Dialect } from './database.js';
export { migrate, pendingMigrations, revertLastMigration, MigrationLockError } from './migrate.js';
export { migrations } from './migrations/index.js';
export { DuplicateSubmissionError, NotFoundError } from './errors.js';
export { generateChildId, isValidChildId, luhnCheckDigit } from './child-id.js';
export { upsertStates, listStates } from './repositories/states.js';
export type { StateInput } from './repositories/states.js';
export {
  addRejects,
  completeSubmission,
  countRejects,
  createSubmission,
  deleteUnfinishedSubmissions,
  findSubmissionByHash,
  getSubmission,
  listRejects,
  listSubmissions,
  setSubmissionHash,
} from './repositories/submissions.js';
export type { NewSubmission, RejectInput, SubmissionOutcome } from './repositories/submissions.js';
export { saveStudentDocuments } from './repositories/student-documents.js';
export type { DocumentItem, SubmissionSource } from './repositories/student-documents.js';
export {
  findStudentRecordId,
  readStudentDocument,
  readStudentDocuments,
} from './repositories/read-student-documents.js';
export type { StoredStudentDocument } from './repositories/read-student-documents.js';
export {
  createChild,
  createChildren,
  getChildWithRecords,
  linkStudentRecord,
  linkStudentRecords,
} from './repositories/children.js';
export type { ChildWithRecords } from './repositories/children.js';
export {
  archiveStudentRecords,
  listStudentRecordHistory,
} from './repositories/student-record-history.js';
export type {
  ArchiveOptions,
  HistoryQuery,
  StudentRecordHistoryEntry,
} from './repositories/student-record-history.js';
export {
  deleteStudentRecords,
  findStoredRecords,
  otherStatesHaveRecords,
} from './repositories/student-record-keys.js';
export type { StoredRecordKey } from './repositories/student-record-keys.js';
export { recordAuditEvent, searchAuditEvents } from './repositories/audit-events.js';
export type {
  AuditEvent,
  AuditEventInput,
  AuditOutcome,
  AuditSearch,
} from './repositories/audit-events.js';
