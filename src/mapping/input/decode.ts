/**
 * Bytes in, text out, a chunk at a time: the input is never held whole. UTF-8 is decoded strictly
 * (a byte that is not UTF-8 refuses the file: it was written in another encoding, and guessing
 * would store mangled names) and its byte-order mark is dropped; other encodings go through
 * iconv-lite. A NUL character is never in a text file: it refuses the file as binary data.
 */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { FileRefusedError } from '../errors.js';

const SLICE = 64 * 1024;

export type Input = NodeJS.ReadableStream | Buffer;

/** The input's bytes, a chunk at a time; a Buffer is cut in slices so that nothing is special. */
export async function* byteChunks(input: Input, maxBytes?: number): AsyncGenerator<Buffer> {
  let total = 0;
  const limit = (chunk: Buffer): Buffer => {
    total += chunk.length;
    if (maxBytes !== undefined && total > maxBytes) {
      throw new FileRefusedError(
        `is larger than the mapping's limit of ${maxBytes} bytes (input.maxBytes)`,
      );
    }
    return chunk;
  };
  if (Buffer.isBuffer(input)) {
    for (let at = 0; at < input.length; at += SLICE) yield limit(input.subarray(at, at + SLICE));
    return;
  }
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    yield limit(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  }
}

function isUtf8Name(encoding: string): boolean {
  return /^utf-?8$/i.test(encoding);
}

function isLatin1Name(encoding: string): boolean {
  return /^(iso-?8859-?1|latin-?1|l1)$/i.test(encoding);
}

const binary = () =>
  new FileRefusedError('holds binary data (NUL characters): it is not a text file');
const notUtf8 = () =>
  new FileRefusedError(
    'is not valid UTF-8 text (if it is written in another encoding, say so in input.encoding)',
  );

/** Where an incomplete UTF-8 sequence starts at the end of `bytes` (bytes.length if none). */
function incompleteTail(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
    const b = bytes[i] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + length > bytes.length ? i : bytes.length;
  }
  return bytes.length;
}

/**
 * The input as checked bytes, for a parser that decodes fields itself (csv-parse): UTF-8 checked
 * a chunk at a time with Node's native validator and its byte-order mark dropped, or ISO-8859-1
 * as it is. Answers undefined for other encodings (use textChunks).
 */
export function checkedBytes(
  input: Input,
  encoding: string,
): { chunks: AsyncGenerator<Buffer>; encoding: 'utf8' | 'latin1' } | undefined {
  if (isLatin1Name(encoding)) {
    return {
      encoding: 'latin1',
      chunks: (async function* () {
        for await (const bytes of byteChunks(input)) {
          if (bytes.includes(0)) throw binary();
          yield bytes;
        }
      })(),
    };
  }
  if (!isUtf8Name(encoding)) return undefined;
  return {
    encoding: 'utf8',
    chunks: (async function* () {
      let carry: Buffer | undefined;
      let first = true;
      const check = (whole: Buffer) => {
        if (whole.includes(0)) throw binary();
        if (!isUtf8(whole)) throw notUtf8();
        return whole;
      };
      for await (const chunk of byteChunks(input)) {
        let bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
        carry = undefined;
        if (first) {
          // Wait for three bytes to know whether the file starts with a byte-order mark.
          if (bytes.length < 3) {
            carry = Buffer.from(bytes);
            continue;
          }
          if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
            bytes = bytes.subarray(3);
          first = false;
        }
        const end = incompleteTail(bytes);
        if (end < bytes.length) carry = Buffer.from(bytes.subarray(end));
        if (end > 0) yield check(bytes.subarray(0, end));
      }
      // Left over: a file shorter than three bytes (fine), or a sequence cut off (not UTF-8).
      if (carry && !first) throw notUtf8();
      if (carry && carry.length > 0) yield check(carry);
    })(),
  };
}

/** The input as text chunks in `encoding`. */
export async function* textChunks(
  input: Input,
  encoding: string,
  maxBytes?: number,
): AsyncGenerator<string> {
  const decode = isUtf8Name(encoding) ? utf8Decoder() : iconvDecoder(encoding);
  for await (const bytes of byteChunks(input, maxBytes)) {
    const text = decode(bytes);
    if (text.includes('\u0000')) throw binary();
    if (text !== '') yield text;
  }
  const rest = decode(undefined);
  if (rest !== '') yield rest;
}

function utf8Decoder(): (bytes: Buffer | undefined) => string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return (bytes) => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch {
      throw notUtf8();
    }
  };
}

function iconvDecoder(encoding: string): (bytes: Buffer | undefined) => string {
  const decoder = iconv.getDecoder(encoding);
  return (bytes) => (bytes === undefined ? (decoder.end() ?? '') : decoder.write(bytes));
}
