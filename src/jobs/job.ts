/** What a scheduled job is and what it receives when it runs. */
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/index.js';

export interface JobContext {
  store: Store;
  config: Config;
  logger: Logger;
  /** The run's clock: the tick's time, so a run is reproducible in tests. */
  now: Date;
  /** Aborted when the instance stops or loses its lease: stop at the next safe point. */
  signal: AbortSignal;
  /** A scheduled tick, or `continuum jobs run` (which should not linger). */
  trigger: 'schedule' | 'manual';
  /** This gateway process, as the run record names it. */
  instanceId: string;
}

export interface JobDefinition {
  /** kebab-case; the key under `jobs.schedules` in the config and the CLI's `jobs run <name>`. */
  name: string;
  description: string;
  /** Used when `jobs.schedules` has no entry for the job (node-cron syntax, seconds optional). */
  defaultCron: string;
  /** Named counts recorded with the run, e.g. `{ movesDetected: 3 }`. */
  run(ctx: JobContext): Promise<Record<string, number>>;
}
