/**
 * A portal form that carries a file (the reconciliation upload) arrives as multipart/form-data
 * (RFC 7578). Parsed into plain string fields before the CSRF check reads `_csrf`, like the
 * URL-encoded forms; a file's content becomes the field's text (UTF-8). Only signed-in callers
 * are parsed, so nobody else can make the gateway buffer a body; size and part count are bounded.
 */
import type { RequestHandler } from 'express';
import { BadRequest, HttpProblem } from '../api/problem.js';

/** Room for the largest state list the counts accept (MAX_LIST_ENTRIES IDs) and the fields. */
export const MULTIPART_LIMIT_BYTES = 20 * 1024 * 1024;
const MAX_PARTS = 20;
/** Plain names only: nothing like `__proto__` that could reach a prototype later. */
const FIELD_NAME = /^(?!__)[A-Za-z_][\w.-]{0,63}$/;

export class FormTooLarge extends HttpProblem {
  constructor() {
    super(413, 'Content Too Large', 'The form is larger than the gateway accepts.', 'too-large');
  }
}

function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** The fields of a multipart body; a repeated name keeps its first value. */
export function parseMultipartForm(body: Buffer, boundary: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) throw new BadRequest('The form has no parts.');
  for (let parts = 0; ; parts++) {
    const start = at + delimiter.length;
    // "--" after a delimiter closes the body (RFC 2046 section 5.1.1).
    if (body.subarray(start, start + 2).toString('latin1') === '--') return fields;
    if (parts >= MAX_PARTS) throw new BadRequest('The form has too many parts.');
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new BadRequest('The form ends before its closing boundary.');
    // Each part sits between the CRLF after one delimiter and the CRLF before the next.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) throw new BadRequest('A part of the form has no headers.');
    const headers = part.subarray(0, split).toString('utf8');
    const name = /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(headers)?.[1];
    if (name !== undefined && FIELD_NAME.test(name) && !(name in fields)) {
      fields[name] = part.subarray(split + 4).toString('utf8');
    }
    at = next;
  }
}

export function multipartForm(limit = MULTIPART_LIMIT_BYTES): RequestHandler {
  return (req, _res, next) => {
    const boundary = boundaryOf(req.get('content-type') ?? '');
    if (!req.principal || !boundary) {
      next();
      return;
    }
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > limit) {
      next(new FormTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      next(err);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish(new FormTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', finish);
    req.on('end', () => {
      if (done) return;
      try {
        req.body = parseMultipartForm(Buffer.concat(chunks), boundary);
        finish();
      } catch (err) {
        finish(err);
      }
    });
  };
}
