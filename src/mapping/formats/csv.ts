/**
 * CSV (RFC 4180 and its relatives): a header row or a declared column list, any delimiter and
 * quote, any encoding. Records stream one at a time (csv-records.ts). A record with the wrong
 * number of fields is a problem of that row only; a file whose header lacks the columns the
 * mapping reads, or that is not CSV at all (csv-records.ts), is refused whole.
 */
import { z } from 'zod';
import { encoding, positiveInt, strict } from '../definition.js';
import { FileRefusedError } from '../errors.js';
import { textChunks, type Input } from '../input/decode.js';
import { flatten, type FormatAdapter, type Reader, type SourceRow } from '../types.js';
import { csvRecordBatches, CsvSyntaxError } from './csv-records.js';

export const trimOption = z.enum(['none', 'left', 'right', 'both']);
export type TrimOption = z.infer<typeof trimOption>;

export const csvInput = strict({
  encoding,
  delimiter: z.string().min(1).default(','),
  /** null: fields are never quoted. */
  quote: z.union([z.string().length(1), z.null()]).default('"'),
  /** The character that escapes a quote inside a quoted field (default: the quote, doubled). */
  escape: z.string().length(1).optional(),
  header: z.boolean().default(true),
  /** With a header: columns it must have. Without: the name of every column, in order. */
  columns: z.array(z.string().min(1)).optional(),
  trim: trimOption.default('none'),
  maxRecordChars: positiveInt.default(1_000_000),
}).refine((i) => i.header || i.columns !== undefined, {
  error: 'without a header row, input.columns must name every column',
});

export type CsvInput = z.infer<typeof csvInput>;

export function trimmer(option: TrimOption): (value: string) => string {
  switch (option) {
    case 'none':
      return (v) => v;
    case 'left':
      return (v) => v.trimStart();
    case 'right':
      return (v) => v.trimEnd();
    case 'both':
      return (v) => v.trim();
  }
}

export interface CsvRow {
  row: number;
  cells: string[];
  /** Slot (a column the mapping reads) → index in `cells`, the same for every row of a file. */
  index: Int32Array;
}

const listed = (names: string[]) =>
  names.length <= 10
    ? names.join(', ')
    : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`;

export class CsvAdapter implements FormatAdapter<CsvRow> {
  readonly shape = 'flat';
  readonly kinds: readonly string[] = [];
  private readonly slots = new Map<string, number>();
  private readonly trim: (value: string) => string;

  constructor(private readonly input: CsvInput) {
    this.trim = trimmer(input.trim);
  }

  source(ref: string): Reader<CsvRow> | string {
    if (this.input.columns && !this.input.columns.includes(ref)) {
      return `no column '${ref}' in input.columns`;
    }
    let slot = this.slots.get(ref);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(ref, slot);
    }
    const at = slot;
    const trim = this.trim;
    return {
      read: (r) => {
        const i = r.index[at] ?? -1;
        const cell = i < 0 ? undefined : r.cells[i];
        return cell === undefined ? undefined : trim(cell);
      },
      label: () => ref,
    };
  }

  select(): string {
    return 'a CSV row has no nested items: use `each: rows` at the top of a list, or nothing';
  }

  rowOf(scope: CsvRow): number {
    return scope.row;
  }

  /** Column index of every slot, from the header (or the declared columns). */
  private bind(names: string[], line: number): Int32Array {
    const index = new Int32Array(this.slots.size).fill(-1);
    const missing: string[] = [];
    for (const [name, slot] of this.slots) {
      const at = names.indexOf(name);
      if (at < 0) missing.push(name);
      else if (names.indexOf(name, at + 1) >= 0) {
        throw new FileRefusedError(`the header has the column ${name} twice`, line);
      } else index[slot] = at;
    }
    if (this.slots.size > 0 && missing.length === this.slots.size) {
      throw new FileRefusedError(
        `no column of the header matches the mapping (it reads ${listed(missing)}): ` +
          'this is not the CSV file the mapping describes',
        line,
      );
    }
    const required = (this.input.header ? this.input.columns : undefined) ?? [];
    missing.push(...required.filter((c) => !names.includes(c) && !this.slots.has(c)));
    if (missing.length > 0) {
      throw new FileRefusedError(`the header lacks the column(s) ${listed(missing)}`, line);
    }
    return index;
  }

  rows(input: Input): AsyncIterable<SourceRow<CsvRow>> {
    return flatten(this.batches(input));
  }

  async *batches(input: Input): AsyncGenerator<SourceRow<CsvRow>[]> {
    const { delimiter, quote, escape, maxRecordChars } = this.input;
    const records = csvRecordBatches(textChunks(input, this.input.encoding), {
      delimiter,
      quote,
      escape,
      maxRecordChars,
    });
    let index: Int32Array | undefined;
    let width = 0;
    if (!this.input.header) {
      const columns = this.input.columns ?? [];
      index = this.bind(columns, 0);
      width = columns.length;
    }
    const expected = this.input.header ? 'the header has' : 'the mapping declares';
    try {
      for await (const batch of records) {
        const out: SourceRow<CsvRow>[] = [];
        try {
          for (const { fields, line: row } of batch) {
            if (index === undefined) {
              const names = fields.map((h) => h.trim());
              index = this.bind(names, row);
              width = names.length;
              continue;
            }
            const scope: CsvRow = { row, cells: fields, index };
            if (fields.length === width) out.push({ row, scope });
            else {
              const reason = `has ${fields.length} field${fields.length === 1 ? '' : 's'}; ${expected} ${width}`;
              out.push({ row, scope, problems: [{ row, reason }] });
            }
          }
        } catch (e) {
          if (out.length > 0) yield out;
          throw e;
        }
        if (out.length > 0) yield out;
      }
    } catch (e) {
      if (e instanceof CsvSyntaxError) {
        throw new FileRefusedError(`is not readable as CSV: ${e.message}`, e.line);
      }
      throw e;
    }
    if (index === undefined) throw new FileRefusedError('is empty: it has no header row');
  }
}
