/**
 * What ingest needs from the mapping engine (src/mapping/), in one place: the CompiledMapping
 * interface, recognizing its errors, and loading a mapping file.
 */
import {
  FileRefusedError,
  loadAnyMapping,
  loadMapping,
  MappingFileError,
} from '../mapping/index.js';
import type { AnyCompiledMapping, CompiledMapping } from '../mapping/index.js';

export type {
  AnyCompiledMapping,
  CompiledMapping,
  CompiledSurveyMapping,
  MappedRecord,
  MappingProblem,
} from '../mapping/index.js';
export type MappingFileProblem = MappingFileError['problems'][number];

/** The engine's FileRefusedError: the file cannot be read as a whole. */
export interface FileRefusal extends Error {
  reason: string;
  line?: number;
}

export function isFileRefusedError(err: unknown): err is FileRefusal {
  return err instanceof FileRefusedError;
}

export function isMappingFileError(err: unknown): err is MappingFileError {
  return err instanceof MappingFileError;
}

/** The engine's FileRefusedError, made again from what a worker thread sent of one. */
export function fileRefusedError(reason: string, line: number | undefined, message: string) {
  const err = new FileRefusedError(reason, line);
  err.message = message;
  return err;
}

/** The file each mapping loaded here came from, so a worker thread can load it again. */
const mappingFiles = new WeakMap<object, string>();

/** The file `mapping` was loaded from by loadMappingFile; undefined for one made otherwise. */
export function mappingFileOfMapping(mapping: object): string | undefined {
  return mappingFiles.get(mapping);
}

/** Loads and compiles a mapping file; throws MappingFileError when the file is wrong. */
export async function loadMappingFile(file: string): Promise<CompiledMapping> {
  const mapping = await loadMapping(file);
  mappingFiles.set(mapping, file);
  return mapping;
}

/** Loads a mapping of either target kind (exchange documents or survey responses). */
export function loadAnyMappingFile(file: string): Promise<AnyCompiledMapping> {
  return loadAnyMapping(file);
}
