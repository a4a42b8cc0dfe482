/**
 * End-to-end ingest: a generated file of N children (default 200,000) through its mapping,
 * checks and the store, into PostgreSQL and into SQLite. Prints children/s and the peak RSS of
 * the process that ingested (each database in a fresh child process, so one run's memory does
 * not count against the next). Target (issue 4): 200,000 children in under 40 s on PostgreSQL
 * on 2 cores, peak RSS under 512 MB.
 *
 *   npx tsx bench/ingest/run.ts [--children 200000] [--state CA] [--databases postgres,sqlite]
 *     [--keep 1]
 *
 * PostgreSQL: a scratch database is created at TEST_POSTGRES_URL (default the local server) and
 * dropped afterwards (`--keep 1`: kept, and its name printed, to look at what was written).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryTypes, Sequelize } from 'sequelize';
import type { DemoState } from '../../src/demo/index.js';
import { benchFile, parseArgs } from '../lib/bench-data.js';

const args = parseArgs({
  children: '200000',
  state: 'CA',
  databases: 'postgres,sqlite',
  worker: '',
  keep: '0',
});
const children = Number(args.children);
const state = args.state as DemoState;
const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

if (args.worker) {
  await runWorker(args.worker);
} else {
  const file = benchFile(state, children);
  console.log(
    `ingest of ${children} ${state} children, ${os.cpus().length} x ${os.cpus()[0]?.model}`,
  );
  for (const db of (args.databases ?? '').split(',')) {
    const { url, drop } = await scratchDatabase(db);
    try {
      const run = spawnSync(
        process.execPath,
        [
          // BENCH_CPU_PROF=<dir>: a CPU profile of the ingesting process (each thread) there.
          ...(process.env.BENCH_CPU_PROF
            ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
            : []),
          // As `npm start` and `bin/continuum.js` start the gateway and the CLI.
          '--max-semi-space-size=32',
          '--import',
          'tsx',
          fileURLToPath(import.meta.url),
          '--worker',
          url,
          '--state',
          state,
          '--children',
          String(children),
        ],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, BENCH_FILE: file },
        },
      );
      process.stdout.write(
        `${db.padEnd(9)} ${run.stdout.trim() || `failed (exit ${run.status})`}\n`,
      );
    } finally {
      await drop();
    }
  }
}

async function scratchDatabase(kind: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'continuum-bench-'));
    return {
      url: `sqlite:${path.join(dir, 'bench.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `continuum_bench_ingest_${randomBytes(4).toString('hex')}`;
  const admin = () => new Sequelize(adminUrl, { logging: false });
  const a = admin();
  await a.query(`CREATE DATABASE "${name}"`);
  // A runaway statement must not hold the machine's benchmark lock for ever.
  await a.query(`ALTER DATABASE "${name}" SET statement_timeout = '10min'`);
  await a.close();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      if (args.keep === '1') {
        process.stderr.write(`kept database ${name}\n`);
        return;
      }
      const b = admin();
      await b.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await b.close();
    },
  };
}

async function runWorker(url: string): Promise<void> {
  const { loadConfig } = await import('../../src/config/index.js');
  const { ingestFile, loadStateMapping } = await import('../../src/ingest/index.js');
  const { closeStore, initStore } = await import('../../src/store/index.js');
  const { migrate } = await import('../../src/store/migrate.js');
  const { upsertStates } = await import('../../src/store/repositories/states.js');
  const config = loadConfig({ configDir: 'config', env: { NODE_ENV: 'test', DATABASE_URL: url } });
  const store = await initStore({ url });
  await migrate(store.sequelize);
  await upsertStates(
    store,
    config.states.map((s) => ({ code: s.code, name: s.name })),
  );
  const stateConfig = config.states.find((s) => s.code === state);
  if (!stateConfig) throw new Error(`state ${state} is not configured`);
  const mapping = await loadStateMapping(config, stateConfig);
  const t0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  // The largest heap of the writing thread seen, sampled: what of the peak RSS is that thread's.
  let heapMb = 0;
  const sampler = setInterval(() => {
    heapMb = Math.max(heapMb, process.memoryUsage().heapTotal / 2 ** 20);
  }, 50);
  const summary = await ingestFile({
    store,
    config,
    state,
    mapping,
    fileName: path.basename(process.env.BENCH_FILE as string),
    input: { path: process.env.BENCH_FILE as string },
    maxBytes: 4e9,
  });
  const seconds = (performance.now() - t0) / 1000;
  const busy = performance.eventLoopUtilization(elu0).active / 1000;
  clearInterval(sampler);
  const backend = await backendCpuSeconds(store.sequelize);
  await closeStore(store);
  const usage = process.resourceUsage();
  const peakMb = usage.maxRSS / 1024;
  const cpu = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  const rate = Math.round(summary.acceptedCount / seconds);
  process.stdout.write(
    `${summary.acceptedCount} children accepted, ${summary.rejectedCount} rejected in ${seconds.toFixed(1)} s: ${rate} children/s, peak RSS ${peakMb.toFixed(0)} MB (writing thread's heap up to ${heapMb.toFixed(0)} MB), process CPU ${cpu.toFixed(1)} s (writing thread busy ${busy.toFixed(1)} s), database backend CPU ${backend}\n`,
  );
}

/**
 * CPU time of the database's server processes for this database (PostgreSQL on this machine:
 * read from /proc), as text; `n/a` elsewhere.
 */
async function backendCpuSeconds(sequelize: Sequelize): Promise<string> {
  if (sequelize.getDialect() !== 'postgres') return 'n/a';
  const rows = (await sequelize.query(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
    { type: QueryTypes.SELECT },
  )) as { pid: number }[];
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      // Fields 14 and 15 (utime, stime) after the parenthesised command name.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return 'n/a';
    }
  }
  return `${(ticks / 100).toFixed(1)} s`;
}
