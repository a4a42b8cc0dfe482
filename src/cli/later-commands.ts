/**
 * Commands of the design's CLI contract (DESIGN.md section 10) whose capability has not landed yet.
 * They exist so `--help` shows the whole contract, and they refuse plainly: exit code 69
 * (EX_UNAVAILABLE) and a message, never a pretence of work.
 */
import { Command } from 'commander';

const unavailable = 69;

function notYet(command: Command, capability: string): Command {
  return command.allowUnknownOption().action(() => {
    process.stderr.write(
      `continuum ${command.name()}: not yet available: ${capability} has not landed in this version.\n`,
    );
    process.exitCode = unavailable;
  });
}

export function laterCommands(): Command[] {
  const report = new Command('report').description('Reports [not yet available]');
  report.addCommand(
    notYet(
      new Command('child-count')
        .description('Category 1 and 2 child counts')
        .option('--state <XX>')
        .option('--period <YYYY-YY>')
        .option('--format <json|csv>'),
      'the child-count report',
    ),
  );
  return [report];
}
