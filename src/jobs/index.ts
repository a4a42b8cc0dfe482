/**
 * Scheduled jobs (DESIGN.md section 7): `initJobs` starts the schedules with the gateway,
 * `closeJobs` stops them and waits for running ticks; `runJobNow` is the CLI's `jobs run`.
 */
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/index.js';
import { findJob, jobRegistry } from './registry.js';
import { runJobTick, type TickResult } from './runner.js';
import { initScheduler, instanceIdOf, type Scheduler } from './scheduler.js';

export type { JobContext, JobDefinition } from './job.js';
export type { Scheduler } from './scheduler.js';
export { jobRegistry, findJob } from './registry.js';

export function initJobs(config: Config, store: Store, logger: Logger): Scheduler {
  return initScheduler(config, store, logger, jobRegistry);
}

export async function closeJobs(scheduler: Scheduler): Promise<void> {
  await scheduler.close();
}

export class UnknownJobError extends Error {
  constructor(name: string) {
    super(`no job named ${name}; jobs: ${jobRegistry.map((j) => j.name).join(', ')}`);
  }
}

/** Runs one job now, under the same lease as the schedule (so never beside a scheduled tick). */
export async function runJobNow(
  config: Config,
  store: Store,
  logger: Logger,
  name: string,
): Promise<TickResult> {
  const job = findJob(name);
  if (!job) throw new UnknownJobError(name);
  return runJobTick({ store, config, logger, instanceId: instanceIdOf(config) }, job, {
    tickAt: new Date(),
    trigger: 'manual',
  });
}
