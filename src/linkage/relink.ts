/**
 * Linkage over the whole store, for a job after the weights change (or after upgrading a store
 * whose records predate the blocking keys): keys rebuilt, optionally m/u re-estimated by EM,
 * then every record compared again with the other states' children. A pair now above the upper
 * threshold merges the two children (the candidate's 12-digit id survives; the merge is history
 * that can be reverted); a pair between thresholds becomes a near-match item unless one is open
 * or an administrator ruled the pair different. Links are never undone here: that is a split,
 * which a person decides.
 */
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import {
  readLinkageRows,
  recordIdPage,
  sampleRecordIds,
  findAllCandidatePairs,
} from '../store/repositories/linkage.js';
import { latestEnrollments, readChildFacts } from '../store/repositories/linkage-children.js';
import { saveEstimatedWeights } from '../store/repositories/record-links.js';
import {
  createWorklistItems,
  differentPairs,
  openItemsAbout,
} from '../store/repositories/worklist.js';
import type { WorklistItemInput } from '../store/repositories/worklist.js';
import { initialAssignment } from './assignment.js';
import { keyKindRange } from './blocking.js';
import { applyMerge } from './changes.js';
import { comparePeople } from './compare.js';
import type { Levels } from './compare.js';
import { estimateWeights } from './em.js';
import type { EmResult } from './em.js';
import { bestCandidates, explanation, writeKeysFor } from './link-records.js';
import { linkagePerson } from './person.js';
import type { LinkageFields, LinkagePerson } from './person.js';
import { linkageRuntime } from './settings.js';
import type { LinkageSettings } from './settings.js';
import { resolveWeights } from './weights.js';
import type { PinnedWeights } from './weights.js';

const PAGE = 500;
export const RELINK_ACTOR = 'system:relink';

export interface RelinkCounts {
  records: number;
  pairsCompared: number;
  merged: number;
  nearMatches: number;
  weights?: { lambda: number; iterations: number; pairs: number };
}

/** Rewrites the blocking keys of every record, a page at a time. */
export async function rebuildLinkageKeys(store: Store): Promise<number> {
  let after = 0;
  let total = 0;
  for (;;) {
    const ids = await recordIdPage(store, after, 5000);
    if (ids.length === 0) return total;
    const rows = await readLinkageRows(store, undefined, ids);
    await writeKeysFor(
      store,
      undefined,
      [...rows.values()].map((r) => ({
        studentRecordId: r.studentRecordId,
        stateCode: r.stateCode,
        fields: r as unknown as LinkageFields,
      })),
    );
    total += ids.length;
    after = ids[ids.length - 1] as number;
  }
}

/**
 * m by EM over samples of the store's candidate pairs, u from random pairs, as Splink does:
 * a field the blocking made agree says nothing about m, so EM runs once on the pairs that share
 * a birth date (the birth date left out; every other m estimated) and once on the pairs that
 * share a phonetic surname (the surname left out; the birth date's m taken from it). Pinned
 * values are kept. The estimate is stored and used by every later ingest.
 */
export async function estimateLinkageWeights(
  store: Store,
  settings: LinkageSettings,
): Promise<EmResult> {
  const limit = Math.ceil(settings.em.maxCandidatePairs / 2);
  // A name word with the birth date (either kind), and a surname with the birth date.
  const byDate = await findAllCandidatePairs(store, {
    limit,
    keys: keyKindRange('given', 'surname'),
  });
  const bySurname = await findAllCandidatePairs(store, { limit, keys: keyKindRange('surname') });
  const sample = await sampleRecordIds(store, Math.min(2000, settings.em.randomPairs));
  const ids = [...new Set([...[...byDate, ...bySurname].flatMap((p) => [p.a, p.b]), ...sample])];
  const rows = await readLinkageRows(store, undefined, ids);
  const people = new Map<number, LinkagePerson>();
  for (const [id, row] of rows) people.set(id, linkagePerson(row as unknown as LinkageFields));
  const levels = (a: number, b: number): Levels | undefined => {
    const [pa, pb] = [people.get(a), people.get(b)];
    return pa && pb ? comparePeople(pa, pb).levels : undefined;
  };
  const random: Levels[] = [];
  for (let i = 0; i + 1 < sample.length && random.length < settings.em.randomPairs; i++) {
    for (let j = i + 1; j < sample.length && random.length < settings.em.randomPairs; j += 7) {
      const l = levels(sample[i] as number, sample[j] as number);
      if (l) random.push(l);
    }
  }
  const pinned = settings.weights as PinnedWeights;
  const start = resolveWeights(undefined, pinned);
  const hold = (field: 'birthDate' | 'lastName'): PinnedWeights => ({
    ...pinned,
    [field]: Object.fromEntries(
      Object.entries(start[field]).map(([level, mu]) => [
        level,
        { m: mu.m, ...pinned[field]?.[level] },
      ]),
    ),
  });
  const options = { maxIterations: settings.em.maxIterations, start };
  // The field a session blocked on agrees in (nearly) every pair: it is left out of that
  // session's likelihood, or every pair would look like a match.
  const without = (field: 'birthDate' | 'lastName', v: Levels): Levels => ({
    ...v,
    [field]: 'missing',
  });
  const dateSession = estimateWeights(
    byDate.flatMap((p) => {
      const v = levels(p.a, p.b);
      return v ? [without('birthDate', v)] : [];
    }),
    random,
    { ...options, pinned: hold('birthDate') },
  );
  const surnameSession = estimateWeights(
    bySurname.flatMap((p) => {
      const v = levels(p.a, p.b);
      return v ? [without('lastName', v)] : [];
    }),
    random,
    { ...options, pinned: hold('lastName') },
  );
  const weights = structuredClone(dateSession.weights);
  weights.birthDate = structuredClone(surnameSession.weights.birthDate);
  const result: EmResult = {
    weights,
    lambda: dateSession.lambda,
    iterations: dateSession.iterations + surnameSession.iterations,
    pairs: dateSession.pairs + surnameSession.pairs,
  };
  if (result.pairs > 0) {
    await saveEstimatedWeights(
      store,
      weights as unknown as Record<string, Record<string, { m: number; u: number }>>,
      result.pairs,
    );
  }
  return result;
}

