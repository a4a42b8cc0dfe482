/**
 * CSV records from text chunks (RFC 4180 and its relatives: any delimiter, any quote, a separate
 * escape character, LF, CRLF or CR line ends, quoted fields over several lines).
 *
 * Why not csv-parse: on the California layout (48 quoted columns) csv-parse 7 read about 30,000
 * records a second and took two thirds of the mapping's time; scanning with indexOf and slices
 * is several times faster, and the grammar is small enough to hold here, with its tests.
 *
 * Strict where a lenient parser would guess: a quote inside an unquoted field, text after a
 * closing quote, or a quote never closed is a syntax error (the file is refused: what follows
 * cannot be trusted), never a best effort. Only one record is held at a time (at most
 * `maxRecordChars` characters), however large the file.
 */

export interface CsvDialect {
  delimiter: string;
  /** null: fields are never quoted. */
  quote: string | null;
  /** Escapes a quote inside a quoted field; the quote itself (doubled quotes) by default. */
  escape?: string | undefined;
  maxRecordChars: number;
}

export interface CsvRecord {
  fields: string[];
  /** The line the record starts on, from 1. */
  line: number;
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

interface Parsed {
  fields: string[];
  next: number;
  newlines: number;
}

const LF = 10;
const CR = 13;

/** A parser of one record at `start` of `buf`; undefined when `buf` ends inside it (and !eof). */
function recordParser(
  d: CsvDialect,
): (buf: string, start: number, eof: boolean, line: number) => Parsed | undefined {
  const delim = d.delimiter;
  const d0 = delim.charCodeAt(0);
  const single = delim.length === 1;
  const quote = d.quote ?? '';
  const q0 = d.quote === null ? -1 : quote.charCodeAt(0);
  const escape = d.escape ?? quote;
  const doubled = escape === quote;
  const isDelim = (buf: string, i: number) =>
    buf.charCodeAt(i) === d0 && (single || buf.startsWith(delim, i));

  return (buf, start, eof, line) => {
    const n = buf.length;
    const fields: string[] = [];
    let i = start;
    let newlines = 0;
    // The next LF at or after i, found once and moved on only past it: quoted fields on several
    // lines are counted without scanning each field to the end of its line.
    let nextLf = -2;
    const linesUpTo = (to: number) => {
      if (nextLf === -2 || (nextLf >= 0 && nextLf < i)) nextLf = buf.indexOf('\n', i);
      while (nextLf >= 0 && nextLf < to) {
        newlines++;
        nextLf = buf.indexOf('\n', nextLf + 1);
      }
    };
    for (;;) {
      let value: string;
      if (buf.charCodeAt(i) === q0) {
        value = '';
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf(quote, j);
          const e = doubled ? -1 : buf.indexOf(escape, j);
          if (e >= 0 && (q < 0 || e < q)) {
            // An escape character: the next character is taken as it is.
            if (e + 1 >= n) {
              if (eof)
                throw new CsvSyntaxError('the file ends inside a quoted field', line + newlines);
              return undefined;
            }
            value += buf.slice(j, e) + buf.charAt(e + 1);
            j = e + 2;
            continue;
          }
          if (q < 0) {
            if (eof) throw new CsvSyntaxError('a quoted field is never closed', line + newlines);
            return undefined;
          }
          if (doubled) {
            if (q + 1 >= n && !eof) return undefined; // a doubled quote may follow in the next chunk
            if (buf.charCodeAt(q + 1) === q0) {
              value += buf.slice(j, q + 1);
              j = q + 2;
              continue;
            }
          }
          value += buf.slice(j, q);
          linesUpTo(q);
          i = q + 1;
          break;
        }
        if (i < n && !isDelim(buf, i) && buf.charCodeAt(i) !== LF && buf.charCodeAt(i) !== CR) {
          // A delimiter of several characters may be cut by the end of the chunk.
          if (!eof && delim.startsWith(buf.slice(i))) return undefined;
          throw new CsvSyntaxError(
            `text after a closing quote (${JSON.stringify(buf.slice(i, i + 10))})`,
            line + newlines,
          );
        }
      } else {
        let j = i;
        for (; j < n; j++) {
          const c = buf.charCodeAt(j);
          if (c === d0 && (single || buf.startsWith(delim, j))) break;
          if (c === LF || c === CR) break;
          if (c === q0) {
            throw new CsvSyntaxError(
              `a quote inside an unquoted field (${JSON.stringify(buf.slice(i, j + 1))})`,
              line + newlines,
            );
          }
        }
        if (j >= n && !eof) return undefined;
        value = buf.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (i >= n) {
        if (!eof) return undefined;
        return { fields, next: i, newlines };
      }
      if (isDelim(buf, i)) {
        i += delim.length;
        continue;
      }
      if (buf.charCodeAt(i) === CR) {
        if (i + 1 >= n && !eof) return undefined; // CRLF may be split between chunks
        i += buf.charCodeAt(i + 1) === LF ? 2 : 1;
      } else i++;
      return { fields, next: i, newlines: newlines + 1 };
    }
  };
}

/** The records of the text, one at a time; empty lines are skipped. */
export async function* csvRecords(
  chunks: AsyncIterable<string>,
  dialect: CsvDialect,
): AsyncGenerator<CsvRecord> {
  for await (const batch of csvRecordBatches(chunks, dialect)) yield* batch;
}

/**
 * The records of the text, the ones each chunk completes at a time: the same records as
 * csvRecords. A syntax error gives the records before it first, then is thrown.
 */
export async function* csvRecordBatches(
  chunks: AsyncIterable<string>,
  dialect: CsvDialect,
): AsyncGenerator<CsvRecord[]> {
  const parse = recordParser(dialect);
  let buf = '';
  let line = 1;
  const drain = (eof: boolean, out: CsvRecord[]): void => {
    let at = 0;
    while (at < buf.length) {
      const parsed = parse(buf, at, eof, line);
      if (!parsed) break;
      const empty = parsed.fields.length === 1 && parsed.fields[0] === '' && parsed.next - at <= 2;
      if (!empty) out.push({ fields: parsed.fields, line });
      line += parsed.newlines;
      at = parsed.next;
    }
    buf = buf.slice(at);
    if (buf.length > dialect.maxRecordChars) {
      throw new CsvSyntaxError(
        `a record is longer than ${dialect.maxRecordChars} characters (input.maxRecordChars)`,
        line,
      );
    }
  };
  const batch = function* (eof: boolean): Generator<CsvRecord[]> {
    const out: CsvRecord[] = [];
    try {
      drain(eof, out);
    } catch (e) {
      if (out.length > 0) yield out;
      throw e;
    }
    if (out.length > 0) yield out;
  };
  for await (const chunk of chunks) {
    buf = buf === '' ? chunk : buf + chunk;
    yield* batch(false);
  }
  yield* batch(true);
}
