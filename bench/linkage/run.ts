/**
 * Record linkage (issue 6), on PostgreSQL.
 *
 * Quality: the demo generator's children (the same child in several states with the slips of
 * src/demo/variations.ts, twins, siblings) go through the ingest writer state by state; the
 * generator's ground truth then says which cross-state record pairs are the same child.
 * Prints precision and recall of auto-links, recall of auto-links plus worklist items, and the
 * worklist rate (targets: precision >= 0.995, recall with worklist >= 0.99, worklist < 3%).
 *
 * Speed: N stored children (the demo generator's records re-drawn into N distinct people: names
 * and birth dates from the same pools, so blocks are as large as real ones would be), then a new
 * state file of M records (half of them the stored children with slips, half new people) linked
 * against them. Prints seconds, records/s, pairs compared/s, for each N.
 *
 *   npx tsx bench/linkage/run.ts [--quality 4000] [--stored 100000,200000] [--incoming 20000]
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { QueryTypes, Sequelize } from 'sequelize';
import type { Transaction } from 'sequelize';
import { generateDemoDataset } from '../../src/demo/index.js';
import type { DemoState } from '../../src/demo/index.js';
import { DemoRandom } from '../../src/demo/random.js';
import { applyVariations } from '../../src/demo/variations.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import { SubmissionBatchWriter } from '../../src/ingest/batch-writer.js';
import { relinkAll } from '../../src/linkage/relink.js';
import { defaultLinkageSettings, linkageRuntime } from '../../src/linkage/settings.js';
import type { LinkageRuntime } from '../../src/linkage/settings.js';
import type { Store } from '../../src/store/index.js';
import {
  closeStore,
  createSubmission,
  initStore,
  migrate,
  upsertStates,
} from '../../src/store/index.js';
import { parseArgs } from '../lib/bench-data.js';

const args = parseArgs({ quality: '4000', stored: '100000,200000', incoming: '20000', seed: '7' });
const adminUrl = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string): Promise<void> {
  const s = new Sequelize(adminUrl, { dialect: 'postgres', logging: false });
  try {
    await s.query(sql);
  } finally {
    await s.close();
  }
}

async function scratchStore(): Promise<{ store: Store; drop: () => Promise<void> }> {
  const name = `continuum_bench_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await initStore({ url: url.toString() });
  await migrate(store.sequelize);
  await upsertStates(
    store,
    ['CA', 'TX', 'FL', 'WA', 'NV'].map((code) => ({ code, name: code })),
  );
  return {
    store,
    drop: async () => {
      await closeStore(store);
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** Feeds documents through the ingest writer (checks and mapping already done), one transaction. */
async function write(
  store: Store,
  state: string,
  docs: readonly ExchangeDocument[],
  linkage: LinkageRuntime | undefined,
) {
  const submission = await createSubmission(store, {
    stateCode: state,
    fileName: `${state}.bench`,
    fileSha256: randomBytes(32).toString('hex'),
  });
  return store.sequelize.transaction(async (tx: Transaction) => {
    const writer = new SubmissionBatchWriter(
      store,
      tx,
      { id: submission.id, stateCode: state, receivedAt: new Date() },
      `${state}.bench`,
      10,
      linkage,
    );
    for (let i = 0; i < docs.length; i++) {
      const document = docs[i] as ExchangeDocument;
      writer.add({
        kind: 'upsert',
        row: i + 1,
        stateStudentId: document.student.stateStudentId,
        document,
      });
      if (writer.size >= 500) await writer.flush();
    }
    await writer.flush();
    return writer.linkCounts;
  });
}

interface StoredRow {
  state_code: string;
  state_student_id: string;
  child_id: string;
}

