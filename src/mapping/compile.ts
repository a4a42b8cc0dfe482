/**
 * Compiling a mapping file: YAML → checked definition → closures. Every problem in the file is
 * collected, with its line, before anything is thrown; a mapping that compiles is a plain
 * function of the input, and the definition is never looked at again (engine.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { check, checkOrRepair, sections, strict, topLevel } from './definition.js';
import { compileDocument } from './document.js';
import { readMapped, type EnginePlan } from './engine.js';
import { FileRefusedError, MappingFileError } from './errors.js';
import { csvInput, CsvAdapter } from './formats/csv.js';
import { fixedWidthInput, FixedWidthAdapter } from './formats/fixed-width.js';
import { JsonAdapter, jsonInput, jsonlInput } from './formats/json.js';
import { xmlInput } from './formats/xml-input.js';
import type { GroupingOptions, KeyOf } from './grouping.js';
import { compileScalar, type CompileEnv, type MapContext, type ScalarFn } from './scalar.js';
import { compileSurveyResponse, type SurveyRowFn } from './survey-response.js';
import type {
  AnyCompiledMapping,
  CompiledMapping,
  CompiledSurveyMapping,
  FormatAdapter,
  MappingFormat,
} from './types.js';
import { MappingSource } from './yaml-source.js';

const groupingSchema = strict({
  key: z.unknown().optional(),
  sorted: z.boolean({ error: 'must be true or false' }).default(true),
  start: z.string().min(1).optional(),
});

const ACTION_KEYS = ['source', 'from', 'transforms', 'crosswalk', 'default'];
const KEY_KEYS = ['source', 'transforms'];

async function adapterFor(
  format: MappingFormat,
  input: unknown,
  source: MappingSource,
  baseDir: string,
): Promise<FormatAdapter<unknown> | undefined> {
  const at = ['input'];
  switch (format) {
    case 'csv': {
      const i = checkOrRepair(csvInput, input ?? {}, at, source);
      return i && (new CsvAdapter(i) as FormatAdapter<unknown>);
    }
    case 'fixed-width': {
      const i = checkOrRepair(fixedWidthInput, input ?? {}, at, source);
      return i && (new FixedWidthAdapter(i, (p, m) => source.add(p, m)) as FormatAdapter<unknown>);
    }
    case 'jsonl': {
      const i = checkOrRepair(jsonlInput, input ?? {}, at, source);
      return i && (new JsonAdapter(true, i) as FormatAdapter<unknown>);
    }
    case 'json': {
      const i = checkOrRepair(jsonInput, input ?? {}, at, source);
      return i && (new JsonAdapter(false, i) as FormatAdapter<unknown>);
    }
    case 'xml': {
      const i = checkOrRepair(xmlInput, input, at, source);
      if (!i) return undefined;
      // Loaded only for XML mappings: libxml2-wasm's memory is not paid by the other formats.
      const { compileXsd, XmlAdapter } = await import('./formats/xml.js');
      let validator;
      if (i.schema !== undefined) {
        const file = path.resolve(baseDir, i.schema);
        const bytes = await readFile(file).catch(() => undefined);
        const compiled = bytes ? compileXsd(bytes) : `cannot read ${file}`;
        if (typeof compiled === 'string') source.add([...at, 'schema'], compiled);
        else validator = compiled;
        if (typeof compiled === 'string') return undefined;
      }
      const adapter = new XmlAdapter(i, validator);
      const recordProblem = adapter.checkRecord();
      if (recordProblem) source.add([...at, 'record'], recordProblem);
      return recordProblem ? undefined : (adapter as FormatAdapter<unknown>);
    }
  }
}

/**
 * Compiles the checked YAML value of `source`. `definition` is that value (tests pass a proxy of
 * it to prove it is read only here).
 */
