/**
 * A mapping file as YAML: its plain JavaScript value for the compiler, and the line and column of
 * any path in it, so that every problem found while compiling names where it is in the file.
 */
import {
  LineCounter,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import type { MappingFileProblem } from './errors.js';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** `fields.student.sex.crosswalk`, `fields.enrollments.grade.transforms[1]`. */
export function displayPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

export class MappingSource {
  readonly problems: MappingFileProblem[] = [];
  readonly value: unknown;
  private readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();

  constructor(
    text: string,
    readonly file: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true });
    for (const error of this.doc.errors) {
      const pos = error.linePos?.[0];
      this.problems.push({
        file,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
        path: '',
        message: error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '',
      });
    }
    // Codes such as `01` or `007` are numbers to YAML (01 is 1); a state's codes are text, so a
    // plain scalar that is not written the way its number prints keeps the text it was written as.
    visit(this.doc, {
      Scalar(_key, node) {
        if (node.type === 'PLAIN' && typeof node.value === 'number') {
          const source = (node as { source?: string }).source;
          if (source !== undefined && source !== String(node.value)) node.value = source;
        }
      },
    });
    this.value = this.problems.length > 0 ? undefined : this.doc.toJS();
  }

  /** Records a problem found at `at`; `shown` is the path printed (default `at`). */
  add(at: Path, message: string, shown: Path = at): undefined {
    const pos = this.position(at);
    this.problems.push({
      file: this.file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
      path: displayPath(shown),
      message,
    });
    return undefined;
  }

  /** Line and column of the deepest node of `path` in the file: a map entry's key, a list item. */
  position(path: Path): { line: number; col: number } | undefined {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node);
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) break;
        offset = rangeStart(item) ?? offset;
        node = item;
      } else break;
    }
    return offset === undefined ? undefined : this.lines.linePos(offset);
  }
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
