/** The `continuum` command line. Each command group lives in its own file. */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.js';
import { dbCommand } from './db-command.js';
import { demoCommand } from './demo-command.js';
import { ingestCommand } from './ingest-command.js';
import { jobsCommand } from './jobs-command.js';
import { mappingCommand } from './mapping-command.js';
import { reportCommand } from './report-command.js';
import { serveCommand } from './serve-command.js';

export function buildCli(): Command {
  const program = new Command('continuum')
    .description('Interoperability gateway for migrant student records')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(dbCommand());
  program.addCommand(serveCommand());
  program.addCommand(demoCommand());
  program.addCommand(ingestCommand());
  program.addCommand(mappingCommand());
  program.addCommand(reportCommand());
  program.addCommand(jobsCommand());
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 78; // EX_CONFIG
    }
    process.stderr.write(`continuum: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1]?.match(/(bin[\\/]continuum(\.js)?|cli[\\/]index\.ts)$/);
if (invokedDirectly) {
  const code = await runCli(process.argv.slice(2));
  // `serve` keeps running; every other command ends here.
  if (code !== 0 || process.exitCode !== undefined) process.exit(code);
}
