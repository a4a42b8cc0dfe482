/**
 * Fixed-width records: positions 1-based and inclusive, as state manuals print them (`88-95`),
 * counted in characters of the decoded line (bytes, for a single-byte encoding such as
 * ISO-8859-1). Several record types may share a file, told apart by the code at `recordType`
 * (a student line followed by its enrollment and course lines). Lines stream one at a time; a line
 * cut short, or of a type the layout does not know, is a problem of that line only.
 */
import { z } from 'zod';
import { encoding, positiveInt, strict } from '../definition.js';
import { FileRefusedError } from '../errors.js';
import { textChunks, type Input } from '../input/decode.js';
import { lineBatches } from '../input/lines.js';
import {
  flatten,
  type FormatAdapter,
  type Reader,
  type SourceContext,
  type SourceRow,
} from '../types.js';
import type { Path } from '../yaml-source.js';
import { trimOption, trimmer } from './csv.js';

const position = z.union(
  [
    positiveInt,
    z.string().regex(/^\d+\s*(-\s*\d+)?$/),
    strict({ start: positiveInt, length: positiveInt }),
    strict({ start: positiveInt, end: positiveInt }),
  ],
  { error: "must be positions such as '88-95', a position such as 17, or { start, length }" },
);
type Position = z.infer<typeof position>;
const layout = z.record(z.string(), position);

export const fixedWidthInput = strict({
  encoding,
  /** When set, every line must be exactly this long. */
  recordLength: positiveInt.optional(),
  /** Positions of the record-type code; then `records` gives a layout per code. */
  recordType: position.optional(),
  records: z.record(z.string(), layout.default({})).optional(),
  /** The layout of a file with one record type. */
  layout: layout.optional(),
  /** Record types to skip (headers, trailers). */
  ignore: z.array(z.string()).default([]),
  trim: trimOption.default('right'),
  maxLineChars: positiveInt.default(100_000),
}).refine((i) => (i.recordType === undefined) === (i.records === undefined), {
  error: 'recordType and records go together: the positions of the code, and a layout per code',
});

export type FixedWidthInput = z.infer<typeof fixedWidthInput>;

interface Span {
  start: number;
  end: number;
}

export interface FixedWidthLine {
  row: number;
  kind?: string | undefined;
  text: string;
}

const POSITIONS = /^(\d+)\s*(?:-\s*(\d+))?$/;

/** `88-95`, or `17` for one position: how a problem names a field. */
function labelOf({ start, end }: Span): string {
  return start === end ? String(start) : `${start}-${end}`;
}