export interface RelinkOptions {
  /** Re-estimate m/u by EM first (default true). */
  estimate?: boolean;
  /** Rebuild every record's blocking keys first (default true). */
  rebuildKeys?: boolean;
}

/** The whole-store relink job (see the file comment). */
export async function relinkAll(
  store: Store,
  config: Pick<Config, 'linkage'>,
  options: RelinkOptions = {},
): Promise<RelinkCounts> {
  const settings = config.linkage;
  const counts: RelinkCounts = { records: 0, pairsCompared: 0, merged: 0, nearMatches: 0 };
  if (options.rebuildKeys !== false) await rebuildLinkageKeys(store);
  if (options.estimate !== false) {
    const em = await estimateLinkageWeights(store, settings);
    counts.weights = { lambda: em.lambda, iterations: em.iterations, pairs: em.pairs };
  }
  const runtime = await linkageRuntime(store, settings);
  const different = await differentPairs(store);
  let after = 0;
  for (;;) {
    const ids = await recordIdPage(store, after, PAGE);
    if (ids.length === 0) break;
    after = ids[ids.length - 1] as number;
    const rows = await readLinkageRows(store, undefined, ids);
    const records = [...rows.values()]
      .filter((r) => r.childId)
      .map((r) => ({
        studentRecordId: r.studentRecordId,
        stateCode: r.stateCode,
        childId: r.childId,
        fields: r as unknown as LinkageFields,
      }));
    counts.records += records.length;
    const { best, pairsCompared } = await bestCandidates(
      store,
      undefined,
      runtime,
      records,
      (recordId, childId) => different.has(`${recordId}:${childId}`),
    );
    counts.pairsCompared += pairsCompared;
    const near: WorklistItemInput[] = [];
    for (const record of records) {
      const candidate = best.get(record.studentRecordId);
      if (!candidate || candidate.decision === 'new') continue;
      // The record's child now (an earlier merge of this run may have moved it).
      const now = await readLinkageRows(store, undefined, [record.studentRecordId]);
      const own = now.get(record.studentRecordId)?.childId;
      if (!own || own === candidate.childId) continue;
      const facts = await readChildFacts(store, undefined, [own, candidate.childId]);
      const [mine, theirs] = [facts.get(own), facts.get(candidate.childId)];
      if (!mine || !theirs || mine.locked || theirs.locked) continue;
      // Two children that both hold a record of one state stay two: that state's IDs decide.
      if ([...mine.states].some((s) => theirs.states.has(s))) continue;
      if (candidate.decision === 'link') {
        await store.sequelize.transaction((tx) =>
          applyMerge(store, tx, {
            master: candidate.childId,
            others: [own],
            actor: RELINK_ACTOR,
            worklistItemId: null,
            explanation: {
              studentRecordId: record.studentRecordId,
              score: candidate.score.score,
              contributions: explanation(candidate),
              method: 'auto',
            },
          }),
        );
        counts.merged++;
      } else {
        const open = await openItemsAbout(store, undefined, [own]);
        if (
          open.some(
            (i) => i.candidateChildId === candidate.childId || i.childId === candidate.childId,
          )
        ) {
          continue;
        }
        const enrollments = await latestEnrollments(store, undefined, [own, candidate.childId]);
        const [a, b] = [enrollments.get(own), enrollments.get(candidate.childId)];
        // The child's most recent enrollment, in either state.
        const latest = !b || (a && a.enrollmentDate >= b.enrollmentDate) ? a : b;
        near.push({
          kind: 'near-match',
          status: 'open',
          ...initialAssignment(
            settings,
            latest?.stateCode ?? record.stateCode,
            latest?.districtId ?? null,
          ),
          studentRecordId: record.studentRecordId,
          childId: own,
          candidateChildId: candidate.childId,
          score: candidate.score.score,
          contributions: explanation(candidate),
        });
      }
    }
    await createWorklistItems(store, undefined, near);
    counts.nearMatches += near.length;
  }
  return counts;
}
