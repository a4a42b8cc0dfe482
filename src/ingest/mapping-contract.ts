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

/** Loads and compiles a mapping file; throws MappingFileError when the file is wrong. */
export function loadMappingFile(file: string): Promise<CompiledMapping> {
  return loadMapping(file);
}

/** Loads a mapping of either target kind (exchange documents or survey responses). */
export function loadAnyMappingFile(file: string): Promise<AnyCompiledMapping> {
  return loadAnyMapping(file);
}