/** What String.prototype.trimEnd removes: white space and line terminators (ECMAScript). */
function isTrimmed(c: number): boolean {
  if (c === 32) return true;
  if (c < 160) return c >= 9 && c <= 13;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function spanOf(p: Position): Span | string {
  if (typeof p === 'number') return { start: p, end: p };
  if (typeof p === 'string') {
    const m = POSITIONS.exec(p);
    const start = Number(m?.[1]);
    const end = m?.[2] === undefined ? start : Number(m[2]);
    return end < start ? `ends (${end}) before it starts (${start})` : { start, end };
  }
  if ('length' in p) return { start: p.start, end: p.start + p.length - 1 };
  return p.end < p.start ? `ends (${p.end}) before it starts (${p.start})` : p;
}

export class FixedWidthAdapter implements FormatAdapter<FixedWidthLine> {
  readonly shape = 'flat';
  readonly kinds: readonly string[];
  private readonly layouts = new Map<string, Map<string, Span>>();
  /** The last position each record type must reach (its declared and read fields). */
  private readonly reach = new Map<string, number>();
  private readonly typeSpan: Span | undefined;
  private readonly trim: (value: string) => string;
  private readonly known: ReadonlySet<string>;

  constructor(
    private readonly input: FixedWidthInput,
    problem: (at: Path, message: string) => undefined,
  ) {
    this.trim = trimmer(input.trim);
    this.kinds = Object.keys(input.records ?? {});
    this.known = new Set(this.kinds);
    const span = (p: Position, at: Path): Span | undefined => {
      const s = spanOf(p);
      if (typeof s === 'string') return problem(at, s);
      if (input.recordLength !== undefined && s.end > input.recordLength) {
        return problem(at, `runs to ${s.end}, past the record length ${input.recordLength}`);
      }
      return s;
    };
    if (input.recordType !== undefined)
      this.typeSpan = span(input.recordType, ['input', 'recordType']);
    const declared: [string, Record<string, Position>, Path][] = input.records
      ? Object.entries(input.records).map(([k, l]) => [k, l, ['input', 'records', k]])
      : [['', input.layout ?? {}, ['input', 'layout']]];
    for (const [kind, fields, at] of declared) {
      const spans = new Map<string, Span>();
      for (const [name, p] of Object.entries(fields)) {
        const s = span(p, [...at, name]);
        if (s) spans.set(name, s);
      }
      this.layouts.set(kind, spans);
      this.reach.set(kind, Math.max(0, ...[...spans.values()].map((s) => s.end)));
    }
  }

  source(ref: string, context: SourceContext): Reader<FixedWidthLine> | string {
    const kind = context.kind ?? '';
    let s: Span | undefined;
    if (POSITIONS.test(ref)) {
      const parsed = spanOf(ref);
      if (typeof parsed === 'string') return parsed;
      s = parsed;
    } else {
      const layout = this.layouts.get(kind);
      if (!layout) {
        return `'${ref}' is a field name, but no record type is in effect here (give positions, or a record type with from/each)`;
      }
      s = layout.get(ref);
      if (!s) {
        const where =
          kind === '' ? 'input.layout' : `the ${kind} record layout (input.records.${kind})`;
        return `no field '${ref}' in ${where}`;
      }
    }
    if (this.input.recordLength !== undefined && s.end > this.input.recordLength) {
      return `runs to ${s.end}, past the record length ${this.input.recordLength}`;
    }
    for (const k of kind === '' ? [...this.reach.keys()] : [kind]) {
      this.reach.set(k, Math.max(this.reach.get(k) ?? 0, s.end));
    }
    const { start, end } = s;
    const label = labelOf(s);
    const trim = this.trim;
    // All blanks is an absent value, whatever the trim option keeps of other values.
    const blank = this.input.trim === 'right' || this.input.trim === 'both' ? undefined : /^ *$/;
    if (this.input.trim === 'right') {
      // The common layout (blank-padded text): the end found in the line, then one slice,
      // rather than a slice and its trimmed copy.
      return {
        read: (line) => {
          const text = line.text;
          const from = start - 1;
          let to = end < text.length ? end : text.length;
          while (to > from && isTrimmed(text.charCodeAt(to - 1))) to--;
          return to <= from ? undefined : text.slice(from, to);
        },
        label: () => label,
      };
    }
    return {
      read: (line) => {
        const value = trim(line.text.slice(start - 1, end));
        return value === '' || blank?.test(value) ? undefined : value;
      },
      label: () => label,
    };
  }

  select(): string {
    return 'a fixed-width line has no nested items: use `each: <record type>` at the top of a list';
  }

  rowOf(scope: FixedWidthLine): number {
    return scope.row;
  }

  rows(input: Input): AsyncIterable<SourceRow<FixedWidthLine>> {
    return flatten(this.batches(input));
  }

  async *batches(input: Input): AsyncGenerator<SourceRow<FixedWidthLine>[]> {
    const chunks = textChunks(input, this.input.encoding);
    const state = { first: true };
    for await (const batch of lineBatches(chunks, this.input.maxLineChars)) {
      const out: SourceRow<FixedWidthLine>[] = [];
      try {
        for (const { line, text } of batch) this.row(line, text, state, out);
      } catch (e) {
        if (out.length > 0) yield out;
        throw e;
      }
      if (out.length > 0) yield out;
    }
  }

  private row(
    line: number,
    text: string,
    state: { first: boolean },
    out: SourceRow<FixedWidthLine>[],
  ): void {
    const { recordLength, ignore } = this.input;
    const typeSpan = this.typeSpan;
    if (text === '') return;
    const kind = typeSpan ? text.slice(typeSpan.start - 1, typeSpan.end).trimEnd() : undefined;
    if (kind !== undefined && ignore.includes(kind)) return;
    const scope: FixedWidthLine = { row: line, kind, text };
    const problems: { row: number; field?: string; reason: string }[] = [];
    if (kind !== undefined && !this.known.has(kind)) {
      const at = typeSpan ? labelOf(typeSpan) : '';
      const reason = `record type '${kind}' (at ${at}) is none of ${this.kinds.join(', ')}`;
      // A first line of no known type: this is not the file the layout describes.
      if (state.first)
        throw new FileRefusedError(
          `${reason}: this is not the fixed-width file the mapping describes`,
          line,
        );
      problems.push({ row: line, field: at, reason });
    } else if (recordLength !== undefined && text.length !== recordLength) {
      problems.push({
        row: line,
        reason: `is ${text.length} characters long; every record is ${recordLength}${text.length < recordLength ? ' (the line is cut short)' : ''}`,
      });
    } else {
      const reach = this.reach.get(kind ?? '') ?? 0;
      if (text.length < reach) {
        problems.push({
          row: line,
          reason:
            `is cut short: ${text.length} characters, and the ${kind ?? ''} record's fields run to ${reach}`.replace(
              'the  record',
              'the record',
            ),
        });
      }
    }
    state.first = false;
    out.push(
      problems.length > 0 ? { row: line, kind, scope, problems } : { row: line, kind, scope },
    );
  }
}
