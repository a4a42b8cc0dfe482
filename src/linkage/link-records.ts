/**
 * Linking new records to stored children across states (DESIGN.md section 6), for one batch:
 * blocking keys written, candidate pairs from one self-join of the key table, each pair scored
 * field by field, the best child per record decided against the thresholds. Set-based: a batch of
 * 500 costs a fixed number of statements, whatever the store's size.
 */
import type { Transaction } from 'sequelize';
import type { Store } from '../store/index.js';
import { linkStudentRecords } from '../store/index.js';
import { findCandidatePairs, replaceLinkageKeys } from '../store/repositories/linkage.js';
import {
  deleteUnusedChildren,
  latestEnrollments,
  readChildFacts,
} from '../store/repositories/linkage-children.js';
import { writeRecordLinks } from '../store/repositories/record-links.js';
import type { RecordLinkInput } from '../store/repositories/record-links.js';
import { createWorklistItems } from '../store/repositories/worklist.js';
import type { WorklistItemInput } from '../store/repositories/worklist.js';
import { initialAssignment } from './assignment.js';
import { blockingKeys } from './blocking.js';
import { linkagePerson } from './person.js';
import type { LinkageFields } from './person.js';
import type { LinkageRuntime } from './settings.js';
import { decide, scorePeople } from './weights.js';
import type { LinkDecision, PairScore } from './weights.js';

/** Normalised records kept per run (about 200 bytes each). */
const PEOPLE_CACHE = 500_000;

export interface RecordToLink {
  studentRecordId: number;
  stateCode: string;
  /** The child the record was given when stored (its own, new). */
  childId: string;
  fields: LinkageFields;
}

export interface BestCandidate {
  childId: string;
  matchedRecordId: number;
  score: PairScore;
  decision: LinkDecision;
}

export interface LinkCounts {
  linked: number;
  nearMatches: number;
  newChildren: number;
  pairsCompared: number;
}

export function emptyLinkCounts(): LinkCounts {
  return { linked: 0, nearMatches: 0, newChildren: 0, pairsCompared: 0 };
}

/**
 * Writes (replaces) the blocking keys of records. `fresh`: records inserted in this transaction,
 * which have none to delete.
 */
export async function writeKeysFor(
  store: Store,
  tx: Transaction | undefined,
  records: readonly { studentRecordId: number; stateCode: string; fields: LinkageFields }[],
  options: { fresh?: boolean } = {},
): Promise<void> {
  await replaceLinkageKeys(
    store,
    tx,
    records.map((r) => ({
      studentRecordId: r.studentRecordId,
      stateCode: r.stateCode,
      keys: blockingKeys(linkagePerson(r.fields)),
    })),
    options,
  );
}

/**
 * The best stored child for each record, or none. Children already holding a record of the
 * record's state are not candidates (within a state, the state's own ID decides). `skip` says
 * which record/child pairs an administrator ruled different.
 */
export async function bestCandidates(
  store: Store,
  tx: Transaction | undefined,
  runtime: LinkageRuntime,
  records: readonly RecordToLink[],
  skip?: (studentRecordId: number, childId: string) => boolean,
): Promise<{ best: Map<number, BestCandidate>; pairsCompared: number }> {
  const byId = new Map(records.map((r) => [r.studentRecordId, r]));
  const pairs = await findCandidatePairs(store, tx, [...byId.keys()]);
  // Stored records come back as candidates batch after batch: normalised once per run.
  const people = runtime.people;
  const personOf = (id: number, fields: LinkageFields) => {
    let person = people.get(id);
    if (!person) {
      if (people.size >= PEOPLE_CACHE) people.clear();
      people.set(id, (person = linkagePerson(fields)));
    }
    return person;
  };
  // First every pair's score (pairs that cannot reach the lower threshold stop early), then the
  // facts of the few children still in the running.
  const passing: { record: RecordToLink; childId: string; matched: number; score: PairScore }[] =
    [];
  let pairsCompared = 0;
  for (const pair of pairs) {
    const record = byId.get(pair.newRecordId);
    if (!record || pair.childId === record.childId) continue;
    if (skip?.(record.studentRecordId, pair.childId)) continue;
    const a = personOf(record.studentRecordId, record.fields);
    const b = personOf(pair.studentRecordId, pair as unknown as LinkageFields);
    pairsCompared++;
    const score = scorePeople(
      runtime.weights,
      a,
      b,
      a.multipleBirth || b.multipleBirth,
      runtime.thresholds.lower,
    );
    if (score)
      passing.push({ record, childId: pair.childId, matched: pair.studentRecordId, score });
  }
  const facts = await readChildFacts(
    store,
    tx,
    passing.map((p) => p.childId),
  );
  const best = new Map<number, BestCandidate>();
  for (const { record, childId, matched, score: scored } of passing) {
    const childFacts = facts.get(childId);
    // Only active children are candidates (a merged or split one keeps no records, normally).
    if (childFacts && !childFacts.active) continue;
    // Within a state the state's own ID decides: a child the state already holds is not a match.
    if (childFacts?.states.has(record.stateCode)) continue;
    const score =
      childFacts?.multipleBirth &&
      !scored.twinRule &&
      scored.contributions.find((c) => c.field === 'firstName')?.level === 'different'
        ? { ...scored, twinRule: true }
        : scored;
    const known = best.get(record.studentRecordId);
    if (known && known.score.score >= score.score) continue;
    let decision = decide(score, runtime.thresholds);
    // A child waiting for a merge or split is not changed under the administrators' feet.
    if (decision === 'link' && childFacts?.locked) decision = 'near-match';
    best.set(record.studentRecordId, { childId, matchedRecordId: matched, score, decision });
  }
  return { best, pairsCompared };
}