export async function compileDefinition(
  source: MappingSource,
  definition: unknown,
  name: string,
  baseDir: string,
): Promise<CompiledMapping> {
  const mapping = await compileAnyDefinition(source, definition, name, baseDir);
  if (mapping.target === 'survey-response') {
    const problem =
      'is survey-response: this mapping makes survey responses, not exchange documents';
    throw new MappingFileError([{ file: source.file, path: 'target', message: problem }]);
  }
  return mapping;
}

/** Like compileDefinition, for either target kind (`target: survey-response` too). */
export async function compileAnyDefinition(
  source: MappingSource,
  definition: unknown,
  name: string,
  baseDir: string,
): Promise<AnyCompiledMapping> {
  const fail = () =>
    new MappingFileError(
      [...source.problems].sort(
        (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0),
      ),
    );
  if (source.problems.length > 0) throw fail();
  const top = check(topLevel, definition, [], source);
  if (!top) throw fail();
  check(sections.version, top.version, ['version'], source);
  check(sections.description, top.description, ['description'], source);
  const state = check(sections.state, top.state, ['state'], source);
  const tables: Record<string, unknown> =
    check(sections.crosswalks, top.crosswalks, ['crosswalks'], source) ?? {};
  const fields = check(sections.fields, top.fields, ['fields'], source);
  const adapter = await adapterFor(top.format, top.input, source, baseDir);
  if (!adapter || !fields) throw fail();
  const env: CompileEnv<unknown> = { adapter, source, tables };
  for (const [table, entries] of Object.entries(tables)) {
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
      source.add(['crosswalks', table], "must be a map of the state's codes to exchange values");
    }
  }
  if (top.target === 'survey-response') {
    for (const key of ['grouping', 'action'] as const) {
      if (top[key] !== undefined)
        source.add([key], 'a survey-response mapping reads one respondent per row: leave it out');
    }
    const rowFn = compileSurveyResponse(fields, env);
    if (source.problems.length > 0 || !rowFn) throw fail();
    return surveyMapping(name, top.format, state, adapter, rowFn);
  }
  const document = compileDocument(fields, env);

  const grouping = compileGrouping(top.grouping, env);
  const action = compileAction(top.action, env, document?.studentContext.kind);
  if (source.problems.length > 0 || !document) throw fail();

  const plan: EnginePlan<unknown> = { adapter, document, grouping, action };
  return {
    name,
    format: top.format,
    ...(typeof state === 'string' ? { state } : {}),
    read: (input, options) => readMapped(plan, input, options.fileName),
  };
}

function surveyMapping(
  name: string,
  format: MappingFormat,
  state: unknown,
  adapter: FormatAdapter<unknown>,
  rowFn: SurveyRowFn<unknown>,
): CompiledSurveyMapping {
  return {
    target: 'survey-response',
    name,
    format,
    ...(typeof state === 'string' ? { state } : {}),
    async *read(input, options) {
      try {
        for await (const row of adapter.rows(input, options.fileName)) yield rowFn(row);
      } catch (e) {
        if (e instanceof FileRefusedError)
          throw new FileRefusedError(e.reason, e.line, options.fileName);
        throw e;
      }
    },
  };
}

