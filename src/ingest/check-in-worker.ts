/**
 * Parsing, mapping and checking a submitted file in a worker thread, so that on a machine with two
 * cores or more the mapping runs beside the main thread, which writes the batches to the store.
 * The main thread keeps the input: it hashes it and counts it (input.ts) and hands the worker
 * one chunk each time the mapping asks for more; the worker answers the checked records in file
 * order, in chunks. Backpressure both ways: the worker reads only as fast as it maps, and maps at
 * most `ahead` chunks beyond what the writer has taken, so memory does not grow with the file.
 *
 * Only for a mapping loaded from a file (the worker loads the same file); ingest maps anything
 * else in the main thread, as before.
 */
import { Worker } from 'node:worker_threads';
import type { IsoDate } from '../exchange/types.js';
import { fileRefusedError } from './mapping-contract.js';
import type { CheckedRecord } from './record-checks.js';

export interface WorkerOptions {
  mappingFile: string;
  fileName: string;
  today: IsoDate;
  /** Records per message. */
  chunkSize: number;
  /** Chunks the worker may send before the main thread has taken them. */
  ahead: number;
  /** The whole input, when it is in memory; otherwise it is asked for chunk by chunk. */
  bytes?: Uint8Array;
}

export type ToWorker = { type: 'chunk'; data: Uint8Array } | { type: 'end' } | { type: 'credit' };

export interface WorkerError {
  refused: boolean;
  name: string;
  message: string;
  stack?: string | undefined;
  reason?: string | undefined;
  line?: number | undefined;
}

export type FromWorker =
  | { type: 'read' }
  | { type: 'records'; records: CheckedRecord[] }
  | { type: 'done' }
  | { type: 'error'; error: WorkerError };

/**
 * The worker's module, started through a small script that registers the TypeScript loader in
 * the worker: a worker thread does not inherit it, however the process loaded it.
 */
const workerModule = new URL('./map-worker.ts', import.meta.url).href;
const tsxApi = import.meta.resolve('tsx/esm/api');
const bootstrap = `
import(${JSON.stringify(tsxApi)}).then(({ register }) => {
  register();
  return import(${JSON.stringify(workerModule)});
});
`;

function revive(error: WorkerError): Error {
  if (error.refused)
    return fileRefusedError(error.reason ?? error.message, error.line, error.message);
  const err = new Error(error.message);
  err.name = error.name;
  if (error.stack) err.stack = error.stack;
  return err;
}

/**
 * The checked records of `body` (the input as ingest opened it), in file order, in chunks.
 * Throws what the mapping throws (a refused file as the engine's FileRefusedError) and what
 * reading `body` throws (e.g. FileTooLargeError). Returning early stops the worker.
 */
export async function* checkInWorker(
  body: NodeJS.ReadableStream | Buffer,
  options: Omit<WorkerOptions, 'bytes'>,
): AsyncGenerator<CheckedRecord[]> {
  const bytes = Buffer.isBuffer(body) ? body : undefined;
  const worker = new Worker(bootstrap, {
    eval: true,
    workerData: { ...options, ...(bytes ? { bytes } : {}) } satisfies WorkerOptions,
  });
  const queue: FromWorker[] = [];
  let failure: unknown;
  let exited = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const stream = bytes ? undefined : (body as NodeJS.ReadableStream)[Symbol.asyncIterator]();
  // Failures of the input (e.g. FileTooLargeError) count even while no chunk is asked for.
  if (!bytes) {
    (body as NodeJS.ReadableStream).on('error', (err: unknown) => {
      failure ??= err;
      notify();
    });
  }
  const post = (message: ToWorker) => worker.postMessage(message);
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'read') {
      stream?.next().then(
        ({ value, done }) => {
          if (done) post({ type: 'end' });
          else {
            const chunk = Buffer.isBuffer(value) ? value : Buffer.from(value as string);
            // A chunk with a memory of its own (a file's reads, 64 KiB each) is handed over,
            // not copied; one that is a view into a larger buffer is copied.
            const memory = chunk.buffer;
            const own =
              memory instanceof ArrayBuffer &&
              chunk.byteOffset === 0 &&
              memory.byteLength === chunk.byteLength;
            worker.postMessage(
              { type: 'chunk', data: chunk } satisfies ToWorker,
              own ? [memory] : [],
            );
          }
        },
        (err: unknown) => {
          failure ??= err;
          notify();
        },
      );
      return;
    }
    queue.push(message);
    notify();
  });
  worker.on('error', (err) => {
    failure ??= err;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  try {
    for (;;) {
      while (queue.length === 0 && failure === undefined && !exited) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (failure !== undefined) throw failure;
      const message = queue.shift();
      if (!message) throw new Error('the mapping worker stopped before the end of the file');
      if (message.type === 'done') return;
      if (message.type === 'error') throw revive(message.error);
      if (message.type === 'records') {
        yield message.records;
        post({ type: 'credit' });
      }
    }
  } finally {
    await worker.terminate();
  }
}
