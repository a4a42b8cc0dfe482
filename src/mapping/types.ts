/**
 * What the mapping engine gives the ingest pipeline (DESIGN.md section 5), and the internal shapes
 * that the format readers (formats/*.ts) and the field compiler (fields.ts) share.
 */
import type { ExchangeDocument } from '../exchange/types.js';
import type { MappedSurveyRecord } from './survey-response.js';

export type MappingFormat = 'csv' | 'fixed-width' | 'xml' | 'json' | 'jsonl';

export interface CompiledMapping {
  /** What the mapping makes; absent or `exchange-document` for this interface. */
  target?: 'exchange-document';
  /** File base name, e.g. `ca-csv`. */
  name: string;
  format: MappingFormat;
  /** The state the mapping is for, if it says. */
  state?: string;
  /**
   * Streams the input and yields one result per child (group of rows), in file order. Throws
   * FileRefusedError (possibly after some results, e.g. a JSON document that breaks off) when the
   * file cannot be read at all: then none of it may be stored.
   */
  read(
    input: NodeJS.ReadableStream | Buffer,
    options: { fileName: string },
  ): AsyncIterable<MappedRecord>;
}

/** A `target: survey-response` mapping: one anonymous survey respondent per row. */
export interface CompiledSurveyMapping {
  target: 'survey-response';
  name: string;
  format: MappingFormat;
  state?: string;
  /** Streams the input: one result per row, in file order; throws FileRefusedError like `read`. */
  read(
    input: NodeJS.ReadableStream | Buffer,
    options: { fileName: string },
  ): AsyncIterable<MappedSurveyRecord>;
}

export type AnyCompiledMapping = CompiledMapping | CompiledSurveyMapping;

/**
 * One child of the file. A `delete` document holds only the student's key fields
 * (`stateStudentId`, and `stateStudentIdType` when mapped) and empty lists. A reject lists every
 * problem of the child's rows. `key` is the grouping key when the mapping has one, otherwise the
 * mapped `student.stateStudentId`.
 */
export type MappedRecord =
  | {
      kind: 'document';
      /** First row, line or record number of the group, 1-based (CSV: the file line). */
      row: number;
      rows: number[];
      key: string;
      action: 'upsert' | 'delete';
      document: ExchangeDocument;
    }
  | { kind: 'reject'; row: number; key?: string; errors: MappingProblem[] };

export interface MappingProblem {
  row: number;
  /** Source field as named in the file: column name, positions "12-19", XPath, JSON path. */
  field?: string;
  /** Exchange path, e.g. `enrollments[1].grade`. */
  target?: string;
  /** The offending value, at most 80 characters. */
  value?: string;
  reason: string;
}

/** A value read from a file: text (CSV, fixed-width, XML), or a JSON scalar. */
export type Value = string | number | boolean | undefined;

/** A compiled source reference: reads one value from a scope of the file. */
export interface Reader<S> {
  /** May throw MappingValueError (e.g. an XPath that matches two elements). */
  read(scope: S): Value;
  /** How the source field is named in a problem (column, positions, XPath, JSON path). */
  label(scope: S): string;
}

/** Where a source reference is resolved: fixed-width record type whose layout names apply. */
export interface SourceContext {
  kind?: string | undefined;
}

/** One row of the file: a CSV record, a fixed-width line, an XML record element, a JSON record. */
export interface SourceRow<S> {
  row: number;
  /** Fixed-width record type. */
  kind?: string | undefined;
  /** Absent when the row could not be read at all (a JSON line that is not JSON). */
  scope?: S | undefined;
  /** What is wrong with the row itself (too few columns, a line cut short). */
  problems?: MappingProblem[] | undefined;
}

/**
 * What a format gives the compiler and the engine. `flat` formats (CSV, fixed-width) have rows
 * without structure; `tree` formats (XML, JSON) select nested items with paths.
 */
export interface FormatAdapter<S> {
  readonly shape: 'flat' | 'tree';
  /** Compiles a source reference, or answers why it is wrong. */
  source(ref: string, context: SourceContext): Reader<S> | string;
  /** Compiles a path that selects nested items (tree formats only), or answers why it is wrong. */
  select(ref: string): ((scope: S) => S[]) | string;
  rowOf(scope: S): number;
  /** Called once after compiling: the file-level checks that need every reference known. */
  rows(input: NodeJS.ReadableStream | Buffer, fileName: string): AsyncIterable<SourceRow<S>>;
  /**
   * The same rows, a chunk of the file at a time (formats that read lines and records themselves).
   * A chunk that breaks off with an error is given with the rows before the error first; the error
   * is thrown on the next pull, as `rows` throws it after those rows.
   */
  batches?(input: NodeJS.ReadableStream | Buffer, fileName: string): AsyncIterable<SourceRow<S>[]>;
  /** Record types a fixed-width layout declares (empty for other formats). */
  readonly kinds: readonly string[];
}

/** An adapter's rows a batch at a time: its own batches, or its rows one by one. */
export async function* rowBatches<S>(
  adapter: FormatAdapter<S>,
  input: NodeJS.ReadableStream | Buffer,
  fileName: string,
): AsyncGenerator<SourceRow<S>[]> {
  if (adapter.batches) {
    yield* adapter.batches(input, fileName);
    return;
  }
  for await (const row of adapter.rows(input, fileName)) yield [row];
}

/** Rows one at a time from batches (for `rows` of an adapter that makes batches). */
export async function* flatten<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
