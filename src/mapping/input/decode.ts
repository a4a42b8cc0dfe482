/**
 * Bytes in, text out, a chunk at a time: the input is never held whole. UTF-8 is decoded strictly
 * (a byte that is not UTF-8 refuses the file: it was written in another encoding, and guessing
 * would store mangled names) and its byte-order mark is dropped; ISO-8859-1 is decoded by Node,
 * other encodings by iconv-lite. A NUL character is never in a text file: it refuses the file as binary data.
 */
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

/** ISO-8859-1 maps each byte to the code point of the same number: Node decodes it natively. */
function isLatin1Name(encoding: string): boolean {
  return /^(iso-?8859-?1|latin-?1|l1)$/i.test(encoding);
}

const binary = () =>
  new FileRefusedError('holds binary data (NUL characters): it is not a text file');
const notUtf8 = () =>
  new FileRefusedError(
    'is not valid UTF-8 text (if it is written in another encoding, say so in input.encoding)',
  );

/** The input as text chunks in `encoding`. */
export async function* textChunks(
  input: Input,
  encoding: string,
  maxBytes?: number,
): AsyncGenerator<string> {
  const decode = isUtf8Name(encoding)
    ? utf8Decoder()
    : isLatin1Name(encoding)
      ? (bytes: Buffer | undefined) => bytes?.toString('latin1') ?? ''
      : iconvDecoder(encoding);
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
