import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function demoCommand(): Command {
  const demo = new Command('demo').description('Synthetic demo data (never real children)');
  demo
    .command('generate')
    .description("Write demo files in each demo state's native format, plus the linkage truth")
    .option('--children <n>', 'number of distinct children', positiveInteger, 200)
    .option('--seed <s>', 'random seed: the same seed gives the same bytes', '2026')
    .option('--today <date>', 'the day the extract is taken (YYYY-MM-DD; default a fixed day)')
    .option('--out <dir>', 'folder to write to', 'data/demo')
    .action(async (options: { children: number; seed: string; today?: string; out: string }) => {
      // Imported here so `continuum --help` does not pay for loading the generator.
      const { writeDemoFiles } = await import('../demo/index.js');
      const seed = /^-?\d+$/.test(options.seed) ? Number(options.seed) : options.seed;
      const result = await writeDemoFiles({
        children: options.children,
        seed,
        ...(options.today ? { today: options.today } : {}),
        outDir: path.resolve(options.out),
      });
      for (const file of result.files) {
        process.stdout.write(
          `${file.state}  ${file.format.padEnd(11)}  ${String(file.records).padStart(6)} children  ${path.relative(process.cwd(), file.path)}\n`,
        );
      }
      process.stdout.write(`truth: ${path.relative(process.cwd(), result.truthPath)}\n`);
    });
  return demo;
}
