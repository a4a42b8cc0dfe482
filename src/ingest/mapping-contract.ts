/**
 * What ingest needs from the mapping engine (src/mapping/), in one place: the CompiledMapping
 * interface, the refusal error, and loading a mapping file.
 *
 * The engine is being written alongside this pipeline. Until `src/mapping/index.ts` is in the
 * tree, its types are restated here and the module is imported at run time, so ingest compiles
 * and its tests run against a fake mapping; once it is, this file re-exports the engine's own
 * types and imports it statically (a change to this file only).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExchangeDocument } from '../exchange/types.js';

export interface MappingProblem {
  row: number;
  field?: string;
  target?: string;
  value?: string;
  reason: string;
}

export type MappedRecord =
  | {
      kind: 'document';
      row: number;
      rows: number[];
      key: string;
      action: 'upsert' | 'delete';
      document: ExchangeDocument;
    }
  | { kind: 'reject'; row: number; key?: string; errors: MappingProblem[] };

export interface CompiledMapping {
  name: string;
  format: 'csv' | 'fixed-width' | 'xml' | 'json' | 'jsonl';
  state?: string;
  read(
    input: NodeJS.ReadableStream | Buffer,
    options: { fileName: string },
  ): AsyncIterable<MappedRecord>;
}

export interface MappingFileProblem {
  file: string;
  line?: number;
  column?: number;
  path: string;
  message: string;
}

/** The engine's FileRefusedError: the file cannot be read as a whole. */
export interface FileRefusal extends Error {
  reason: string;
  line?: number;
}

/** The engine's MappingFileError: the mapping file itself is wrong. */
export interface MappingFileFailure extends Error {
  problems: MappingFileProblem[];
}

function isNamed(err: unknown, name: string): err is Error {
  if (!(err instanceof Error)) return false;
  return err.name === name || err.constructor.name === name;
}

export function isFileRefusedError(err: unknown): err is FileRefusal {
  return isNamed(err, 'FileRefusedError');
}

export function isMappingFileError(err: unknown): err is MappingFileFailure {
  return isNamed(err, 'MappingFileError') && Array.isArray((err as MappingFileFailure).problems);
}

/** Thrown when the mapping engine is not part of this build. */
export class MappingEngineUnavailableError extends Error {
  override readonly name = 'MappingEngineUnavailableError';
}

interface MappingEngine {
  loadMapping(file: string): Promise<CompiledMapping>;
}

const engineUrl = new URL('../mapping/index.ts', import.meta.url);

async function engine(): Promise<MappingEngine> {
  if (!existsSync(fileURLToPath(engineUrl))) {
    throw new MappingEngineUnavailableError(
      'the mapping engine (src/mapping) is not part of this build',
    );
  }
  return (await import(engineUrl.href)) as MappingEngine;
}

/** Loads and compiles a mapping file; throws the engine's MappingFileError when it is wrong. */
export async function loadMappingFile(file: string): Promise<CompiledMapping> {
  return (await engine()).loadMapping(file);
}
