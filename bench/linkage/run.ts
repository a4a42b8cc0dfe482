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
 * The stored children are loaded set-based (loadStored); what is timed goes through the real
 * ingest writer with linking, in a transaction rolled back at the end, so `--keep 1` can leave
 * the loaded database (named by N and seed) for the next run to reuse.
 *
 *   node --import tsx bench/linkage/run.ts [--quality 4000] [--stored 100000,1000000]
 *     [--incoming 200000] [--keep 1] [--rekey 1]
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
import type { LinkCounts } from '../../src/linkage/link-records.js';
import { linkPhases, resetLinkPhases } from '../../src/linkage/phase-times.js';
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
import { LOAD_CHUNK, PeoplePool, writeAllKeys } from './stored-children.js';

const args = parseArgs({
  quality: '4000',
  stored: '100000,200000',
  incoming: '20000',
  seed: '7',
  keep: '',
  rekey: '',
});
const adminUrl = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string): Promise<void> {
  const s = new Sequelize(adminUrl, { dialect: 'postgres', logging: false });
  try {
    await s.query(sql);
  } finally {
    await s.close();
  }
}

/**
 * A scratch database with the schema and the bench's states. `keep`: that name, left in place at
 * the end, and reused when an earlier run loaded it completely (it holds `bench_loaded`).
 */
