/**
 * The errors a caller of the mapping engine sees: a bad mapping file (every problem at once, each
 * with its line), and an input file refused whole. MappingValueError is internal: a transform or
 * a reader throws it for one value, and the field compiler turns it into a MappingProblem.
 */

export interface MappingFileProblem {
  file: string;
  line?: number;
  column?: number;
  /** Where in the mapping, e.g. `fields.student.sex.crosswalk`. */
  path: string;
  message: string;
}

function formatProblem(p: MappingFileProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  return p.path === '' ? `${where}: ${p.message}` : `${where}: ${p.path}: ${p.message}`;
}

/** Thrown by loadMapping/compileMapping: the mapping file is not usable. */
export class MappingFileError extends Error {
  readonly problems: MappingFileProblem[];

  constructor(problems: MappingFileProblem[]) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(`Invalid mapping file (${count}):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'MappingFileError';
    this.problems = problems;
  }
}

/** Thrown by read() (or its iterator) when the file cannot be read at all; store none of it. */
export class FileRefusedError extends Error {
  readonly reason: string;
  readonly line?: number;

  constructor(reason: string, line?: number, fileName?: string) {
    const where =
      fileName === undefined ? '' : `${fileName}${line === undefined ? '' : `:${line}`}: `;
    super(`${where}file refused: ${reason}`);
    this.name = 'FileRefusedError';
    this.reason = reason;
    if (line !== undefined) this.line = line;
  }
}

/** One value cannot be mapped; `reason` is said of the value ("is not a real calendar date"). */
export class MappingValueError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'MappingValueError';
  }
}
