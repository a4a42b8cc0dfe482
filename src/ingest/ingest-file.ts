/**
 * `ingestFile`: one state file through its mapping into the store (DESIGN.md section 2: parse →
 * map → validate → link → store).
 *
 * - The same file sent twice is recognized by its SHA-256 and changes nothing.
 * - Atomic: the submission row, the records (in batches), the children, the rejects and the
 *   completion are one transaction, so a crash or a kill mid-file leaves no trace of the
 *   submission, and sending the file again does all of it.
 * - A file the mapping refuses as a whole is recorded as a `refused` submission, with the reason,
 *   in a small transaction of its own after the big one has rolled back; nothing else is stored.
 * - Streaming: records are read and written batch by batch; the file is never held in memory
 *   (unless the mapping needs it whole, as XML does).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Transaction } from 'sequelize';
import type { Config } from '../config/index.js';
import type { LinkageSettings } from '../config/schema.js';
import { defaultLinkageSettings, linkageRuntime } from '../linkage/settings.js';
import { todayUtc } from '../exchange/dates.js';
import type { IsoDate } from '../exchange/types.js';
import {
  completeSubmission,
  countRejects,
  createSubmission,
  deleteUnfinishedSubmissions,
  DuplicateSubmissionError,
  findSubmissionByHash,
  listRejects,
  setSubmissionHash,
} from '../store/index.js';
import type { Store, SubmissionRow } from '../store/index.js';
import { SubmissionBatchWriter } from './batch-writer.js';
import { openInput } from './input.js';
import type { IngestInput, OpenedInput } from './input.js';
import { checkInWorker } from './check-in-worker.js';
import { limitHeapGrowth } from './heap-growth.js';
import { isFileRefusedError, mappingFileOfMapping } from './mapping-contract.js';
import type { CompiledMapping, FileRefusal } from './mapping-contract.js';
import { checkMappedRecord } from './record-checks.js';
import type { CheckedRecord } from './record-checks.js';
import { rejectView, submissionView } from './submission-views.js';
import type { IngestSummary } from './submission-views.js';

export interface IngestProgress {
  /** Records read so far (documents and rejects). */
  records: number;
  accepted: number;
  rejected: number;
  deleted: number;
  bytesRead: number;
  /** The file's size when known in advance (a file on disk, a buffer). */
  totalBytes: number | undefined;
}

export interface IngestFileOptions {
  store: Store;
  /** `linkage` absent: the defaults; `linkage.enabled: false`: no cross-state linking. */
  config: Pick<Config, 'states'> & { linkage?: LinkageSettings };
  /** The submitting state's code, e.g. `CA`; it must be configured (config/states/XX.yaml). */
  state: string;
  mapping: CompiledMapping;
  /** Named in every reject and kept with the submission. */
  fileName: string;
  input: IngestInput;
  /** Called after each batch is written, and once at the end. */
  onProgress?: (progress: IngestProgress) => void;
  /** The day against which "not in the future" is judged; default today (UTC). */
  today?: IsoDate;
  /** Largest accepted input in bytes; a larger one throws FileTooLargeError. */
  maxBytes?: number;
  /** Records per batch (default 500). */
  batchSize?: number;
  /** Rejects returned in the summary (default 1000); every reject is stored. */
  maxRejectsInSummary?: number;
  /**
   * Map and check the file in a worker thread, beside the thread that writes it (only for a
   * mapping loaded from a file). Default: when there are two cores or more and the file (on disk
   * or in memory) is of 1 MiB or more.
   */
  mapInWorker?: boolean;
}

/** The state named is not configured. */
export class UnknownStateError extends Error {
  override readonly name = 'UnknownStateError';
  constructor(readonly state: string) {
    super(`state ${state} is not configured (no config/states/${state}.yaml)`);
  }
}

/** Raised inside the transaction to roll it back when a streamed file proves to be a re-send. */
class AlreadyReceived extends Error {
  constructor(readonly submission: SubmissionRow) {
    super(`already received as submission ${submission.id}`);
  }
}

const DEFAULT_BATCH = 500;
/** Records mapped between two looks at the database's answers while a batch is written. */
const YIELD_EVERY = 25;

function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
const DEFAULT_REJECTS_IN_SUMMARY = 1000;
/** Checked records per message from the mapping worker. */
const WORKER_CHUNK = 100;
/** Inputs smaller than this are mapped in the main thread: starting a worker costs more. */
const WORKER_MIN_BYTES = 1 << 20;

