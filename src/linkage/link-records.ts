/**
 * Linking records to stored children across states (DESIGN.md section 6), for one batch:
 * candidate pairs from the records' lookup keys searched for in the key table, each pair scored
 * field by field, the best child per record decided against the thresholds. Set-based: a batch of
 * 500 costs a fixed number of statements, whatever the store's size. What ingest does with the
 * decisions is in ingest-linking.ts; the relink job's in relink.ts.
 */
import type { Transaction } from 'sequelize';
import type { Store } from '../store/index.js';
import {
  findKeyMatches,
  readLinkageRows,
  readRecordChildren,
  replaceLinkageKeys,
} from '../store/repositories/linkage.js';
import { readChildFacts } from '../store/repositories/linkage-children.js';
import type { ChildFacts } from '../store/repositories/linkage-children.js';
import { blockingKeys, lookupKeys } from './blocking.js';
import { linkagePerson } from './person.js';
import type { LinkageFields, LinkagePerson } from './person.js';
import { addPhaseTime, timedPhase } from './phase-times.js';
import type { LinkageRuntime } from './settings.js';
import { decide, scorePeople } from './weights.js';
import type { LinkDecision, PairScore } from './weights.js';

/** Normalised records kept per run (about 200 bytes each). */
const PEOPLE_CACHE = 500_000;

