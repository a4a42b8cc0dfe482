/**
 * `continuum ingest <file> --state XX [--mapping F] [--json]`: one state file into the store.
 * Exit codes: 0 every record accepted, 1 some rejected, 2 the file refused, 66 no such file,
 * 78 configuration (config, state or mapping file) wrong.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { Config } from '../config/index.js';
import { loadConfig } from '../config/index.js';
import type {
  AnyCompiledMapping,
  CompiledMapping,
  IngestProgress,
  IngestSummary,
} from '../ingest/index.js';

export const EXIT = {
  ok: 0,
  rejects: 1,
  refused: 2,
  noInput: 66,
  config: 78,
} as const;

interface IngestOptions {
  state: string;
  mapping?: string;
  json?: boolean;
}

/** Loaded on use, so `continuum --help` does not pay for Sequelize and the drivers. */
const ingestModule = () => import('../ingest/index.js');

/**
 * Loads the mapping file, or says why not and answers the exit code. MappingFileError names every
 * problem with its line.
 */
export async function loadMappingForCommand(file: string): Promise<CompiledMapping | number> {
  const { loadMappingFile } = await ingestModule();
  return loadWith(file, loadMappingFile);
}

/** Like loadMappingForCommand, for either target kind (survey-response mappings too). */
export async function loadAnyMappingForCommand(file: string): Promise<AnyCompiledMapping | number> {
  const { loadAnyMappingFile } = await ingestModule();
  return loadWith(file, loadAnyMappingFile);
}

async function loadWith<T>(file: string, load: (file: string) => Promise<T>): Promise<T | number> {
  const { isMappingFileError } = await ingestModule();
  if (!existsSync(file)) {
    process.stderr.write(`continuum: mapping file ${file} does not exist\n`);
    return EXIT.config;
  }
  try {
    return await load(file);
  } catch (err) {
    if (isMappingFileError(err)) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.config;
    }
    throw err;
  }
}

/** The summary as the CLI prints it (stdout), rejects as `file:row field → target: reason`. */
export async function formatSummary(summary: IngestSummary): Promise<string> {
  const { formatReject } = await ingestModule();
  const head = `${summary.state} ${summary.fileName}`;
  const lines: string[] = [];
  if (summary.status === 'refused') {
    lines.push(`${head}: refused (submission ${summary.submissionId}): ${summary.error ?? ''}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    summary.duplicate
      ? `${head}: already received as submission ${summary.submissionId} on ${summary.receivedAt} (same SHA-256); nothing changed`
      : `${head}: submission ${summary.submissionId} ${summary.status}`,
  );
  const c = summary.changes;
  lines.push(
    `  ${summary.rowCount} records: ${summary.acceptedCount} accepted, ${summary.deletedCount} deleted, ${summary.rejectedCount} rejected` +
      (c
        ? ` (new ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, removed ${c.removed})`
        : ''),
  );
  if (summary.rejects.length > 0) {
    lines.push('rejects:');
    for (const reject of summary.rejects) lines.push(`  ${formatReject(reject)}`);
    if (summary.rejectsOmitted > 0) {
      lines.push(
        `  ... and ${summary.rejectsOmitted} more: GET /api/v1/submissions/${summary.submissionId}/rejects`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function exitCodeOf(summary: IngestSummary): number {
  if (summary.status === 'refused') return EXIT.refused;
  return summary.rejectedCount > 0 ? EXIT.rejects : EXIT.ok;
}

/** A bar on stderr, only for a person watching (a TTY) and never with --json. */
async function progressBar(show: boolean) {
  if (!show) return { update: () => undefined, stop: () => undefined };
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format:
        'ingest [{bar}] {percentage}% | {records} records, {rejected} rejected | {duration_formatted}',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(p: IngestProgress) {
      const total = p.totalBytes ?? Math.max(p.bytesRead, 1);
      const payload = { records: p.records, rejected: p.rejected };
      if (!started) bar.start(total, p.bytesRead, payload);
      else bar.update(p.bytesRead, payload);
      started = true;
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

async function openStoreFor(config: Config) {
  const [{ closeStore, initStore, upsertStates }, { migrate }] = await Promise.all([
    import('../store/index.js'),
    import('../store/migrate.js'),
  ]);
  const store = await initStore({ url: config.database.url, logging: false });
  try {
    if (config.database.migrateOnStart) await migrate(store.sequelize);
    // Submissions reference their state: the configured states are in the table.
    await upsertStates(
      store,
      config.states.map((s) => ({ code: s.code, name: s.name })),
    );
  } catch (err) {
    await closeStore(store);
    throw err;
  }
  return { store, close: () => closeStore(store) };
}

async function runIngest(file: string, options: IngestOptions): Promise<number> {
  const config = loadConfig();
  const { ingestFile, ingestSurveyFile, mappingFileOf, stateConfigOf } = await ingestModule();
  const state = stateConfigOf(config, options.state);
  if (!state) {
    process.stderr.write(
      `continuum ingest: state ${options.state} is not configured (no ${config.statesDir}/${options.state.toUpperCase()}.yaml)\n`,
    );
    return EXIT.config;
  }
  if (!existsSync(file)) {
    process.stderr.write(`continuum ingest: ${file}: no such file\n`);
    return EXIT.noInput;
  }
  const mappingFile = options.mapping
    ? path.resolve(options.mapping)
    : mappingFileOf(config, state.mapping);
  const mapping = await loadAnyMappingForCommand(mappingFile);
  if (typeof mapping === 'number') return mapping;

  const { store, close } = await openStoreFor(config);
  const bar = await progressBar(Boolean(process.stderr.isTTY) && !options.json);
  try {
    // A survey export (target: survey-response) stores anonymous responses, not records.
    const summary =
      mapping.target === 'survey-response'
        ? await ingestSurveyFile({
            store,
            config,
            state: state.code,
            mapping,
            fileName: path.basename(file),
            input: { path: file },
          })
        : await ingestFile({
            store,
            config,
            state: state.code,
            mapping,
            fileName: path.basename(file),
            input: { path: file },
            onProgress: (p) => bar.update(p),
          });
    bar.stop();
    process.stdout.write(
      options.json ? `${JSON.stringify(summary)}\n` : await formatSummary(summary),
    );
    return exitCodeOf(summary);
  } finally {
    bar.stop();
    await close();
  }
}

export function ingestCommand(): Command {
  return new Command('ingest')
    .description(
      "Ingest a state file through the state's mapping, in one transaction (a re-sent file changes nothing)",
    )
    .argument('<file>', 'the state file')
    .requiredOption('--state <XX>', 'the submitting state, e.g. CA')
    .option('--mapping <file>', "mapping file (default: the state's, mappings/<name>.yaml)")
    .option('--json', 'print the summary as one JSON object')
    .action(async (file: string, options: IngestOptions) => {
      process.exitCode = await runIngest(file, options);
    });
}