export function explanation(candidate: BestCandidate) {
  return {
    contributions: candidate.score.contributions,
    namesSwapped: candidate.score.namesSwapped,
    twinRule: candidate.score.twinRule,
    matchedRecordId: candidate.matchedRecordId,
  };
}

/**
 * Links records just stored (each with a new child of its own) to stored children of other
 * states: above the upper threshold the record moves to that child and its own new child is
 * deleted; between thresholds a near-match worklist item is made and the record keeps its child.
 */
export async function linkNewRecords(
  store: Store,
  tx: Transaction | undefined,
  runtime: LinkageRuntime,
  records: readonly RecordToLink[],
): Promise<LinkCounts> {
  const counts = emptyLinkCounts();
  if (records.length === 0) return counts;
  // The records were just stored (each with a new child of its own): no keys to replace.
  await writeKeysFor(store, tx, records, { fresh: true });
  const { best, pairsCompared } = await bestCandidates(store, tx, runtime, records);
  counts.pairsCompared = pairsCompared;
  const links: RecordLinkInput[] = [];
  const near: { record: RecordToLink; candidate: BestCandidate }[] = [];
  for (const record of records) {
    const candidate = best.get(record.studentRecordId);
    if (candidate?.decision === 'link') {
      links.push({
        studentRecordId: record.studentRecordId,
        childId: candidate.childId,
        method: 'auto',
        score: candidate.score.score,
        matchedRecordId: candidate.matchedRecordId,
        contributions: explanation(candidate),
        linkedBy: null,
      });
    } else if (candidate?.decision === 'near-match') {
      near.push({ record, candidate });
    }
  }
  if (links.length > 0) {
    await linkStudentRecords(store, links, tx);
    const moved = new Set(links.map((l) => l.studentRecordId));
    const freed = records.filter((r) => moved.has(r.studentRecordId)).map((r) => r.childId);
    await deleteUnusedChildren(store, tx, freed);
    await writeRecordLinks(store, tx, links);
  }
  if (near.length > 0) {
    const enrollments = await latestEnrollments(store, tx, [
      ...near.map((n) => n.candidate.childId),
      ...near.map((n) => n.record.childId),
    ]);
    const items: WorklistItemInput[] = near.map(({ record, candidate }) => {
      const mine = enrollments.get(record.childId);
      const theirs = enrollments.get(candidate.childId);
      // The child's most recent enrollment, in either state.
      const latest =
        !theirs || (mine && mine.enrollmentDate >= theirs.enrollmentDate) ? mine : theirs;
      const assignment = initialAssignment(
        runtime.settings,
        latest?.stateCode ?? record.stateCode,
        latest?.districtId ?? null,
      );
      return {
        kind: 'near-match',
        status: 'open',
        ...assignment,
        studentRecordId: record.studentRecordId,
        childId: record.childId,
        candidateChildId: candidate.childId,
        score: candidate.score.score,
        contributions: explanation(candidate),
      };
    });
    await createWorklistItems(store, tx, items);
  }
  counts.linked = links.length;
  counts.nearMatches = near.length;
  counts.newChildren = records.length - links.length;
  return counts;
}
