import { Command } from 'commander';
import { loadConfig } from '../config/index.js';

/** EX_TEMPFAIL: another instance holds the job's lease; try again later. */
const leaseHeld = 75;

export function jobsCommand(): Command {
  const jobs = new Command('jobs').description('Scheduled jobs');
  jobs
    .command('list')
    .description('The jobs and their schedules')
    .action(async () => {
      const [{ jobRegistry }, { scheduleOf }] = await Promise.all([
        import('../jobs/registry.js'),
        import('../jobs/scheduler.js'),
      ]);
      const config = loadConfig();
      for (const job of jobRegistry) {
        const s = scheduleOf(config, job);
        process.stdout.write(
          `${job.name.padEnd(24)} ${s.enabled ? s.cron : 'disabled'.padEnd(s.cron.length)}  ${job.description}\n`,
        );
      }
    });
  jobs
    .command('run')
    .argument('<name>', 'job name (see `continuum jobs list`)')
    .description('Run a job once now, under its lease, and record the run')
    .option('--json', 'print the run as JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const [{ runJobNow }, { initStore, closeStore }, { migrate }, { createLogger }] =
        await Promise.all([
          import('../jobs/index.js'),
          import('../store/index.js'),
          import('../store/migrate.js'),
          import('../observability/logger.js'),
        ]);
      const config = loadConfig();
      const logger = createLogger(config);
      const store = await initStore({ url: config.database.url, logging: false });
      try {
        if (config.database.migrateOnStart) await migrate(store.sequelize);
        const result = await runJobNow(config, store, logger, name);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ job: name, ...result })}\n`);
        } else if (!result.ran) {
          process.stdout.write(`${name}: not run, another instance holds its lease\n`);
        } else {
          const counts = Object.entries(result.counts)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ');
          process.stdout.write(
            `${name}: run ${result.runId} ${result.outcome}${counts ? ` ${counts}` : ''}${result.error ? `: ${result.error}` : ''}\n`,
          );
        }
        process.exitCode = !result.ran ? leaseHeld : result.outcome === 'succeeded' ? 0 : 1;
      } finally {
        await closeStore(store);
      }
    });
  return jobs;
}
