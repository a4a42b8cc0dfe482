/**
 * The worker thread of `checkInWorker` (check-in-worker.ts): loads the mapping file, reads the
 * submitted bytes the main thread hands over on request, and sends back the checked records in
 * chunks, no more than `ahead` chunks before the main thread has taken them.
 */
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { isFileRefusedError, loadMappingFile } from './mapping-contract.js';
import { checkMappedRecord } from './record-checks.js';
import type { CheckedRecord } from './record-checks.js';
import type { FromWorker, ToWorker, WorkerOptions } from './check-in-worker.js';

const port = parentPort;
if (!port) throw new Error('map-worker.ts runs as a worker thread');
const options = workerData as WorkerOptions;

let credits = options.ahead;
let creditGiven: (() => void) | undefined;
const send = (message: FromWorker) => port.postMessage(message);

// The bytes are pulled one chunk at a time, only as fast as the mapping reads them.
const body =
  options.bytes ??
  new Readable({
    read() {
      send({ type: 'read' });
    },
  });

port.on('message', (message: ToWorker) => {
  if (message.type === 'chunk' && body instanceof Readable) {
    body.push(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
  } else if (message.type === 'end' && body instanceof Readable) {
    body.push(null);
  } else if (message.type === 'credit') {
    credits += 1;
    creditGiven?.();
  }
});

async function sendRecords(records: CheckedRecord[]): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (creditGiven = resolve));
  credits -= 1;
  send({ type: 'records', records });
}

try {
  const mapping = await loadMappingFile(options.mappingFile);
  const input = Buffer.isBuffer(body) || body instanceof Readable ? body : Buffer.from(body);
  let chunk: CheckedRecord[] = [];
  for await (const record of mapping.read(input, { fileName: options.fileName })) {
    chunk.push(checkMappedRecord(record, { today: options.today }));
    if (chunk.length >= options.chunkSize) {
      await sendRecords(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) await sendRecords(chunk);
  send({ type: 'done' });
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  send({
    type: 'error',
    error: {
      refused: isFileRefusedError(e),
      name: e.name,
      message: e.message,
      stack: e.stack,
      reason: isFileRefusedError(e) ? e.reason : undefined,
      line: isFileRefusedError(e) ? e.line : undefined,
    },
  });
}
