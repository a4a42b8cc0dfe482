/**
 * Writes checked records to the store in batches, inside the submission's transaction.
 * Set-based (CONVENTIONS.md "Hot paths are set-based"): per batch of about 500 records, one
 * look-up of the stored records, one read of those that change (5 queries per 500), one INSERT of
 * their history, one INSERT of new children, the document upsert (saveStudentDocuments, about ten
 * statements; new records are inserted already linked to their child), one INSERT of rejects.
 * No statement per child.
 *
 * A student sent again exactly as stored is not rewritten: the record keeps the source of the
 * submission that last changed it, and no history row is written for it.
 *
 * Within a file the last record of a student wins, as a later file would. A student the file
 * sends twice is written once per batch; when a later batch replaces what an earlier batch of the
 * same file wrote, no history is kept of that (it was never a stored state of the record).
 */
import type { Transaction } from 'sequelize';
import type { ExchangeDocument } from '../exchange/types.js';
import {
  addRejects,
  archiveStudentRecords,
  createChildren,
  deleteStudentRecords,
  findStoredRecords,
  linkStudentRecords,
  readStudentDocuments,
  saveStudentDocuments,
} from '../store/index.js';
import type { RejectInput, Store, SubmissionSource } from '../store/index.js';
import { linkBeforeStoring } from '../linkage/ingest-linking.js';
import type { BatchLinks } from '../linkage/ingest-linking.js';
import { emptyLinkCounts } from '../linkage/link-records.js';
import type { LinkCounts } from '../linkage/link-records.js';
import { linkageFieldsOf } from '../linkage/person.js';
import type { LinkageRuntime } from '../linkage/settings.js';
import { deleteLinkageOfRecords } from '../store/repositories/linkage.js';
import {
  prepareStudentDocuments,
  refreshRecordStatistics,
} from '../store/repositories/student-documents.js';
import type { RenderedDocuments } from '../store/repositories/student-documents.js';
import type { CheckedRecord } from './record-checks.js';
import { truncatedValue } from './submission-views.js';
import type { IngestChanges, RejectView } from './submission-views.js';

type Instruction = Exclude<CheckedRecord, { kind: 'reject' }>;
type Upsert = Extract<CheckedRecord, { kind: 'upsert' }>;

export interface WriterCounts extends IngestChanges {
  records: number;
  accepted: number;
  deleted: number;
  rejected: number;
}

/** Key order and absent-versus-undefined do not make two documents differ. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined && x !== null)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export function sameDocument(a: ExchangeDocument, b: ExchangeDocument): boolean {
  return canonical(a) === canonical(b);
}

/**
 * The statistics of the tables written are refreshed after the first 2,000 records written and
 * each time the number has grown fourfold since (4 times for 200,000 records), so look-ups keep
 * using the indexes as the file's records outgrow the statistics.
 */
const ANALYZE_FIRST = 2000;
const ANALYZE_GROWTH = 4;

/** The last instruction of each student in a batch, in the order of their last appearance. */
function latestOf(batch: readonly CheckedRecord[]): Map<string, Instruction> {
  const latest = new Map<string, Instruction>();
  for (const record of batch) {
    if (record.kind === 'reject') continue;
    latest.delete(record.stateStudentId);
    latest.set(record.stateStudentId, record);
  }
  return latest;
}

export class SubmissionBatchWriter {
  private pending: CheckedRecord[] = [];
  /** The pending batch's rows, being rendered ahead (prepare()). */
  private prepared?: {
    batch: readonly CheckedRecord[];
    rows: Promise<RenderedDocuments | undefined>;
  };
  readonly counts: WriterCounts = {
    records: 0,
    accepted: 0,
    deleted: 0,
    rejected: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
  };
  /** What cross-state linking did (DESIGN.md section 6). */
  readonly linkCounts: LinkCounts = emptyLinkCounts();
  /** Records written when the planner's statistics are next refreshed. */
  private analyzeAt = ANALYZE_FIRST;
  /** The first rejects, for the summary. */
  readonly firstRejects: RejectView[] = [];
  rejectsSeen = 0;

