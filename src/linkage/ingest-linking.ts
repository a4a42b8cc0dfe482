/**
 * Linking inside ingest (DESIGN.md section 6). A batch's new records are compared with the
 * stored children of other states before they are stored, so a record that links is inserted
 * already pointing at its child: no child is made for it only to be deleted when it links (the
 * delete's foreign-key checks, and an UPDATE of the record, were paid per linked record). A
 * record between the thresholds gets a child of its own and a near-match worklist item; below,
 * a child of its own. Records the state sent before keep their child (within a state the
 * state's ID links) and only get their blocking keys rewritten.
 */
import type { Transaction } from 'sequelize';
import type { Store } from '../store/index.js';
import { otherStatesHaveRecords } from '../store/index.js';
import { readRecordChildren } from '../store/repositories/linkage.js';
import { latestEnrollments } from '../store/repositories/linkage-children.js';
import { writeRecordLinks } from '../store/repositories/record-links.js';
import type { RecordLinkInput } from '../store/repositories/record-links.js';
import { createWorklistItems } from '../store/repositories/worklist.js';
import type { WorklistItemInput } from '../store/repositories/worklist.js';
import { initialAssignment } from './assignment.js';
import { bestCandidates, emptyLinkCounts, explanation, writeKeysFor } from './link-records.js';
import type { BestCandidate, LinkCounts } from './link-records.js';
import type { LinkageFields } from './person.js';
import { timedPhase } from './phase-times.js';
import type { LinkageRuntime } from './settings.js';

export interface IngestedRecord {
  stateStudentId: string;
  fields: LinkageFields;
  /** The state sent this student before: the record keeps its child. */
  stored: boolean;
}

/** The decisions for one batch, made before it is stored; `finish` once it is. */
export class BatchLinks {
  private readonly byStudent = new Map<string, BestCandidate>();

  constructor(
    private readonly store: Store,
    private readonly tx: Transaction,
    private readonly runtime: LinkageRuntime,
    private readonly stateCode: string,
    private readonly records: readonly IngestedRecord[],
    best: ReadonlyMap<number, BestCandidate>,
    private readonly pairsCompared: number,
  ) {
    records.forEach((record, i) => {
      const candidate = best.get(-(i + 1));
      if (candidate) this.byStudent.set(record.stateStudentId, candidate);
    });
  }

  /** The stored child a new record is to be inserted with, when it links. */
  childIdOf(stateStudentId: string): string | undefined {
    const candidate = this.byStudent.get(stateStudentId);
    return candidate?.decision === 'link' ? candidate.childId : undefined;
  }

  /**
   * With the batch stored (`ids`: record id by state student ID): every record's blocking keys,
   * the explanation of each link, the near-match items.
   */
  async finish(ids: ReadonlyMap<string, number>): Promise<LinkCounts> {
    const { store, tx, stateCode } = this;
    const counts = emptyLinkCounts();
    counts.pairsCompared = this.pairsCompared;
    const keyed = (r: IngestedRecord) => {
      const id = ids.get(r.stateStudentId);
      return id === undefined ? [] : [{ studentRecordId: id, stateCode, fields: r.fields }];
    };
    await writeKeysFor(store, tx, this.records.filter((r) => r.stored).flatMap(keyed));
    const fresh = this.records.filter((r) => !r.stored);
    await timedPhase('key writes', () =>
      writeKeysFor(store, tx, fresh.flatMap(keyed), { fresh: true }),
    );
    const links: RecordLinkInput[] = [];
    const near: { studentRecordId: number; candidate: BestCandidate }[] = [];
    for (const record of fresh) {
      const studentRecordId = ids.get(record.stateStudentId);
      const candidate = this.byStudent.get(record.stateStudentId);
      if (studentRecordId === undefined) continue;
      if (candidate?.decision === 'link') {
        links.push({
          studentRecordId,
          childId: candidate.childId,
          method: 'auto',
          score: candidate.score.score,
          matchedRecordId: candidate.matchedRecordId,
          contributions: explanation(candidate),
          linkedBy: null,
        });
      } else if (candidate?.decision === 'near-match') {
        near.push({ studentRecordId, candidate });
      }
    }
    // The records were inserted linked: only the explanations are written (none to replace).
    await timedPhase('link writes', () => writeRecordLinks(store, tx, links, { fresh: true }));
    if (near.length > 0) await timedPhase('worklist items', () => this.nearMatches(near));
    counts.linked = links.length;
    counts.nearMatches = near.length;
    counts.newChildren = fresh.filter((r) => ids.has(r.stateStudentId)).length - links.length;
    return counts;
  }

  private async nearMatches(
    near: readonly { studentRecordId: number; candidate: BestCandidate }[],
  ): Promise<void> {
    const { store, tx, runtime, stateCode } = this;
    // The child each record was given as it was stored.
    const own = await readRecordChildren(
      store,
      tx,
      near.map((n) => n.studentRecordId),
    );
    const enrollments = await latestEnrollments(store, tx, [
      ...near.map((n) => n.candidate.childId),
      ...[...own.values()].flatMap((o) => o.childId ?? []),
    ]);
    const items: WorklistItemInput[] = near.flatMap(({ studentRecordId, candidate }) => {
      const childId = own.get(studentRecordId)?.childId;
      if (!childId) return [];
      const mine = enrollments.get(childId);
      const theirs = enrollments.get(candidate.childId);
      // The child's most recent enrollment, in either state.
      const latest =
        !theirs || (mine && mine.enrollmentDate >= theirs.enrollmentDate) ? mine : theirs;
      const assignment = initialAssignment(
        runtime.settings,
        latest?.stateCode ?? stateCode,
        latest?.districtId ?? null,
      );
      return [
        {
          kind: 'near-match',
          status: 'open',
          ...assignment,
          studentRecordId,
          childId,
          candidateChildId: candidate.childId,
          score: candidate.score.score,
          contributions: explanation(candidate),
        },
      ];
    });
    await createWorklistItems(store, tx, items);
  }
}

/**
 * Decides, for a batch about to be stored, which new records link to a stored child and which
 * are near matches. When no other state has a record there is no candidate (candidates are
 * records of other states): the first state loaded into a store does not pay for a search that
 * cannot find anything.
 */
export async function linkBeforeStoring(
  store: Store,
  tx: Transaction,
  runtime: LinkageRuntime,
  stateCode: string,
  records: readonly IngestedRecord[],
): Promise<BatchLinks> {
  // Records not stored yet have no id: each is numbered -(its index + 1) while it is decided.
  const fresh = records.flatMap((record, i) =>
    record.stored ? [] : [{ studentRecordId: -(i + 1), stateCode, fields: record.fields }],
  );
  const { best, pairsCompared } =
    fresh.length > 0 && (await otherStatesHaveRecords(store, tx, stateCode))
      ? await timedPhase('deciding', () => bestCandidates(store, tx, runtime, fresh))
      : { best: new Map<number, BestCandidate>(), pairsCompared: 0 };
  return new BatchLinks(store, tx, runtime, stateCode, records, best, pairsCompared);
}
