/**
 * The mapping engine (DESIGN.md section 5): a state's declarative mapping (mappings/*.yaml,
 * reference in mappings/README.md) compiled once into a function from the state's native file to
 * exchange documents. The pipeline validates and links what `read()` yields.
 */
export { compileAnyMapping, compileMapping, loadAnyMapping, loadMapping } from './compile.js';
export { FileRefusedError, MappingFileError } from './errors.js';
export type {
  AnyCompiledMapping,
  CompiledMapping,
  CompiledSurveyMapping,
  MappedRecord,
  MappingProblem,
} from './types.js';
export type { MappedSurveyRecord } from './survey-response.js';
