/**
 * The mapping engine (DESIGN.md section 5): a state's declarative mapping (mappings/*.yaml,
 * reference in mappings/README.md) compiled once into a function from the state's native file to
 * exchange documents. The pipeline validates and links what `read()` yields.
 */
export { compileMapping, loadMapping } from './compile.js';
export { FileRefusedError, MappingFileError } from './errors.js';
export type { CompiledMapping, MappedRecord, MappingProblem } from './types.js';