async function scratchStore(
  keep?: string,
): Promise<{ store: Store; drop: () => Promise<void>; reused: boolean }> {
  const name = keep ?? `continuum_bench_linkage_${randomBytes(5).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (keep) {
    const s = new Sequelize(adminUrl, { dialect: 'postgres', logging: false });
    const found = await s.query(`SELECT 1 FROM pg_database WHERE datname = '${name}'`, {
      type: QueryTypes.SELECT,
    });
    await s.close();
    if (found.length > 0) {
      const store = await initStore({ url: url.toString() });
      const loaded = await store.sequelize.query(
        `SELECT 1 FROM information_schema.tables WHERE table_name = 'bench_loaded'`,
        { type: QueryTypes.SELECT },
      );
      if (loaded.length > 0) {
        // A database kept by an older version: its schema brought up to date (a migration may
        // make the keys again).
        await migrate(store.sequelize);
        return { store, drop: () => closeStore(store), reused: true };
      }
      await closeStore(store);
      await admin(`DROP DATABASE "${name}" WITH (FORCE)`);
    }
  }
  await admin(`CREATE DATABASE "${name}"`);
  // A runaway query cannot hold the shared bench machine for long.
  await admin(`ALTER DATABASE "${name}" SET statement_timeout = '10min'`);
  const store = await initStore({ url: url.toString() });
  await migrate(store.sequelize);
  await upsertStates(
    store,
    ['CA', 'TX', 'FL', 'WA', 'NV'].map((code) => ({ code, name: code })),
  );
  return {
    store,
    reused: false,
    drop: async () => {
      await closeStore(store);
      if (!keep) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      else console.log(`kept database ${name}`);
    },
  };
}

/** Feeds documents through the ingest writer (checks and mapping already done), one transaction. */
async function write(
  store: Store,
  state: string,
  docs: readonly ExchangeDocument[],
  linkage: LinkageRuntime | undefined,
  beforeCommit?: (counts: LinkCounts) => Promise<void>,
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
    await beforeCommit?.(writer.linkCounts);
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

/**
 * The stored children, set-based: documents through the ingest writer without linking (one
 * transaction per 20,000), then their blocking keys (writeAllKeys).
 */
async function loadStored(store: Store, pool: PeoplePool, stored: number): Promise<void> {
  for (let from = 0; from < stored; from += LOAD_CHUNK) {
    const docs = Array.from({ length: Math.min(LOAD_CHUNK, stored - from) }, (_, k) =>
      pool.person('S', from + k),
    );
    await write(store, 'CA', docs, undefined);
    if ((from / LOAD_CHUNK) % 10 === 9) process.stderr.write(`  loaded ${from + LOAD_CHUNK}\n`);
  }
  await writeAllKeys(store);
}

/** Thrown to roll back a measured ingest, so a kept database stays as loaded. */
class RolledBack extends Error {}

/** As `write`, inside a transaction that is rolled back after the clock stops. */
async function measuredWrite(
  store: Store,
  state: string,
  docs: readonly ExchangeDocument[],
  linkage: LinkageRuntime | undefined,
) {
  let result: { counts: LinkCounts; seconds: number; cpu: NodeJS.CpuUsage } | undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    await write(store, state, docs, linkage, async (counts) => {
      result = {
        counts,
        seconds: (performance.now() - t0) / 1000,
        cpu: process.cpuUsage(cpu0),
      };
      throw new RolledBack();
    });
  } catch (err) {
    if (!(err instanceof RolledBack)) throw err;
  }
  if (!result) throw new Error('measured write did not finish');
  return result;
}

async function speed(stored: number, incoming: number, seed: number): Promise<void> {
  const base = generateDemoDataset({ children: 3000, seed }).byState.FL;
  const pool = new PeoplePool(base, seed);
  const name = `continuum_bench_linkage_${stored}_${seed}`;
  const keep = Boolean(args['keep']);
  const { store, drop, reused } = await scratchStore(keep ? name : undefined);
  try {
    let loadSeconds = 0;
    if (!reused) {
      const t0 = performance.now();
      await loadStored(store, pool, stored);
      loadSeconds = (performance.now() - t0) / 1000;
      if (keep) await store.sequelize.query('CREATE TABLE bench_loaded (n INTEGER)');
    } else if (args['rekey']) {
      const t0 = performance.now();
      await writeAllKeys(store);
      process.stderr.write(
        `  keys made again in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
      );
    } else {
      // The rolled-back rows of earlier runs are dead index entries until vacuumed.
      await store.sequelize.query('VACUUM ANALYZE');
    }
    const rng = new DemoRandom(seed);
    // Half the new file: stored children seen again in a new state, with a registrar's slips.
    const same = Array.from({ length: incoming / 2 }, (_, i) => {
      const doc = pool.person('S', rng.int(0, stored - 1));
      doc.student.stateStudentId = `N${String(i).padStart(9, '0')}`;
      applyVariations(rng, doc, 'TX');
      return doc;
    });
    const fresh = Array.from({ length: incoming / 2 }, (_, i) => pool.person('M', i));
    const runtime = await linkageRuntime(store);
    resetLinkPhases();
    const linked = await measuredWrite(store, 'TX', [...same, ...fresh], runtime);
    const phases = [...linkPhases()].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}`);
    const { counts, seconds } = linked;
    // The same file's records written once more for another state with linking off: what the
    // ingest itself costs, so the figure above can be read as ingest + linking.
    const plain = [...same, ...fresh].map((doc, i) => {
      const copy = structuredClone(doc);
      copy.student.stateStudentId = `P${String(i).padStart(9, '0')}`;
      return copy;
    });
    const unlinked = await measuredWrite(store, 'NV', plain, undefined);
    const cpu = (u: NodeJS.CpuUsage) => ((u.user + u.system) / 1e6).toFixed(1);
    console.log(
      `speed: ${incoming} new records against ${stored} stored children: ${seconds.toFixed(1)} s ` +
        `(${Math.round(incoming / seconds)} records/s, ingest and linking together; Node CPU ` +
        `${cpu(linked.cpu)} s), ${counts.pairsCompared} pairs compared ` +
        `(${Math.round(counts.pairsCompared / seconds)} pairs/s, ` +
        `${(counts.pairsCompared / incoming).toFixed(1)} per record); linked ${counts.linked} of ` +
        `${same.length} re-seen, worklist ${counts.nearMatches}; the same file without linking ` +
        `${unlinked.seconds.toFixed(1)} s (Node CPU ${cpu(unlinked.cpu)} s); ` +
        (reused
          ? `stored children reused from ${name}`
          : `loading the stored children took ${loadSeconds.toFixed(1)} s`),
    );
    console.log(`  linking phases, s (summed over the batches): ${phases.join(', ')}`);
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