export interface RecordToLink {
  /** The record's id; for a record not stored yet, any number unique among the records linked. */
  studentRecordId: number;
  stateCode: string;
  /** The child the record belongs to now, if any (not a candidate for it). */
  childId?: string;
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

/** A stored record that may be compared: its child now, state and normalised fields. */
interface Candidate {
  childId: string;
  stateCode: string;
  person: LinkagePerson;
}

/**
 * The stored records each record is to be compared with: the records of other states holding
 * one of its lookup keys (blocking.ts), with a child, once per pair. Three statements: the key
 * look-up, then the fields of the candidates not normalised yet in this run and the child of
 * the others (a child changes as records link; the fields do not, within a run).
 */
async function candidatesOf(
  store: Store,
  tx: Transaction | undefined,
  runtime: LinkageRuntime,
  records: readonly RecordToLink[],
  persons: readonly LinkagePerson[],
): Promise<{ pairs: number[][]; candidates: Map<number, Candidate> }> {
  const wanted = new Map<number, number[]>();
  persons.forEach((person, i) => {
    for (const key of lookupKeys(person)) {
      const list = wanted.get(key);
      if (list) list.push(i);
      else wanted.set(key, [i]);
    }
  });
  const states = new Set(records.map((r) => r.stateCode));
  const only = states.size === 1 ? [...states][0] : undefined;
  const matches = await timedPhase('key look-up', () =>
    findKeyMatches(store, tx, [...wanted.keys()], only),
  );
  const found = records.map(() => new Set<number>());
  for (const match of matches) {
    for (const i of wanted.get(match.key) ?? []) {
      const record = records[i] as RecordToLink;
      if (match.stateCode === record.stateCode) continue;
      found[i]?.add(match.studentRecordId);
    }
  }
  const ids = [...new Set(found.flatMap((f) => [...f]))];
  // Stored records come back as candidates batch after batch: normalised once per run.
  const people = runtime.people;
  const known = ids.filter((id) => people.has(id));
  const fresh = ids.filter((id) => !people.has(id));
  const candidates = new Map<number, Candidate>();
  for (const [id, row] of await timedPhase('candidate rows', () =>
    readLinkageRows(store, tx, fresh),
  )) {
    if (people.size >= PEOPLE_CACHE) people.clear();
    const person = linkagePerson(row as unknown as LinkageFields);
    people.set(id, person);
    if (row.childId) candidates.set(id, { childId: row.childId, stateCode: row.stateCode, person });
  }
  for (const [id, row] of await timedPhase('candidate children', () =>
    readRecordChildren(store, tx, known),
  )) {
    const person = people.get(id);
    if (row.childId && person) {
      candidates.set(id, { childId: row.childId, stateCode: row.stateCode, person });
    }
  }
  return { pairs: found.map((f) => [...f]), candidates };
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
  const persons = records.map((r) => linkagePerson(r.fields));
  const { pairs, candidates } = await timedPhase('candidates', () =>
    candidatesOf(store, tx, runtime, records, persons),
  );
  // First every pair's score (pairs that cannot reach the lower threshold stop early), then the
  // facts of the few children still in the running.
  const passing = new Map<number, Passing[]>();
  let pairsCompared = 0;
  const t0 = performance.now();
  records.forEach((record, i) => {
    const a = persons[i] as LinkagePerson;
    for (const matched of pairs[i] ?? []) {
      const candidate = candidates.get(matched);
      if (!candidate || matched === record.studentRecordId) continue;
      if (candidate.childId === record.childId) continue;
      if (skip?.(record.studentRecordId, candidate.childId)) continue;
      const b = candidate.person;
      pairsCompared++;
      const score = scorePeople(
        runtime.weights,
        a,
        b,
        a.multipleBirth || b.multipleBirth,
        runtime.thresholds.lower,
      );
      if (!score) continue;
      const list = passing.get(record.studentRecordId) ?? [];
      list.push({ record, childId: candidate.childId, matched, score });
      passing.set(record.studentRecordId, list);
    }
  });
  addPhaseTime('scoring', performance.now() - t0);
  const best = await timedPhase('child facts', () => pickBest(store, tx, runtime, passing));
  return { best, pairsCompared };
}

interface Passing {
  record: RecordToLink;
  childId: string;
  matched: number;
  score: PairScore;
}

/**
 * Each record's best-scoring child that its child's facts do not rule out. Facts are read for
 * each record's best pair first, and for the next only where that one was ruled out: most
 * records have one child worth looking at, and each look-up is a read of the child's records.
 */
async function pickBest(
  store: Store,
  tx: Transaction | undefined,
  runtime: LinkageRuntime,
  passing: ReadonlyMap<number, Passing[]>,
): Promise<Map<number, BestCandidate>> {
  const best = new Map<number, BestCandidate>();
  // Highest score first; a stable sort keeps the first pair found among equal scores.
  const queues = [...passing.values()].map((list) =>
    [...list].sort((x, y) => y.score.score - x.score.score),
  );
  const facts = new Map<string, ChildFacts | undefined>();
  let heads = queues.map((queue) => ({ queue, at: 0 }));
  while (heads.length > 0) {
    const unknown = heads
      .map((h) => (h.queue[h.at] as Passing).childId)
      .filter((id) => !facts.has(id));
    const read = await readChildFacts(store, tx, unknown);
    for (const id of unknown) facts.set(id, read.get(id));
    const next: typeof heads = [];
    for (const head of heads) {
      const { record, childId, matched, score: scored } = head.queue[head.at] as Passing;
      const childFacts = facts.get(childId);
      // Only active children are candidates (a merged or split one keeps no records, normally).
      // Within a state the state's own ID decides: a child the state already holds is not a match.
      if ((childFacts && !childFacts.active) || childFacts?.states.has(record.stateCode)) {
        if (head.at + 1 < head.queue.length) next.push({ queue: head.queue, at: head.at + 1 });
        continue;
      }
      const score =
        childFacts?.multipleBirth &&
        !scored.twinRule &&
        scored.contributions.find((c) => c.field === 'firstName')?.level === 'different'
          ? { ...scored, twinRule: true }
          : scored;
      let decision = decide(score, runtime.thresholds);
      // A child waiting for a merge or split is not changed under the administrators' feet.
      if (decision === 'link' && childFacts?.locked) decision = 'near-match';
      best.set(record.studentRecordId, { childId, matchedRecordId: matched, score, decision });
    }
    heads = next;
  }
  return best;
}

export function explanation(candidate: BestCandidate) {
  return {
    contributions: candidate.score.contributions,
    namesSwapped: candidate.score.namesSwapped,
    twinRule: candidate.score.twinRule,
    matchedRecordId: candidate.matchedRecordId,
  };
}