async function quality(children: number, seed: number): Promise<void> {
  const { store, drop } = await scratchStore();
  try {
    const dataset = generateDemoDataset({ children, seed, extraVariations: true });
    const runtime = await linkageRuntime(store, defaultLinkageSettings());
    let incoming = 0;
    const order: DemoState[] = ['CA', 'TX', 'FL', 'WA'];
    let near = 0;
    for (const state of order) {
      const counts = await write(store, state, dataset.byState[state], runtime);
      incoming += dataset.byState[state].length;
      near += counts.nearMatches;
    }
    const report = async (label: string, worklist: number) => {
      const rows = await store.sequelize.query<StoredRow>(
        'SELECT state_code, state_student_id, child_id FROM student_records',
        { type: QueryTypes.SELECT },
      );
      const childOf = new Map(
        rows.map((r) => [`${r.state_code}:${r.state_student_id}`, r.child_id.trim()]),
      );
      const items = await store.sequelize.query<{ child_id: string; candidate_child_id: string }>(
        `SELECT child_id, candidate_child_id FROM worklist_items WHERE kind = 'near-match'`,
        { type: QueryTypes.SELECT },
      );
      const proposed = new Set(
        items.flatMap((i) => [
          `${i.child_id.trim()}|${i.candidate_child_id.trim()}`,
          `${i.candidate_child_id.trim()}|${i.child_id.trim()}`,
        ]),
      );
      const personOf = new Map<string, string>();
      for (const p of dataset.people) {
        for (const r of p.records) personOf.set(`${r.state}:${r.stateStudentId}`, p.personId);
      }
      // Cross-state pairs: same person (truth) and same child (prediction).
      let truePairs = 0;
      let found = 0;
      let foundOrProposed = 0;
      for (const p of dataset.people) {
        const keys = p.records.map((r) => `${r.state}:${r.stateStudentId}`);
        for (let i = 0; i < keys.length; i++) {
          for (let j = i + 1; j < keys.length; j++) {
            truePairs++;
            const [a, b] = [childOf.get(keys[i] as string), childOf.get(keys[j] as string)];
            if (a && a === b) found++;
            if ((a && a === b) || proposed.has(`${a}|${b}`)) foundOrProposed++;
          }
        }
      }
      const byChild = new Map<string, string[]>();
      for (const [key, child] of childOf) {
        const list = byChild.get(child) ?? [];
        list.push(key);
        byChild.set(child, list);
      }
      let predicted = 0;
      let correct = 0;
      for (const keys of byChild.values()) {
        for (let i = 0; i < keys.length; i++) {
          for (let j = i + 1; j < keys.length; j++) {
            predicted++;
            if (personOf.get(keys[i] as string) === personOf.get(keys[j] as string)) correct++;
          }
        }
      }
      const twins = dataset.people.filter((p) => p.twinOf).length;
      console.log(
        `quality (${label}): ${children} demo children (${twins} twins), ${incoming} state records, seed ${seed}`,
      );
      console.log(`  cross-state same-child pairs (truth): ${truePairs}`);
      console.log(
        `  auto-link precision: ${(correct / Math.max(predicted, 1)).toFixed(4)} (${correct}/${predicted})`,
      );
      console.log(`  auto-link recall:    ${(found / Math.max(truePairs, 1)).toFixed(4)}`);
      console.log(
        `  recall incl. worklist: ${(foundOrProposed / Math.max(truePairs, 1)).toFixed(4)}`,
      );
      console.log(
        `  worklist items: ${worklist} (${((100 * worklist) / incoming).toFixed(2)}% of incoming records)`,
      );
    };
    await report('as ingested, default weights', near);
    // The whole-store job: m/u re-estimated by EM from the store, then every record relinked.
    const t0 = performance.now();
    const relinked = await relinkAll(store, { linkage: defaultLinkageSettings() });
    const relinkSeconds = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(
      `  relinkAll: ${relinkSeconds} s, EM lambda ${relinked.weights?.lambda.toFixed(3)} after ` +
        `${relinked.weights?.iterations} iterations over ${relinked.weights?.pairs} pairs; ` +
        `${relinked.merged} merges, ${relinked.nearMatches} new worklist items`,
    );
    await report('after relinkAll with EM weights', near + relinked.nearMatches);
  } finally {
    await drop();
  }
}