/** `grouping`: the key (compiled per record type for fixed width), `start`, `sorted`. */
function compileGrouping(spec: unknown, env: CompileEnv<unknown>): GroupingOptions<unknown> {
  const { adapter, source } = env;
  const grouping =
    spec === undefined ? undefined : check(groupingSchema, spec, ['grouping'], source);
  let keyOf: KeyOf<unknown> | undefined;
  if (grouping?.key !== undefined) {
    const byKind = new Map<string | undefined, ScalarFn<unknown> | undefined>();
    for (const kind of adapter.kinds.length > 0 ? adapter.kinds : [undefined]) {
      const options = {
        type: { kind: 'string' },
        required: true,
        context: { kind },
        keys: KEY_KEYS,
      } as const;
      byKind.set(kind, compileScalar(grouping.key, ['grouping', 'key'], options, env));
    }
    keyOf = (row) => {
      const fn = byKind.get(adapter.kinds.length > 0 ? row.kind : undefined);
      if (!fn || row.scope === undefined) return undefined;
      const ctx: MapContext = { problems: [] };
      const key = fn(row.scope, ctx, '', { had: false });
      // A broken row's key problem is the row's problem: the row joins the child being read.
      if (ctx.problems.length > 0 && row.problems && row.problems.length > 0) return undefined;
      if (ctx.problems.length > 0) {
        return {
          problems: ctx.problems.map((p) => ({ ...p, reason: `grouping key ${p.reason}` })),
        };
      }
      return key === undefined ? undefined : { key: String(key) };
    };
  }
  if (grouping?.start !== undefined && !adapter.kinds.includes(grouping.start)) {
    source.add(
      ['grouping', 'start'],
      adapter.kinds.length > 0
        ? `must be one of the record types ${adapter.kinds.join(', ')}`
        : 'is for fixed-width files with record types',
    );
  }
  if (grouping?.sorted === false && grouping.key === undefined) {
    source.add(['grouping', 'sorted'], 'sorted: false needs a grouping key');
  }
  return { key: keyOf, start: grouping?.start, sorted: grouping?.sorted ?? true };
}

/** `action`: a field whose target is upsert/delete, read from the student's row (or `from`). */
function compileAction(
  spec: unknown,
  env: CompileEnv<unknown>,
  studentKind: string | undefined,
): EnginePlan<unknown>['action'] {
  if (spec === undefined) return undefined;
  const { adapter, source } = env;
  const map = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : {};
  const kind = typeof map.from === 'string' ? map.from : undefined;
  if (map.from !== undefined && (kind === undefined || !adapter.kinds.includes(kind))) {
    const kinds = adapter.kinds.join(', ') || '(none: the format has none)';
    source.add(['action', 'from'], `must be one of the record types ${kinds}`);
  }
  const { from: _from, default: fallback, ...field } = map;
  if (fallback !== undefined && fallback !== 'upsert' && fallback !== 'delete') {
    source.add(['action', 'default'], 'must be upsert or delete');
  }
  const options = {
    type: { kind: 'action' },
    required: false,
    context: { kind: kind ?? studentKind },
    keys: ACTION_KEYS,
  } as const;
  const fn = compileScalar(typeof spec === 'string' ? spec : field, ['action'], options, env);
  return fn && { fn, kind, fallback: fallback === 'delete' ? 'delete' : 'upsert' };
}

/** Compiles a mapping of either target kind from its YAML text. */
export async function compileAnyMapping(
  yamlText: string,
  fileName: string,
): Promise<AnyCompiledMapping> {
  const source = new MappingSource(yamlText, fileName);
  const name = path.basename(fileName).replace(/\.ya?ml$/i, '');
  return compileAnyDefinition(source, source.value, name, path.dirname(fileName));
}

/** Loads a mapping of either target kind; throws MappingFileError like loadMapping. */
export async function loadAnyMapping(file: string): Promise<AnyCompiledMapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new MappingFileError([
      { file, path: '', message: `cannot read the mapping file: ${(e as Error).message}` },
    ]);
  }
  return compileAnyMapping(text, file);
}

/** Compiles a mapping from its YAML text; `fileName` names it in problems and anchors its XSD. */
export async function compileMapping(yamlText: string, fileName: string): Promise<CompiledMapping> {
  const source = new MappingSource(yamlText, fileName);
  const name = path.basename(fileName).replace(/\.ya?ml$/i, '');
  return compileDefinition(source, source.value, name, path.dirname(fileName));
}

export async function loadMapping(file: string): Promise<CompiledMapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new MappingFileError([
      { file, path: '', message: `cannot read the mapping file: ${(e as Error).message}` },
    ]);
  }
  return compileMapping(text, file);
}