/**
 * Whether the mapping runs in a worker thread (check-in-worker.ts): with a second core to run it
 * on, for a file known to be large enough to repay starting the worker (a stream's size is not
 * known: its caller says).
 */
function mapInWorker(options: IngestFileOptions, input: OpenedInput): boolean {
  if (options.mapInWorker !== undefined) return options.mapInWorker;
  if (availableParallelism() < 2) return false;
  return input.totalBytes !== undefined && input.totalBytes >= WORKER_MIN_BYTES;
}

/** The text stored as a refused submission's error. */
export function refusalText(err: FileRefusal): string {
  const reason = err.reason || err.message;
  return err.line === undefined ? reason : `line ${err.line}: ${reason}`;
}

async function completedWithHash(
  store: Store,
  state: string,
  sha256: string,
  tx?: Transaction,
): Promise<SubmissionRow | undefined> {
  const row = await findSubmissionByHash(store, state, sha256, tx);
  return row?.status === 'completed' ? row : undefined;
}

async function duplicateSummary(
  store: Store,
  row: SubmissionRow,
  maxRejects: number,
): Promise<IngestSummary> {
  const view = submissionView(row);
  const rejects = await listRejects(store, view.submissionId, { limit: maxRejects });
  const total = await countRejects(store, view.submissionId);
  return {
    ...view,
    duplicate: true,
    rejects: rejects.map((r) => rejectView(view.fileName, r)),
    rejectsOmitted: total - rejects.length,
  };
}

/** Sequelize's SQLite transactions default to DEFERRED; a writer should take the lock at once. */
function writeTransaction(store: Store) {
  return store.sequelize.getDialect() === 'sqlite' ? { type: Transaction.TYPES.IMMEDIATE } : {};
}

export async function ingestFile(options: IngestFileOptions): Promise<IngestSummary> {
  limitHeapGrowth();
  const { store } = options;
  const state = options.state.toUpperCase();
  if (!options.config.states.some((s) => s.code === state)) throw new UnknownStateError(state);
  const maxRejects = options.maxRejectsInSummary ?? DEFAULT_REJECTS_IN_SUMMARY;
  const input = await openInput(options.input, options.maxBytes);
  try {
    if (input.sha256 !== undefined) {
      const done = await completedWithHash(store, state, input.sha256);
      if (done) return await duplicateSummary(store, done, maxRejects);
    }
    try {
      return await store.sequelize.transaction(writeTransaction(store), (tx) =>
        ingestInTransaction(options, state, input, tx),
      );
    } catch (err) {
      if (err instanceof AlreadyReceived) {
        return await duplicateSummary(store, err.submission, maxRejects);
      }
      if (err instanceof DuplicateSubmissionError) {
        // Another upload of the same file committed first.
        const done = await completedWithHash(store, state, err.fileSha256);
        if (done) return await duplicateSummary(store, done, maxRejects);
      }
      if (isFileRefusedError(err)) return await recordRefusal(options, state, input, err);
      throw err;
    }
  } finally {
    input.close();
  }
}