  constructor(
    private readonly store: Store,
    private readonly tx: Transaction,
    private readonly submission: SubmissionSource,
    private readonly fileName: string,
    private readonly maxRejectsKept: number,
    /** Cross-state linking of new records; absent: each new record keeps a child of its own. */
    private readonly linkage?: LinkageRuntime,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  add(record: CheckedRecord): void {
    this.counts.records++;
    if (record.kind === 'reject') this.counts.rejected++;
    else if (record.kind === 'delete') this.counts.deleted++;
    else this.counts.accepted++;
    this.pending.push(record);
  }

  /**
   * Starts rendering the rows of the pending batch (prepareStudentDocuments), a table at a time
   * between the database's answers, while the batch before it is still being written; the next
   * flush() then sends them. Rendered as if every record were new or changed: a record found
   * unchanged makes flush() render the batch again.
   */
  prepare(): void {
    const batch = this.pending;
    const upserts = [...latestOf(batch).values()].filter((r): r is Upsert => r.kind === 'upsert');
    const rows = prepareStudentDocuments(
      this.store,
      this.tx,
      this.submission,
      upserts.map((u) => ({ row: u.row, document: u.document })),
    );
    // Awaited by flush(); until then a failure must not count as unhandled.
    rows.catch(() => undefined);
    this.prepared = { batch, rows };
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const prepared = this.prepared?.batch === batch ? this.prepared.rows : undefined;
    this.prepared = undefined;
    if (batch.length === 0) return;
    await this.writeRejects(batch);

    const latest = latestOf(batch);
    if (latest.size === 0) return;
    const { store, tx, submission } = this;
    const stored = await findStoredRecords(store, tx, submission.stateCode, [...latest.keys()]);
    const instructions = [...latest.values()];
    await this.removeDeleted(instructions, stored);
    await this.writeUpserts(
      instructions.filter((r): r is Upsert => r.kind === 'upsert'),
      stored,
      prepared,
    );
    const written = this.counts.created + this.counts.updated;
    if (written >= this.analyzeAt) {
      // The store has grown by this file's records since its statistics were taken.
      this.analyzeAt = written * ANALYZE_GROWTH;
      await refreshRecordStatistics(store, tx);
    }
  }

  private async writeRejects(batch: readonly CheckedRecord[]): Promise<void> {
    const rejects: RejectInput[] = [];
    for (const record of batch) {
      if (record.kind !== 'reject') continue;
      for (const problem of record.problems) {
        const reject = {
          row: problem.row ?? record.row,
          field: problem.field ?? null,
          target: problem.target ?? null,
          value: problem.value ?? null,
          reason: problem.reason,
        };
        rejects.push(reject);
        this.rejectsSeen++;
        if (this.firstRejects.length < this.maxRejectsKept) {
          this.firstRejects.push({
            file: this.fileName,
            ...reject,
            value: truncatedValue(reject.value),
          });
        }
      }
    }
    await addRejects(this.store, this.tx, this.submission.id, rejects);
  }

  private async removeDeleted(
    instructions: readonly Instruction[],
    stored: Map<string, { studentRecordId: number }>,
  ): Promise<void> {
    const ids = instructions
      .filter((r) => r.kind === 'delete')
      .flatMap((r) => stored.get(r.stateStudentId)?.studentRecordId ?? []);
    if (ids.length === 0) return;
    const previous = await readStudentDocuments(this.store, ids, this.tx);
    await deleteLinkageOfRecords(this.store, this.tx, ids);
    await archiveStudentRecords(this.store, this.tx, [...previous.values()], {
      action: 'delete',
      replacedBySubmissionId: this.submission.id,
      replacedAt: new Date(),
    });
    this.counts.removed += await deleteStudentRecords(this.store, this.tx, ids);
  }

  private async writeUpserts(
    upserts: readonly Upsert[],
    stored: Map<string, { studentRecordId: number; submissionId: number; childId: string | null }>,
    prepared: Promise<RenderedDocuments | undefined> | undefined,
  ): Promise<void> {
    if (upserts.length === 0) return;
    const { store, tx, submission } = this;
    const knownIds = upserts.flatMap((u) => stored.get(u.stateStudentId)?.studentRecordId ?? []);
    const previous = await readStudentDocuments(store, knownIds, tx);
    const changed: Upsert[] = [];
    const replaced = [];
    for (const upsert of upserts) {
      const known = stored.get(upsert.stateStudentId);
      const before = known ? previous.get(known.studentRecordId) : undefined;
      if (!known || !before) {
        changed.push(upsert);
        this.counts.created++;
      } else if (sameDocument(before.document, upsert.document)) {
        this.counts.unchanged++;
      } else {
        changed.push(upsert);
        if (known.submissionId !== submission.id) {
          replaced.push(before);
          this.counts.updated++;
        }
      }
    }
    // History first: the overwrite below replaces the very values being kept.
    await archiveStudentRecords(store, tx, replaced, {
      action: 'update',
      replacedBySubmissionId: submission.id,
      replacedAt: new Date(),
    });
    // New students are linked to a stored child of another state, or get a child each, created
    // with the records; either way they are inserted linked to it. Known ones keep theirs.
    const links = await this.linkBeforeSave(changed, stored);
    const ids = await saveStudentDocuments(
      store,
      tx,
      submission,
      changed.map((u) => ({
        row: u.row,
        document: u.document,
        stored: stored.has(u.stateStudentId),
        childId: links?.childIdOf(u.stateStudentId) ?? null,
      })),
      { newChildren: true, prepared },
    );
    if (links) this.addLinkCounts(await links.finish(ids));
    // A stored record without a child (none is made by ingest, but the store allows it).
    const unlinked = changed
      .filter((u) => stored.has(u.stateStudentId) && !stored.get(u.stateStudentId)?.childId)
      .map((u) => ids.get(u.stateStudentId))
      .filter((id): id is number => id !== undefined);
    if (unlinked.length === 0) return;
    const linkIds = await createChildren(store, unlinked.length, tx);
    await linkStudentRecords(
      store,
      unlinked.map((studentRecordId, i) => ({
        studentRecordId,
        childId: linkIds[i] as string,
      })),
      tx,
    );
  }

  /** Cross-state linking of the batch's new students, decided before they are stored. */
  private async linkBeforeSave(
    changed: readonly Upsert[],
    stored: Map<string, { studentRecordId: number }>,
  ): Promise<BatchLinks | undefined> {
    if (!this.linkage) return undefined;
    return linkBeforeStoring(
      this.store,
      this.tx,
      this.linkage,
      this.submission.stateCode,
      changed.map((u) => ({
        stateStudentId: u.stateStudentId,
        fields: linkageFieldsOf(u.document.student),
        stored: stored.has(u.stateStudentId),
      })),
    );
  }

  private addLinkCounts(counts: LinkCounts): void {
    this.linkCounts.linked += counts.linked;
    this.linkCounts.nearMatches += counts.nearMatches;
    this.linkCounts.newChildren += counts.newChildren;
    this.linkCounts.pairsCompared += counts.pairsCompared;
  }
}
