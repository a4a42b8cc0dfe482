/**
 * `continuum mapping check <mapping> <file>`: the dry run of DESIGN.md section 5. Prints each
 * mapped document as a JSON line on stdout (as ingest would store it), each error on stderr as
 * `file:row field → target: reason`, then a count; stores nothing. `<mapping>` is a mapping file,
 * or the name of one under the mappings folder (`ca-csv`). Exit codes: 0 no errors, 1 rejects,
 * 2 the file refused, 66 no such file, 78 a wrong mapping file.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import type { CompiledSurveyMapping } from '../ingest/index.js';
import { EXIT, loadAnyMappingForCommand } from './ingest-command.js';

const MAPPING_NAME = /^[a-z0-9][a-z0-9-]*$/;

async function mappingFileOf(arg: string): Promise<string> {
  if (existsSync(arg) || !MAPPING_NAME.test(arg)) return path.resolve(arg);
  const { mappingFileOf: fileOf } = await import('../ingest/index.js');
  return fileOf(loadConfig(), arg);
}

async function runCheck(mappingArg: string, file: string): Promise<number> {
  if (!existsSync(file)) {
    process.stderr.write(`continuum mapping check: ${file}: no such file\n`);
    return EXIT.noInput;
  }
  const mapping = await loadAnyMappingForCommand(await mappingFileOf(mappingArg));
  if (typeof mapping === 'number') return mapping;
  if (mapping.target === 'survey-response') return checkSurvey(mapping, file);
  const { dryRunMapping, formatReject } = await import('../ingest/index.js');
  const result = await dryRunMapping({
    mapping,
    fileName: path.basename(file),
    input: { path: file },
    onDocument: (d) => process.stdout.write(`${JSON.stringify(d)}\n`),
    onReject: (r) => process.stderr.write(`${formatReject(r)}\n`),
  });
  if (result.refused !== null) {
    process.stderr.write(`${path.basename(file)}: refused: ${result.refused}\n`);
    return EXIT.refused;
  }
  process.stderr.write(
    `${path.basename(file)}: ${result.records} records: ${result.accepted} accepted, ` +
      `${result.deleted} deleted, ${result.rejected} rejected (dry run: nothing stored)\n`,
  );
  return result.rejected > 0 ? EXIT.rejects : EXIT.ok;
}

/** A survey-response mapping: each respondent as a JSON line, each reject on stderr. */
async function checkSurvey(mapping: CompiledSurveyMapping, file: string): Promise<number> {
  const { formatReject, isFileRefusedError } = await import('../ingest/index.js');
  const fileName = path.basename(file);
  let accepted = 0;
  let rejected = 0;
  try {
    for await (const record of mapping.read(createReadStream(file), { fileName })) {
      if (record.kind === 'response') {
        accepted++;
        process.stdout.write(`${JSON.stringify({ row: record.row, response: record.response })}\n`);
        continue;
      }
      rejected++;
      for (const e of record.errors) {
        const view = {
          file: fileName,
          row: e.row,
          field: e.field ?? null,
          target: e.target ?? null,
        };
        process.stderr.write(
          `${formatReject({ ...view, value: e.value ?? null, reason: e.reason })}\n`,
        );
      }
    }
  } catch (err) {
    if (!isFileRefusedError(err)) throw err;
    process.stderr.write(`${fileName}: refused: ${err.reason}\n`);
    return EXIT.refused;
  }
  process.stderr.write(
    `${fileName}: ${accepted + rejected} respondents: ${accepted} accepted, ${rejected} rejected (dry run: nothing stored)\n`,
  );
  return rejected > 0 ? EXIT.rejects : EXIT.ok;
}

export function mappingCommand(): Command {
  const mapping = new Command('mapping').description('Mapping files (mappings/*.yaml)');
  mapping
    .command('check')
    .description('Dry-run a mapping on a sample file: print the mapped documents and every error')
    .argument('<mapping>', 'mapping file, or its name under the mappings folder (e.g. ca-csv)')
    .argument('<file>', 'sample file in the state format')
    .action(async (mappingArg: string, file: string) => {
      process.exitCode = await runCheck(mappingArg, file);
    });
  return mapping;
}
