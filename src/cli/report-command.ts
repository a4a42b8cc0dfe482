/**
 * `continuum report child-count --state XX --period 2024-25 [--format json|csv] [--as-of DATE]`
 * (DESIGN.md section 10): the state's Category 1 and 2 counts, as stored when frozen or
 * certified, otherwise computed afresh. Exit codes: 0 printed, 64 bad arguments (EX_USAGE),
 * 78 configuration wrong.
 */
import { Command } from 'commander';
import { loadConfig } from '../config/index.js';

const EX_USAGE = 64;

interface ChildCountOptions {
  state: string;
  period: string;
  format: string;
  asOf?: string;
}

async function childCount(options: ChildCountOptions): Promise<void> {
  const config = loadConfig();
  const state = options.state.toUpperCase();
  const usage = (message: string) => {
    process.stderr.write(`continuum report child-count: ${message}\n`);
    process.exitCode = EX_USAGE;
  };
  if (options.format !== 'json' && options.format !== 'csv') {
    return usage(`--format must be json or csv (got "${options.format}")`);
  }
  const stateConfig = config.states.find((s) => s.code.toUpperCase() === state);
  if (!stateConfig) return usage(`state ${state} is not configured`);
  // Loaded on use, so `continuum --help` does not pay for Sequelize and the drivers.
  const [store, counts] = await Promise.all([
    import('../store/index.js'),
    import('../reports/child-count/index.js'),
  ]);
  const db = await store.initStore({ url: config.database.url });
  try {
    await store.upsertStates(db, [{ code: state, name: stateConfig.name }]);
    const count = await counts.childCountReport(db, {
      state,
      period: options.period,
      ...(options.asOf ? { asOf: options.asOf } : {}),
    });
    process.stdout.write(
      options.format === 'csv'
        ? counts.countCsv(count)
        : `${JSON.stringify(counts.countView(count), null, 2)}\n`,
    );
  } catch (err) {
    if (err instanceof counts.ChildCountInputError) return usage(err.message);
    throw err;
  } finally {
    await store.closeStore(db);
  }
}

export function reportCommand(): Command {
  const report = new Command('report').description('Reports');
  report
    .command('child-count')
    .description('Category 1 and 2 counts of migratory children of a state for a period')
    .requiredOption('--state <XX>', 'the state')
    .requiredOption('--period <YYYY-YY>', 'performance period, September 1 - August 31')
    .option('--format <json|csv>', 'output format', 'json')
    .option('--as-of <YYYY-MM-DD>', 'count days through this date only')
    .action(childCount);
  return report;
}
