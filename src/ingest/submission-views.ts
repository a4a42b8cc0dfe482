/**
 * How a submission is reported to the state that sent it: the same shape from `ingestFile`, the
 * CLI (`--json`) and `GET /api/v1/submissions/{id}`, and its rejects as JSON, text or CSV.
 *
 * Counts are of records (one child, however many lines it spans), not of lines:
 * rowCount = acceptedCount + deletedCount + rejectedCount. A delete is counted as deleted whether
 * or not the student was stored: either way the state's record is gone afterwards.
 */
import { REJECT_VALUE_MAX } from '../store/repositories/submissions.js';
import type { RejectRow, SubmissionRow, SubmissionStatus } from '../store/index.js';

/** One error of one record: CONVENTIONS.md "Errors in data name where". */
export interface RejectView {
  file: string;
  /** 1-based row, line or record number in the file. */
  row: number | null;
  /** The source field, as named in the file. */
  field: string | null;
  /** The exchange schema field, e.g. `enrollments[0].grade`. */
  target: string | null;
  /** The offending value, truncated. */
  value: string | null;
  reason: string;
}

export interface SubmissionView {
  submissionId: number;
  state: string;
  fileName: string;
  fileSha256: string;
  mappingName: string | null;
  status: SubmissionStatus;
  receivedAt: string;
  completedAt: string | null;
  rowCount: number;
  acceptedCount: number;
  rejectedCount: number;
  deletedCount: number;
  /** Why a refused file was refused. */
  error: string | null;
}

/** What this run changed; absent for a duplicate, which changed nothing. */
export interface IngestChanges {
  /** Students this state had not sent before; each got a new child. */
  created: number;
  /** Stored students whose record changed; the previous values went to history. */
  updated: number;
  /** Stored students sent again exactly as stored. */
  unchanged: number;
  /** Stored records removed by a delete. */
  removed: number;
}

export interface IngestSummary extends SubmissionView {
  /** True when the state had already sent this file: nothing was changed. */
  duplicate: boolean;
  changes?: IngestChanges;
  /** The first rejects (file order); `rejectsOmitted` more are in the store. */
  rejects: RejectView[];
  rejectsOmitted: number;
}

/** As stored (store/repositories/submissions.ts): at most 200 characters, the cut marked with …. */
export function truncatedValue(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value.length > REJECT_VALUE_MAX ? `${value.slice(0, REJECT_VALUE_MAX - 1)}…` : value;
}

export function submissionView(row: SubmissionRow): SubmissionView {
  const rowCount = row.rowCount ?? 0;
  const acceptedCount = row.acceptedCount ?? 0;
  const rejectedCount = row.rejectedCount ?? 0;
  return {
    submissionId: Number(row.id),
    state: row.stateCode.trim(),
    fileName: row.fileName,
    fileSha256: row.fileSha256.trim(),
    mappingName: row.mappingName,
    status: row.status,
    receivedAt: new Date(row.receivedAt).toISOString(),
    completedAt: row.completedAt === null ? null : new Date(row.completedAt).toISOString(),
    rowCount,
    acceptedCount,
    rejectedCount,
    deletedCount: Math.max(0, rowCount - acceptedCount - rejectedCount),
    error: row.error,
  };
}

export function rejectView(fileName: string, row: RejectRow): RejectView {
  return {
    file: fileName,
    row: row.row === null ? null : Number(row.row),
    field: row.field,
    target: row.target,
    value: row.value,
    reason: row.reason,
  };
}

/** `file:row field → target: reason (value 'x')`, the line the CLI prints for each reject. */
export function formatReject(reject: RejectView): string {
  const where = reject.row === null ? reject.file : `${reject.file}:${reject.row}`;
  const fields = [reject.field, reject.target].filter((f) => f !== null && f !== '');
  const path =
    reject.field && reject.target ? `${reject.field} → ${reject.target}` : fields.join('');
  const value = reject.value === null ? '' : ` (value '${reject.value}')`;
  return `${where}${path ? ` ${path}` : ''}: ${reject.reason}${value}`;
}

const CSV_COLUMNS = ['file', 'row', 'field', 'target', 'value', 'reason'] as const;

/**
 * One CSV cell. Values come from the state's file, which may be hostile: a cell that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe
 * (OWASP "CSV Injection").
 */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header row, CRLF line ends. */
export function rejectsCsv(rejects: readonly RejectView[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const reject of rejects) lines.push(CSV_COLUMNS.map((c) => csvCell(reject[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
