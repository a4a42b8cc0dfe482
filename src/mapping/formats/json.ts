/**
 * JSON Lines (one record per line, each read on its own) and JSON (an array of records, streamed
 * by stream-json one element at a time, so that neither holds more than one record). Paths are
 * `name.first`, `guardians[0].first`, `['odd key']`; `each: enrollments` selects the items of an
 * array (an object counts as one item), and `[*]` goes through every item of a list on the way
 * (`each: schools[*].courses`). Rows are line numbers (JSON Lines) or the record's number
 * in the array, from 1 (JSON: stream-json does not report lines).
 */
import { Readable, pipeline } from 'node:stream';
import { z } from 'zod';
import Parser from 'stream-json/Parser.js';
import Pick from 'stream-json/filters/Pick.js';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import { encoding, positiveInt, strict } from '../definition.js';
import { FileRefusedError, MappingValueError } from '../errors.js';
import { textChunks, type Input } from '../input/decode.js';
import { lineBatches } from '../input/lines.js';
import { flatten, type FormatAdapter, type Reader, type SourceRow, type Value } from '../types.js';

export const jsonlInput = strict({
  encoding,
  maxLineChars: positiveInt.default(10_000_000),
});

export const jsonInput = strict({
  /** Path of the array of records; omitted, the document itself is the array. */
  records: z
    .string()
    .regex(
      /^(\$\.?)?[^.[\]'"]+(\.[^.[\]'"]+)*$/,
      'must be a dotted path of keys such as data.students',
    )
    .optional(),
});

export interface JsonScope {
  value: unknown;
  /** Where the value is, e.g. `enrollments[2]` ('' for the record). */
  path: string;
  row: number;
}

/** `[*]`: every item of a list (in `each`/`from` paths only). */
const ALL = Symbol('all');
type Segment = string | number | typeof ALL;

/** `$.a.b[0]['c d']` → ['a', 'b', 0, 'c d']; undefined when it is not a path. */
export function parseJsonPath(path: string): Segment[] | undefined {
  const out: Segment[] = [];
  let rest = path.replace(/^\$\.?/, '');
  const token = /^(?:\.?([^.[\]'"]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]|\[\*\])/;
  while (rest.length > 0) {
    const m = token.exec(rest);
    if (!m || (out.length === 0 && m[0].startsWith('.'))) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined || m[4] !== undefined) out.push(m[3] ?? m[4] ?? '');
    else out.push(ALL);
    rest = rest.slice(m[0].length);
  }
  return out;
}

function join(base: string, segments: Segment[]): string {
  let out = base;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (s === ALL) out += '[*]';
    else out += /^[A-Za-z_$][\w$]*$/.test(s) ? (out === '' ? s : `.${s}`) : `['${s}']`;
  }
  return out;
}

function walk(value: unknown, segments: Segment[]): unknown {
  let v = value;
  for (const s of segments) {
    if (v === null || typeof v !== 'object' || s === ALL) return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

/** `walk` for one path, made once: paths of one or two keys (most of them) without a loop. */
function walker(segments: Segment[]): (value: unknown) => unknown {
  if (segments.includes(ALL)) return () => undefined;
  const [a, b] = segments as (string | number)[];
  if (segments.length === 1 && a !== undefined) {
    return (v) => (v === null || typeof v !== 'object' ? undefined : (v as Indexed)[a]);
  }
  if (segments.length === 2 && a !== undefined && b !== undefined) {
    return (v) => {
      if (v === null || typeof v !== 'object') return undefined;
      const w = (v as Indexed)[a];
      return w === null || typeof w !== 'object' ? undefined : (w as Indexed)[b];
    };
  }
  return (v) => walk(v, segments);
}

type Indexed = Record<string | number, unknown>;

/**
 * A selection path compiled: the items it reaches, `[*]` going through every item of a list. The
 * path is cut at each `[*]` once, here, with the text each piece adds to an item's path.
 */
function reacher(segments: Segment[]): (scope: JsonScope) => JsonScope[] {
  const pieces: { walk: (value: unknown) => unknown; fromRoot: string; fromItem: string }[] = [];
  for (let from = 0; ;) {
    const at = segments.indexOf(ALL, from);
    const head = segments.slice(from, at < 0 ? undefined : at);
    pieces.push({
      walk: walker(head),
      fromRoot: join('', head),
      fromItem: join('x', head).slice(1),
    });
    if (at < 0) break;
    from = at + 1;
  }
  const reach = (scope: JsonScope, p: number): JsonScope[] => {
    const piece = pieces[p] as (typeof pieces)[number];
    const v = piece.walk(scope.value);
    const path = scope.path === '' ? piece.fromRoot : scope.path + piece.fromItem;
    if (v === null || v === undefined) return [];
    const last = p === pieces.length - 1;
    let items: JsonScope[];
    if (Array.isArray(v)) {
      items = new Array<JsonScope>(v.length);
      for (let i = 0; i < v.length; i++) {
        items[i] = { value: v[i], path: `${path}[${i}]`, row: scope.row };
      }
    } else items = [{ value: v, path, row: scope.row }];
    if (last) {
      if (Array.isArray(v) || isObject(v)) return items;
      throw new MappingValueError(`${path} is one value, not an object or a list`);
    }
    const out: JsonScope[] = [];
    for (const item of items) for (const found of reach(item, p + 1)) out.push(found);
    return out;
  };
  return (scope) => reach(scope, 0);
}

/** `text.trim() === ''` without making the trimmed copy of a long line. */
function isBlank(text: string): boolean {
  const c = text.charCodeAt(0);
  // A JSON record starts with '{'; anything else is left to trim.
  return c !== 123 && text.trim() === '';
}

async function* rowBatchesOf<T>(rows: AsyncIterable<T>): AsyncGenerator<T[]> {
  for await (const row of rows) yield [row];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class JsonAdapter implements FormatAdapter<JsonScope> {
  readonly shape = 'tree';
  readonly kinds: readonly string[] = [];

  constructor(
    private readonly lined: boolean,
    private readonly input: {
      encoding?: string;
      maxLineChars?: number;
      records?: string | undefined;
    },
  ) {}

  source(ref: string): Reader<JsonScope> | string {
    const segments = parseJsonPath(ref);
    if (!segments || segments.length === 0)
      return `'${ref}' is not a JSON path such as name.first or guardians[0].first`;
    const at = walker(segments);
    return {
      read: (scope): Value => {
        const v = at(scope.value);
        if (v === null || v === undefined) return undefined;
        if (typeof v === 'object')
          throw new MappingValueError(
            `is ${Array.isArray(v) ? 'a list' : 'an object'}, not one value`,
          );
        return v as Value;
      },
      label: (scope) => join(scope.path, segments),
    };
  }

  select(ref: string): ((scope: JsonScope) => JsonScope[]) | string {
    const segments = parseJsonPath(ref);
    if (!segments || segments.length === 0)
      return `'${ref}' is not a JSON path such as enrollments`;
    return reacher(segments);
  }

  rowOf(scope: JsonScope): number {
    return scope.row;
  }

  rows(input: Input): AsyncIterable<SourceRow<JsonScope>> {
    return this.lined ? flatten(this.lineBatches(input)) : this.arrayRows(input);
  }

  batches(input: Input): AsyncIterable<SourceRow<JsonScope>[]> {
    return this.lined ? this.lineBatches(input) : rowBatchesOf(this.arrayRows(input));
  }

  private async *lineBatches(input: Input): AsyncGenerator<SourceRow<JsonScope>[]> {
    let first = true;
    const text = textChunks(input, this.input.encoding ?? 'utf-8');
    for await (const batch of lineBatches(text, this.input.maxLineChars ?? 10_000_000)) {
      const out: SourceRow<JsonScope>[] = [];
      for (const { line, text: json } of batch) {
        if (isBlank(json)) continue;
        let value: unknown;
        let reason: string | undefined;
        try {
          value = JSON.parse(json);
          if (!isObject(value))
            reason = `is not a JSON object (it is ${Array.isArray(value) ? 'a list' : typeof value})`;
        } catch (e) {
          reason = `is not JSON: ${(e as Error).message}`;
        }
        if (reason !== undefined && first) {
          if (out.length > 0) yield out;
          throw new FileRefusedError(`line ${line} ${reason}: this is not a JSON Lines file`, line);
        }
        first = false;
        out.push(
          reason === undefined
            ? { row: line, scope: { value, path: '', row: line } }
            : { row: line, problems: [{ row: line, reason }] },
        );
      }
      if (out.length > 0) yield out;
    }
  }

  private async *arrayRows(input: Input): AsyncGenerator<SourceRow<JsonScope>> {
    const records = this.input.records?.replace(/^\$\.?/, '');
    const stages: NodeJS.ReadWriteStream[] = [Parser.parser()];
    let picked = false;
    if (records) {
      const pick = Pick.pick({ filter: records });
      pick.once('data', () => (picked = true));
      stages.push(pick);
    }
    const array = StreamArray.streamArray();
    pipeline([Readable.from(textChunks(input, 'utf-8')), ...stages, array], () => undefined);
    let index = 0;
    try {
      for await (const { value } of array as AsyncIterable<{ value: unknown }>) {
        index++;
        yield isObject(value)
          ? { row: index, scope: { value, path: '', row: index } }
          : { row: index, problems: [{ row: index, reason: 'is not a JSON object' }] };
      }
    } catch (e) {
      if (e instanceof FileRefusedError) throw e;
      throw new FileRefusedError(`is not the JSON the mapping describes: ${(e as Error).message}`);
    }
    if (records && !picked)
      throw new FileRefusedError(`has no array at '${records}' (input.records)`);
  }
}