async function ingestInTransaction(
  options: IngestFileOptions,
  state: string,
  input: OpenedInput,
  tx: Transaction,
): Promise<IngestSummary> {
  const { store, mapping, fileName } = options;
  const today = options.today ?? todayUtc();
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const receivedAt = new Date();
  if (input.sha256 !== undefined) {
    await deleteUnfinishedSubmissions(store, state, input.sha256, tx);
  }
  const submission = await createSubmission(
    store,
    {
      stateCode: state,
      fileName,
      // A streamed file's hash is known at its end: a unique placeholder until then.
      fileSha256: input.sha256 ?? randomBytes(32).toString('hex'),
      mappingName: mapping.name,
      receivedAt,
      status: 'processing',
    },
    tx,
  );
  const linkageSettings = options.config.linkage ?? defaultLinkageSettings();
  const writer = new SubmissionBatchWriter(
    store,
    tx,
    { id: submission.id, stateCode: state, receivedAt },
    fileName,
    options.maxRejectsInSummary ?? DEFAULT_REJECTS_IN_SUMMARY,
    linkageSettings.enabled ? await linkageRuntime(store, linkageSettings) : undefined,
  );
  /** Counts as of the last batch handed to the writer, reported once that batch is written. */
  const progress = (counts: Readonly<typeof writer.counts>) =>
    options.onProgress?.({
      records: counts.records,
      accepted: counts.accepted,
      rejected: counts.rejected,
      deleted: counts.deleted,
      bytesRead: input.bytesRead(),
      totalBytes: input.totalBytes,
    });

  // One batch is written while the next is read and mapped: the database works on one core while
  // the mapping uses the other. Batches are still written one after the other, in file order.
  let writing: Promise<void> | undefined;
  const write = async () => {
    const counts = { ...writer.counts };
    await writer.flush(); // takes the pending batch at once, before its first await
    progress(counts);
  };
  const mappingFile = mappingFileOfMapping(mapping);
  const inWorker = mappingFile !== undefined && mapInWorker(options, input);
  async function* inThread(): AsyncGenerator<CheckedRecord[]> {
    for await (const record of mapping.read(input.body(), { fileName })) {
      yield [checkMappedRecord(record, { today })];
    }
  }
  const checked =
    mappingFile !== undefined && inWorker
      ? checkInWorker(input.body(), {
          mappingFile,
          fileName,
          today,
          chunkSize: WORKER_CHUNK,
          ahead: Math.ceil(batchSize / WORKER_CHUNK) + 1,
        })
      : inThread();
  try {
    for await (const chunk of checked) {
      for (const record of chunk) {
        writer.add(record);
        // Records already parsed are mapped in one run of microtasks, in which the database's
        // answers wait unread; letting them in now and then keeps the database busy.
        if (!inWorker && writing && writer.size % YIELD_EVERY === 0) await yieldToIo();
        if (writer.size >= batchSize) {
          // Rendered while the batch before is written, sent once that one is done.
          if (writing) writer.prepare();
          await writing;
          writing = write();
          // Observed at the next await; until then a failure must not count as unhandled.
          writing.catch(() => undefined);
        }
      }
    }
    await writing;
  } catch (err) {
    // Let a batch in flight finish before the transaction is rolled back: none of its
    // statements may run after the ROLLBACK, outside the transaction.
    await writing?.catch(() => undefined);
    throw err;
  }
  await writer.flush();

  const sha256 = await input.finish();
  if (input.sha256 === undefined) {
    const done = await completedWithHash(store, state, sha256, tx);
    if (done) throw new AlreadyReceived(done);
    await deleteUnfinishedSubmissions(store, state, sha256, tx);
    await setSubmissionHash(store, submission.id, sha256, tx);
  }
  const { counts } = writer;
  await completeSubmission(
    store,
    submission.id,
    {
      status: 'completed',
      rowCount: counts.records,
      acceptedCount: counts.accepted,
      rejectedCount: counts.rejected,
    },
    tx,
  );
  progress(counts);
  const completedAt = new Date();
  return {
    ...submissionView({
      ...submission,
      fileSha256: sha256,
      status: 'completed',
      completedAt,
      rowCount: counts.records,
      acceptedCount: counts.accepted,
      rejectedCount: counts.rejected,
    }),
    duplicate: false,
    changes: {
      created: counts.created,
      updated: counts.updated,
      unchanged: counts.unchanged,
      removed: counts.removed,
    },
    rejects: writer.firstRejects,
    rejectsOmitted: writer.rejectsSeen - writer.firstRejects.length,
  };
}

/** Records a refused file (any target kind): a `refused` submission with the reason, nothing else. */
export async function recordRefusal(
  options: Pick<IngestFileOptions, 'store' | 'fileName'> & { mapping: { name: string } },
  state: string,
  input: OpenedInput,
  refusal: FileRefusal,
): Promise<IngestSummary> {
  const { store, mapping, fileName } = options;
  // The rest of a streamed upload is read to know which file was refused.
  const sha256 = input.sha256 ?? (await input.finish());
  const error = refusalText(refusal);
  const row = await store.sequelize.transaction(writeTransaction(store), async (tx) => {
    await deleteUnfinishedSubmissions(store, state, sha256, tx);
    const created = await createSubmission(
      store,
      {
        stateCode: state,
        fileName,
        fileSha256: sha256,
        mappingName: mapping.name,
        status: 'refused',
      },
      tx,
    );
    const outcome = { status: 'refused' as const, rowCount: 0, acceptedCount: 0, rejectedCount: 0 };
    await completeSubmission(store, created.id, { ...outcome, error }, tx);
    return { ...created, ...outcome, error, completedAt: new Date() };
  });
  return { ...submissionView(row), duplicate: false, rejects: [], rejectsOmitted: 0 };
}
