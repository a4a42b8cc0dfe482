/**
 * `ingestSurveyFile`: a survey export (CHKS, CSSS) through a `target: survey-response` mapping
 * into the store (DESIGN.md section 9). The same guarantees as `ingestFile`: one transaction for
 * the submission, its responses and its rejects; the same file sent twice is recognized by its
 * SHA-256 and changes nothing; a file refused whole is recorded as refused with nothing else.
 */
import { randomBytes } from 'node:crypto';
import { Transaction } from 'sequelize';
import type { Config } from '../config/index.js';
import {
  addRejects,
  completeSubmission,
  createSubmission,
  deleteUnfinishedSubmissions,
  DuplicateSubmissionError,
  findSubmissionByHash,
  setSubmissionHash,
} from '../store/index.js';
import type { Store, SubmissionRow } from '../store/index.js';
import { insertSurveyResponses, type NewSurveyResponse } from '../store/repositories/survey.js';
import type { RejectInput } from '../store/repositories/submissions.js';
import type { CompiledSurveyMapping } from '../mapping/index.js';
import { recordRefusal, UnknownStateError } from './ingest-file.js';
import { openInput, type IngestInput, type OpenedInput } from './input.js';
import { isFileRefusedError } from './mapping-contract.js';
import { submissionView, type IngestSummary, type RejectView } from './submission-views.js';

export interface IngestSurveyFileOptions {
  store: Store;
  config: Pick<Config, 'states'>;
  state: string;
  mapping: CompiledSurveyMapping;
  fileName: string;
  input: IngestInput;
  maxBytes?: number;
  /** Responses per batch (default 500). */
  batchSize?: number;
  maxRejectsInSummary?: number;
}

class AlreadyReceived extends Error {
  constructor(readonly submission: SubmissionRow) {
    super(`already received as submission ${submission.id}`);
  }
}

function writeTransaction(store: Store) {
  return store.sequelize.getDialect() === 'sqlite' ? { type: Transaction.TYPES.IMMEDIATE } : {};
}

async function completed(store: Store, state: string, sha256: string, tx?: Transaction) {
  const row = await findSubmissionByHash(store, state, sha256, tx);
  return row?.status === 'completed' ? row : undefined;
}

function duplicate(row: SubmissionRow): IngestSummary {
  return { ...submissionView(row), duplicate: true, rejects: [], rejectsOmitted: 0 };
}

export async function ingestSurveyFile(options: IngestSurveyFileOptions): Promise<IngestSummary> {
  const { store } = options;
  const state = options.state.toUpperCase();
  if (!options.config.states.some((s) => s.code === state)) throw new UnknownStateError(state);
  const input = await openInput(options.input, options.maxBytes);
  try {
    if (input.sha256 !== undefined) {
      const done = await completed(store, state, input.sha256);
      if (done) return duplicate(done);
    }
    try {
      return await store.sequelize.transaction(writeTransaction(store), (tx) =>
        ingestInTransaction(options, state, input, tx),
      );
    } catch (err) {
      if (err instanceof AlreadyReceived) return duplicate(err.submission);
      if (err instanceof DuplicateSubmissionError) {
        const done = await completed(store, state, err.fileSha256);
        if (done) return duplicate(done);
      }
      if (isFileRefusedError(err)) return await recordRefusal(options, state, input, err);
      throw err;
    }
  } finally {
    input.close();
  }
}

async function ingestInTransaction(
  options: IngestSurveyFileOptions,
  state: string,
  input: OpenedInput,
  tx: Transaction,
): Promise<IngestSummary> {
  const { store, mapping, fileName } = options;
  const batchSize = options.batchSize ?? 500;
  const maxRejects = options.maxRejectsInSummary ?? 1000;
  if (input.sha256 !== undefined) await deleteUnfinishedSubmissions(store, state, input.sha256, tx);
  const receivedAt = new Date();
  const submission = await createSubmission(
    store,
    {
      stateCode: state,
      fileName,
      fileSha256: input.sha256 ?? randomBytes(32).toString('hex'),
      mappingName: mapping.name,
      receivedAt,
      status: 'processing',
    },
    tx,
  );
  const target = { id: submission.id, stateCode: state };
  let batch: NewSurveyResponse[] = [];
  let rejectBatch: RejectInput[] = [];
  const firstRejects: RejectView[] = [];
  let records = 0;
  let accepted = 0;
  let rejected = 0;
  let rejectRows = 0;
  for await (const record of mapping.read(input.body(), { fileName })) {
    records++;
    if (record.kind === 'response') {
      accepted++;
      batch.push({ row: record.row, ...record.response });
    } else {
      rejected++;
      const errors =
        record.errors.length > 0
          ? record.errors
          : [{ row: record.row, reason: 'the row cannot be read' }];
      for (const e of errors) {
        const reject: RejectInput = {
          row: e.row,
          field: e.field ?? null,
          target: e.target ?? null,
          value: e.value ?? null,
          reason: e.reason,
        };
        rejectBatch.push(reject);
        rejectRows++;
        if (firstRejects.length < maxRejects) {
          firstRejects.push({
            file: fileName,
            row: e.row,
            field: reject.field ?? null,
            target: reject.target ?? null,
            value: reject.value ?? null,
            reason: e.reason,
          });
        }
      }
    }
    if (batch.length >= batchSize) {
      await insertSurveyResponses(store, tx, target, batch);
      batch = [];
    }
    if (rejectBatch.length >= batchSize) {
      await addRejects(store, tx, submission.id, rejectBatch);
      rejectBatch = [];
    }
  }
  await insertSurveyResponses(store, tx, target, batch);
  await addRejects(store, tx, submission.id, rejectBatch);

  const sha256 = await input.finish();
  if (input.sha256 === undefined) {
    const done = await completed(store, state, sha256, tx);
    if (done) throw new AlreadyReceived(done);
    await deleteUnfinishedSubmissions(store, state, sha256, tx);
    await setSubmissionHash(store, submission.id, sha256, tx);
  }
  const outcome = {
    status: 'completed' as const,
    rowCount: records,
    acceptedCount: accepted,
    rejectedCount: rejected,
  };
  await completeSubmission(store, submission.id, outcome, tx);
  return {
    ...submissionView({ ...submission, ...outcome, fileSha256: sha256, completedAt: new Date() }),
    duplicate: false,
    rejects: firstRejects,
    rejectsOmitted: rejectRows - firstRejects.length,
  };
}
