/**
 * The submitted file as ingest reads it: hashed (SHA-256, the key of "the same file sent twice
 * changes nothing"), counted for progress, and limited in size, without holding it in memory.
 *
 * - A file on disk is hashed first, so a re-sent file is recognized before any work, then
 *   streamed to the mapping; the stream is hashed again and must match (the file did not change
 *   under us).
 * - A stream (an HTTP upload) can be read once only, so it is hashed while the mapping reads it.
 * - Bytes already in memory are hashed at once.
 *
 * The mapping reads a PassThrough fed from the hashing stream, never the hashing stream itself:
 * if the mapping gives up (a refused file) and destroys what it reads, the rest of the upload
 * can still be read to finish the hash.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';

export type IngestInput = Buffer | NodeJS.ReadableStream | { path: string };

/** The file is larger than the configured limit; nothing was stored. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`the file is larger than the limit of ${limitBytes} bytes`);
  }
}

/** A file on disk changed while it was being ingested. */
export class FileChangedError extends Error {
  override readonly name = 'FileChangedError';
}

class HashingStream extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  digest: string | undefined;

  constructor(private readonly limitBytes: number | undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.bytes += chunk.length;
    if (this.limitBytes !== undefined && this.bytes > this.limitBytes) {
      callback(new FileTooLargeError(this.limitBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback) {
    this.digest = this.hash.digest('hex');
    callback();
  }
}

export interface OpenedInput {
  /** Known before reading for a file or a buffer; a stream's is known once it has been read. */
  sha256: string | undefined;
  /** The size when known in advance (a file, a buffer), for a progress bar. */
  totalBytes: number | undefined;
  /** What the mapping reads. Call once. */
  body(): NodeJS.ReadableStream | Buffer;
  bytesRead(): number;
  /** Reads whatever the mapping left unread and answers the SHA-256 of the whole input. */
  finish(): Promise<string>;
  /** Stops reading (after an error); safe to call more than once. */
  close(): void;
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

function openBuffer(bytes: Buffer, limitBytes: number | undefined): OpenedInput {
  if (limitBytes !== undefined && bytes.length > limitBytes)
    throw new FileTooLargeError(limitBytes);
  const sha256 = sha256Of(bytes);
  return {
    sha256,
    totalBytes: bytes.length,
    body: () => bytes,
    bytesRead: () => bytes.length,
    finish: async () => sha256,
    close: () => undefined,
  };
}

/**
 * `owned`: the stream was opened here (a file), so close() destroys it. A caller's stream (an HTTP
 * request) is only let go: destroying a request that is not fully read would close its socket
 * before the answer (a 413, say) is sent.
 */
function openStream(
  source: () => NodeJS.ReadableStream,
  owned: boolean,
  sha256: string | undefined,
  totalBytes: number | undefined,
  limitBytes: number | undefined,
): OpenedInput {
  const hashing = new HashingStream(limitBytes);
  const feed = new PassThrough();
  let input: NodeJS.ReadableStream | undefined;
  const start = () => {
    if (input) return;
    input = source();
    input.on('error', (err: Error) => hashing.destroy(err));
    hashing.on('error', (err) => feed.destroy(err));
    input.pipe(hashing).pipe(feed);
  };
  return {
    sha256,
    totalBytes,
    body: () => {
      start();
      return feed;
    },
    bytesRead: () => hashing.bytes,
    async finish() {
      start();
      hashing.unpipe(feed);
      if (!hashing.readableEnded) {
        const done = finished(hashing, { writable: false });
        hashing.resume();
        await done;
      }
      const digest = hashing.digest;
      if (digest === undefined) throw new Error('the input ended before it was hashed');
      if (sha256 !== undefined && digest !== sha256) {
        throw new FileChangedError('the file changed while it was being read');
      }
      return digest;
    },
    close() {
      input?.unpipe(hashing);
      if (owned)
        (input as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined)?.destroy?.();
      hashing.destroy();
      feed.destroy();
    },
  };
}

/** Opens the input; a file on disk is hashed here, before anything is read for the mapping. */
export async function openInput(input: IngestInput, limitBytes?: number): Promise<OpenedInput> {
  if (Buffer.isBuffer(input)) return openBuffer(input, limitBytes);
  if ('path' in input && typeof input.path === 'string' && !('pipe' in input)) {
    const { path } = input;
    const { size } = await stat(path);
    if (limitBytes !== undefined && size > limitBytes) throw new FileTooLargeError(limitBytes);
    return openStream(
      () => createReadStream(path),
      true,
      await sha256OfFile(path),
      size,
      limitBytes,
    );
  }
  const stream = input as NodeJS.ReadableStream;
  return openStream(() => stream, false, undefined, undefined, limitBytes);
}