/** N distinct people from the demo pools: names recombined, birth dates re-drawn within ages 3-18. */
function people(base: readonly ExchangeDocument[], n: number, rng: DemoRandom, prefix: string) {
  const firsts = base.map((d) => [d.student.sex, d.student.firstName] as const);
  const surnames = base.map((d) => d.student.lastName1);
  const seconds = base.flatMap((d) => (d.student.lastName2 ? [d.student.lastName2] : []));
  return Array.from({ length: n }, (_, i) => {
    const doc = structuredClone(base[i % base.length] as ExchangeDocument);
    const s = doc.student;
    s.stateStudentId = `${prefix}${String(i).padStart(9, '0')}`;
    const sameSex = firsts[rng.int(0, firsts.length - 1)] as readonly [string, string];
    s.firstName = sameSex[1];
    s.lastName1 = surnames[rng.int(0, surnames.length - 1)] as string;
    if (s.lastName2) s.lastName2 = seconds[rng.int(0, seconds.length - 1)];
    const day = rng.int(0, 15 * 365);
    s.birthDate = new Date(Date.UTC(2007, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    doc.courses = [];
    doc.assessments = [];
    doc.enrollments = doc.enrollments.slice(0, 1);
    doc.qualifyingMoves = doc.qualifyingMoves.slice(0, 1);
    return doc;
  });
}

async function speed(stored: number, incoming: number, seed: number): Promise<void> {
  const { store, drop } = await scratchStore();
  try {
    const base = generateDemoDataset({ children: 3000, seed }).byState.FL;
    const rng = new DemoRandom(seed);
    const storedDocs = people(base, stored, rng, 'S');
    const t0 = performance.now();
    await write(store, 'CA', storedDocs, await linkageRuntime(store));
    const loadSeconds = (performance.now() - t0) / 1000;
    await store.sequelize.query('ANALYZE');
    // Half the new file: stored children seen again in a new state, with a registrar's slips.
    const same = Array.from({ length: incoming / 2 }, (_, i) => {
      const doc = structuredClone(storedDocs[rng.int(0, stored - 1)] as ExchangeDocument);
      doc.student.stateStudentId = `N${String(i).padStart(9, '0')}`;
      applyVariations(rng, doc, 'TX');
      return doc;
    });
    const fresh = people(base, incoming / 2, rng, 'M');
    const runtime = await linkageRuntime(store);
    const t1 = performance.now();
    const counts = await write(store, 'TX', [...same, ...fresh], runtime);
    const seconds = (performance.now() - t1) / 1000;
    // The same file's records written once more for another state with linking off: what the
    // ingest itself costs, so the figure above can be read as ingest + linking.
    const plain = [...same, ...fresh].map((doc, i) => {
      const copy = structuredClone(doc);
      copy.student.stateStudentId = `P${String(i).padStart(9, '0')}`;
      return copy;
    });
    const t2 = performance.now();
    await write(store, 'NV', plain, undefined);
    const plainSeconds = (performance.now() - t2) / 1000;
    console.log(
      `speed: ${incoming} new records against ${stored} stored children: ${seconds.toFixed(1)} s ` +
        `(${Math.round(incoming / seconds)} records/s, ingest and linking together), ` +
        `${counts.pairsCompared} pairs compared (${Math.round(counts.pairsCompared / seconds)} pairs/s, ` +
        `${(counts.pairsCompared / incoming).toFixed(1)} per record); linked ${counts.linked} of ` +
        `${same.length} re-seen, worklist ${counts.nearMatches}; the same file without linking ` +
        `${plainSeconds.toFixed(1)} s; loading the stored children took ${loadSeconds.toFixed(1)} s`,
    );
  } finally {
    await drop();
  }
}

console.log(`linkage bench, PostgreSQL, ${os.cpus().length} x ${os.cpus()[0]?.model}`);
const seed = Number(args['seed']);
if (Number(args['quality']) > 0) await quality(Number(args['quality']), seed);
for (const n of (args['stored'] ?? '').split(',').filter(Boolean)) {
  await speed(Number(n), Number(args['incoming']), seed);
}
