/**
 * One lease row per job: the instance that takes it runs the tick, every other instance skips.
 * Taking it is one conditional UPDATE, atomic on PostgreSQL, SQLite and SQL Server alike (the
 * row lock, or SQLite's single writer, makes a second taker re-read the row and match nothing):
 * it succeeds only when the lease is free or expired (a crashed holder) and the tick is newer
 * than the last one taken (so a tick finished early on one instance is not run again by a slower
 * instance whose timer fires a moment later).
 */
import { randomUUID } from 'node:crypto';
import { UniqueConstraintError } from 'sequelize';
import type { Store } from '../store.js';
import { changeRows, runStatement, selectRows, toDateOrNull } from './sql-statements.js';

export interface Lease {
  jobName: string;
  token: string;
  holder: string;
  tickAt: Date;
}

/** Makes the job's lease row if it is not there yet (once per job, at start-up). */
export async function ensureJobLease(db: Store, jobName: string): Promise<void> {
  const [existing] = await selectRows(
    db,
    'SELECT job_name FROM job_leases WHERE job_name = :jobName',
    {
      jobName,
    },
  );
  if (existing) return;
  try {
    await runStatement(db, 'INSERT INTO job_leases (job_name) VALUES (:jobName)', { jobName });
  } catch (err) {
    // Another instance made it first: that is the point of the primary key.
    if (!(err instanceof UniqueConstraintError)) throw err;
  }
}

export async function acquireJobLease(
  db: Store,
  opts: { jobName: string; holder: string; tickAt: Date; now: Date; ttlMs: number },
): Promise<Lease | null> {
  const token = randomUUID();
  const changed = await changeRows(
    db,
    `UPDATE job_leases
        SET lease_token = :token, holder = :holder, last_tick_at = :tickAt,
            acquired_at = :now, expires_at = :expiresAt
      WHERE job_name = :jobName
        AND (expires_at IS NULL OR expires_at <= :now)
        AND (last_tick_at IS NULL OR last_tick_at < :tickAt)`,
    {
      token,
      holder: opts.holder,
      tickAt: opts.tickAt,
      now: opts.now,
      expiresAt: new Date(opts.now.getTime() + opts.ttlMs),
      jobName: opts.jobName,
    },
  );
  return changed === 1
    ? { jobName: opts.jobName, token, holder: opts.holder, tickAt: opts.tickAt }
    : null;
}

/** Extends a held lease; false when it was lost (expired and taken by another instance). */
export async function renewJobLease(
  db: Store,
  lease: Lease,
  now: Date,
  ttlMs: number,
): Promise<boolean> {
  const changed = await changeRows(
    db,
    `UPDATE job_leases SET expires_at = :expiresAt
      WHERE job_name = :jobName AND lease_token = :token`,
    { expiresAt: new Date(now.getTime() + ttlMs), jobName: lease.jobName, token: lease.token },
  );
  return changed === 1;
}

export async function releaseJobLease(db: Store, lease: Lease): Promise<void> {
  await changeRows(
    db,
    `UPDATE job_leases SET lease_token = NULL, expires_at = NULL
      WHERE job_name = :jobName AND lease_token = :token`,
    { jobName: lease.jobName, token: lease.token },
  );
}

export interface JobLeaseState {
  jobName: string;
  holder: string | null;
  lastTickAt: Date | null;
  expiresAt: Date | null;
}

export async function readJobLeases(db: Store): Promise<JobLeaseState[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db,
    'SELECT job_name, holder, last_tick_at, expires_at FROM job_leases ORDER BY job_name',
  );
  return rows.map((r) => ({
    jobName: String(r['job_name']),
    holder: r['holder'] === null ? null : String(r['holder']),
    lastTickAt: toDateOrNull(r['last_tick_at']),
    expiresAt: toDateOrNull(r['expires_at']),
  }));
}
