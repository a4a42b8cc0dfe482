/**
 * Text chunks in, numbered lines out (LF or CRLF), holding at most one line at a time. A "line"
 * longer than `maxChars` means the file is not line-structured at all (binary junk, one huge
 * JSON document): the file is refused rather than buffered.
 */
import { FileRefusedError } from '../errors.js';

export interface Line {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

export async function* lines(
  chunks: AsyncIterable<string>,
  maxChars: number,
): AsyncGenerator<Line> {
  for await (const batch of lineBatches(chunks, maxChars)) yield* batch;
}

/**
 * The same lines, those each chunk completes at a time. A line that is too long gives the lines
 * before it first, then is thrown.
 */
export async function* lineBatches(
  chunks: AsyncIterable<string>,
  maxChars: number,
): AsyncGenerator<Line[]> {
  let partial = '';
  let line = 0;
  const tooLong = () =>
    new FileRefusedError(
      `line ${line + 1} is longer than ${maxChars} characters: not a file of lines`,
      line + 1,
    );
  for await (const chunk of chunks) {
    const text = partial === '' ? chunk : partial + chunk;
    const out: Line[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end - start > maxChars) {
        if (out.length > 0) yield out;
        throw tooLong();
      }
      line++;
      out.push({ line, text: text.slice(start, end) });
      start = nl + 1;
    }
    if (out.length > 0) yield out;
    partial = text.slice(start);
    if (partial.length > maxChars) throw tooLong();
  }
  if (partial !== '') {
    line++;
    yield [{ line, text: partial.endsWith('\r') ? partial.slice(0, -1) : partial }];
  }
}
