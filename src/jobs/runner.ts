/**
 * Runs one tick of one job under its SQL lease: take the lease (or skip), record the run, renew
 * while it runs, release and record the outcome at the end. A lease lost while running (this
 * process stalled past the TTL and another took over) aborts the run's signal.
 */
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/index.js';
import {
  acquireJobLease,
  ensureJobLease,
  releaseJobLease,
  renewJobLease,
} from '../store/repositories/job-leases.js';
import { finishJobRun, startJobRun, type JobOutcome } from '../store/repositories/job-runs.js';
import type { JobDefinition } from './job.js';

export interface RunnerDeps {
  store: Store;
  config: Config;
  logger: Logger;
  instanceId: string;
}

export type TickResult =
  | { ran: false; reason: 'lease-held' }
  | {
      ran: true;
      runId: number;
      outcome: JobOutcome;
      counts: Record<string, number>;
      error?: string;
    };

export async function runJobTick(
  deps: RunnerDeps,
  job: JobDefinition,
  opts: { tickAt: Date; trigger: 'schedule' | 'manual'; stopSignal?: AbortSignal },
): Promise<TickResult> {
  const { store, config, logger, instanceId } = deps;
  const ttlMs = config.jobs.leaseTtlSeconds * 1000;
  await ensureJobLease(store, job.name);
  const lease = await acquireJobLease(store, {
    jobName: job.name,
    holder: instanceId,
    tickAt: opts.tickAt,
    now: new Date(),
    ttlMs,
  });
  if (!lease) return { ran: false, reason: 'lease-held' };

  const controller = new AbortController();
  const onStop = () => controller.abort(new Error('the gateway is stopping'));
  opts.stopSignal?.addEventListener('abort', onStop, { once: true });
  const startedAt = new Date();
  let runId: number;
  try {
    runId = await startJobRun(store, {
      jobName: job.name,
      instanceId,
      trigger: opts.trigger,
      tickAt: opts.tickAt,
      startedAt,
    });
  } catch (err) {
    opts.stopSignal?.removeEventListener('abort', onStop);
    await releaseJobLease(store, lease).catch(() => undefined);
    throw err;
  }
  // Renew at a third of the TTL, so two missed renewals still leave the lease held.
  const renew = setInterval(
    () => {
      renewJobLease(store, lease, new Date(), ttlMs).then(
        (held) => {
          if (!held) controller.abort(new Error('the lease was lost'));
        },
        (err: unknown) => logger.warn({ err, job: job.name }, 'lease renewal failed'),
      );
    },
    Math.max(250, ttlMs / 3),
  );
  renew.unref();

  let outcome: JobOutcome = 'succeeded';
  let counts: Record<string, number> = {};
  let error: string | undefined;
  try {
    counts = await job.run({
      store,
      config,
      logger: logger.child({ job: job.name, runId }),
      now: opts.trigger === 'manual' ? startedAt : opts.tickAt,
      signal: controller.signal,
      trigger: opts.trigger,
      instanceId,
    });
    if (controller.signal.aborted) outcome = 'aborted';
  } catch (err) {
    outcome = controller.signal.aborted ? 'aborted' : 'failed';
    error = err instanceof Error ? err.message : String(err);
    logger.error({ err, job: job.name, runId }, 'job run failed');
  } finally {
    clearInterval(renew);
    opts.stopSignal?.removeEventListener('abort', onStop);
  }
  await finishJobRun(store, runId, { endedAt: new Date(), outcome, counts, error });
  await releaseJobLease(store, lease);
  return { ran: true, runId, outcome, counts, ...(error ? { error } : {}) };
}
