/** The record of every job run: job, instance, tick, start, end, outcome, counts, error. */
import type { Store } from '../store.js';
import {
  changeRows,
  dialectOfStore,
  insertReturningId,
  runStatement,
  selectRows,
  toDate,
  toDateOrNull,
} from './sql-statements.js';

export const jobOutcomes = ['running', 'succeeded', 'failed', 'aborted'] as const;
export type JobOutcome = (typeof jobOutcomes)[number];

export interface JobRun {
  id: number;
  jobName: string;
  instanceId: string;
  trigger: 'schedule' | 'manual';
  tickAt: Date;
  startedAt: Date;
  endedAt: Date | null;
  outcome: JobOutcome;
  counts: Record<string, number>;
  error: string | null;
}

export async function startJobRun(
  db: Store,
  run: {
    jobName: string;
    instanceId: string;
    trigger: 'schedule' | 'manual';
    tickAt: Date;
    startedAt: Date;
  },
): Promise<number> {
  return insertReturningId(
    db,
    'job_runs',
    '(job_name, instance_id, run_trigger, tick_at, started_at, outcome)',
    "(:jobName, :instanceId, :trigger, :tickAt, :startedAt, 'running')",
    run,
  );
}

export async function finishJobRun(
  db: Store,
  id: number,
  end: { endedAt: Date; outcome: JobOutcome; counts: Record<string, number>; error?: string },
): Promise<void> {
  await runStatement(
    db,
    `UPDATE job_runs SET ended_at = :endedAt, outcome = :outcome, counts = :counts, error = :error
      WHERE id = :id`,
    {
      id,
      endedAt: end.endedAt,
      outcome: end.outcome,
      counts: JSON.stringify(end.counts),
      error: end.error ? end.error.slice(0, 2000) : null,
    },
  );
}

export interface JobRunQuery {
  jobName?: string;
  limit?: number;
}

export async function listJobRuns(db: Store, query: JobRunQuery = {}): Promise<JobRun[]> {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  const where = query.jobName ? 'WHERE job_name = :jobName' : '';
  const dialect = dialectOfStore(db);
  const sql =
    dialect === 'mssql'
      ? `SELECT TOP (${limit}) * FROM job_runs ${where} ORDER BY started_at DESC, id DESC`
      : `SELECT * FROM job_runs ${where} ORDER BY started_at DESC, id DESC LIMIT ${limit}`;
  const rows = await selectRows<Record<string, unknown>>(db, sql, { jobName: query.jobName });
  return rows.map(jobRunOf);
}

function jobRunOf(r: Record<string, unknown>): JobRun {
  return {
    id: Number(r['id']),
    jobName: String(r['job_name']),
    instanceId: String(r['instance_id']),
    trigger: r['run_trigger'] === 'manual' ? 'manual' : 'schedule',
    tickAt: toDate(r['tick_at']),
    startedAt: toDate(r['started_at']),
    endedAt: toDateOrNull(r['ended_at']),
    outcome: String(r['outcome']) as JobOutcome,
    counts: r['counts'] ? (JSON.parse(String(r['counts'])) as Record<string, number>) : {},
    error: r['error'] === null || r['error'] === undefined ? null : String(r['error']),
  };
}

/** Retention: runs that ended before `before`. */
export async function deleteJobRunsBefore(db: Store, before: Date): Promise<number> {
  return changeRows(db, 'DELETE FROM job_runs WHERE ended_at IS NOT NULL AND ended_at < :before', {
    before,
  });
}

/** A named watermark (e.g. the last submission id a job has read), or null. */
export async function readWatermark(db: Store, name: string): Promise<string | null> {
  const [row] = await selectRows<{ value: string }>(
    db,
    'SELECT value FROM job_watermarks WHERE name = :name',
    { name },
  );
  return row ? String(row.value) : null;
}

export async function writeWatermark(
  db: Store,
  name: string,
  value: string,
  now = new Date(),
): Promise<void> {
  const changed = await changeRows(
    db,
    'UPDATE job_watermarks SET value = :value, updated_at = :now WHERE name = :name',
    { name, value, now },
  );
  if (changed === 0) {
    await runStatement(
      db,
      'INSERT INTO job_watermarks (name, value, updated_at) VALUES (:name, :value, :now)',
      { name, value, now },
    );
  }
}
