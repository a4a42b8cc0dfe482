/**
 * node-cron schedules from the config, one task per enabled job. Every instance keeps the same
 * timers; the SQL lease decides which one runs a tick (runner.ts). The tick is named by its
 * scheduled time, truncated to the second, so all instances name the same tick alike.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/index.js';
import type { JobDefinition } from './job.js';
import { jobRegistry } from './registry.js';
import { runJobTick } from './runner.js';

export interface Scheduler {
  instanceId: string;
  /** Names of the jobs scheduled on this instance. */
  scheduled: string[];
  close(): Promise<void>;
}

export function instanceIdOf(config: Config): string {
  return config.jobs.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** `moveDetection` (an environment variable's key) and `move-detection` name the same job. */
function jobNameOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function scheduleOf(config: Config, job: JobDefinition): { cron: string; enabled: boolean } {
  // Entries are in layer order (files, then environment): a later one overrides what it sets.
  let cron = job.defaultCron;
  let enabled = true;
  for (const [key, entry] of Object.entries(config.jobs.schedules)) {
    if (jobNameOf(key) !== job.name) continue;
    cron = entry.cron ?? cron;
    enabled = entry.enabled ?? enabled;
  }
  return { cron, enabled };
}

export function initScheduler(
  config: Config,
  store: Store,
  logger: Logger,
  jobs: readonly JobDefinition[] = jobRegistry,
): Scheduler {
  const instanceId = instanceIdOf(config);
  const unknown = Object.keys(config.jobs.schedules).filter(
    (name) => !jobs.some((job) => job.name === jobNameOf(name)),
  );
  if (unknown.length > 0) {
    // A typo in a job name would otherwise leave the job silently on its default schedule.
    throw new Error(`jobs.schedules names unknown jobs: ${unknown.join(', ')}`);
  }
  const stop = new AbortController();
  const running = new Set<Promise<unknown>>();
  const tasks: ScheduledTask[] = [];
  const scheduled: string[] = [];
  if (config.jobs.enabled) {
    for (const job of jobs) {
      const schedule = scheduleOf(config, job);
      if (!schedule.enabled) continue;
      const task = cron.schedule(
        schedule.cron,
        (ctx) => {
          if (stop.signal.aborted) return;
          const tickAt = new Date(Math.floor(ctx.date.getTime() / 1000) * 1000);
          const run = runJobTick({ store, config, logger, instanceId }, job, {
            tickAt,
            trigger: 'schedule',
            stopSignal: stop.signal,
          })
            .then((result) => {
              if (result.ran) {
                logger.info(
                  {
                    job: job.name,
                    runId: result.runId,
                    outcome: result.outcome,
                    counts: result.counts,
                  },
                  'job ran',
                );
              }
            })
            .catch((err: unknown) => logger.error({ err, job: job.name }, 'job tick failed'))
            .finally(() => running.delete(run));
          running.add(run);
        },
        { name: `continuum:${job.name}`, timezone: 'UTC' },
      );
      tasks.push(task);
      scheduled.push(job.name);
    }
  }
  logger.info({ instanceId, jobs: scheduled }, 'job scheduler started');
  return {
    instanceId,
    scheduled,
    async close() {
      stop.abort();
      for (const task of tasks) {
        await task.stop();
        await task.destroy();
      }
      // Running ticks see the abort and end at their next safe point; their leases are released.
      await Promise.allSettled([...running]);
    },
  };
}
