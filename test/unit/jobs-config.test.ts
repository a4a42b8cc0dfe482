// The `jobs` settings: schedules from files and environment, bad cron expressions named at
// start-up, unknown job names refused rather than silently left on their defaults.
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { jobRegistry } from '../../src/jobs/registry.js';
import { initScheduler, scheduleOf } from '../../src/jobs/scheduler.js';
import { moveDetectionJob } from '../../src/jobs/move-detection-job.js';
import type { Store } from '../../src/store/index.js';
import { silentLogger } from '../helpers/identity-sessions.js';

describe('jobs settings', () => {
  it('schedules every registered job by default but the by-hand relink, from config/default.yaml', () => {
    const config = loadConfig({ env: { NODE_ENV: 'test' } });
    assert.equal(config.jobs.enabled, false, 'off in the test environment');
    for (const job of jobRegistry) {
      const byHand = job.name === 'linkage-relink';
      assert.equal(scheduleOf(config, job).enabled, !byHand, job.name);
    }
    assert.equal(scheduleOf(config, moveDetectionJob).cron, '*/30 * * * * *');
    assert.equal(config.jobs.leaseTtlSeconds, 60);
    assert.deepEqual(
      config.notifications.retryDelaysSeconds,
      [5, 300, 1800, 7200, 18000, 36000, 36000],
    );
  });

  it('lets an environment variable override one job’s cron or switch it off', () => {
    const cron = loadConfig({
      env: { NODE_ENV: 'test', CONTINUUM_JOBS__SCHEDULES__MOVE_DETECTION__CRON: '*/10 * * * * *' },
    });
    assert.deepEqual(scheduleOf(cron, moveDetectionJob), { cron: '*/10 * * * * *', enabled: true });
    const off = loadConfig({
      env: { NODE_ENV: 'test', CONTINUUM_JOBS__SCHEDULES__MOVE_DETECTION__ENABLED: 'false' },
    });
    assert.equal(scheduleOf(off, moveDetectionJob).enabled, false);
  });

  it('names a bad cron expression and its key', () => {
    assert.throws(
      () =>
        loadConfig({
          env: { NODE_ENV: 'test', CONTINUUM_JOBS__SCHEDULES__MOVE_DETECTION__CRON: 'every day' },
        }),
      (err: unknown) =>
        err instanceof ConfigError &&
        /jobs\.schedules\.moveDetection\.cron: must be a cron expression/.test(err.message),
    );
  });

  it('refuses a schedule for a job that does not exist', () => {
    const config = loadConfig({
      env: { NODE_ENV: 'test', CONTINUUM_JOBS__SCHEDULES__MOVE_DETECTOIN__CRON: '* * * * *' },
    });
    assert.throws(
      () => initScheduler(config, {} as Store, silentLogger),
      /jobs\.schedules names unknown jobs: moveDetectoin/,
    );
  });
});
