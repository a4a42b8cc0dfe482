/**
 * Notification delivery (issue 7), against a local webhook receiver in its own process:
 * 1. throughput: N events in the outbox, one webhook subscription; one delivery pass fans them
 *    out and sends them all. Prints deliveries/s (target >= 1,000/s on 2 cores).
 * 2. latency: the scheduler runs the delivery job every few seconds (cron, lease, linger as
 *    configured) while a producer stores events at a steady rate; the receiver measures the
 *    time from each event's commit to its arrival. Prints p50/p95 (target p95 < 2 s).
 *
 *   node --import tsx bench/notifications/run.ts [--events 20000] [--rate 100] [--seconds 30]
 *     [--databases postgres,sqlite] [--cron '*\/5 * * * * *'] [--linger 4.5]
 *     [--batch 1000] [--concurrency 128]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Sequelize } from 'sequelize';
import { loadConfig, type Config } from '../../src/config/index.js';
import { jobRegistry } from '../../src/jobs/registry.js';
import { initScheduler } from '../../src/jobs/scheduler.js';
import { runDeliveryPass } from '../../src/notifications/deliver.js';
import { newWebhookSecret } from '../../src/notifications/signature.js';
import { closeStore, initStore, migrate, upsertStates, type Store } from '../../src/store/index.js';
import {
  deliveryCounts,
  insertOutboxEvents,
} from '../../src/store/repositories/notification-outbox.js';
import { createSubscription } from '../../src/store/repositories/notification-subscriptions.js';
import { changeRows } from '../../src/store/repositories/sql-statements.js';
import { parseArgs } from '../lib/bench-data.js';

const args = parseArgs({
  events: '20000',
  rate: '100',
  seconds: '30',
  databases: 'postgres,sqlite',
  cron: '*/5 * * * * *',
  linger: '4.5',
  batch: '1000',
  concurrency: '128',
});
const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startReceiver(): Promise<{ url: string; stop(): void }> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'receiver.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

async function scratchDatabase(kind: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'continuum-bench-'));
    return {
      url: `sqlite:${path.join(dir, 'bench.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `continuum_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Sequelize(adminUrl, { dialect: 'postgres', logging: false });
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.close();
    },
  };
}

let sequence = 0;
async function storeEvents(store: Store, n: number): Promise<void> {
  for (let start = 0; start < n; start += 1000) {
    const now = Date.now();
    await insertOutboxEvents(
      store,
      undefined,
      Array.from({ length: Math.min(1000, n - start) }, () => {
        sequence += 1;
        const childId = String(100000000000 + sequence);
        return {
          eventType: 'move.detected',
          dedupeKey: `bench:${sequence}`,
          childId,
          fromState: 'CA',
          toState: 'TX',
          occurredAt: new Date(now),
          payload: { childId, from: { state: 'CA' }, to: { state: 'TX' }, storedAtMs: now },
        };
      }),
    );
  }
}

async function stats(receiverUrl: string) {
  const res = await fetch(`${receiverUrl}/stats`);
  return (await res.json()) as { count: number; p50: number; p95: number; max: number };
}

async function bench(kind: string, receiverUrl: string): Promise<void> {
  const { url, drop } = await scratchDatabase(kind);
  const base = loadConfig({ env: { NODE_ENV: 'test', DATABASE_URL: url } });
  const config: Config = {
    ...base,
    jobs: {
      ...base.jobs,
      enabled: true,
      instanceId: 'bench',
      schedules: Object.fromEntries(
        jobRegistry.map((j) => [
          j.name,
          j.name === 'notification-delivery'
            ? { cron: args.cron, enabled: true }
            : { enabled: false },
        ]),
      ),
    },
    notifications: {
      ...base.notifications,
      lingerSeconds: Number(args.linger),
      batchSize: Number(args.batch),
      concurrency: Number(args.concurrency),
    },
  };
  const store = await initStore({ url });
  try {
    await migrate(store.sequelize);
    await upsertStates(store, [
      { code: 'CA', name: 'California' },
      { code: 'TX', name: 'Texas' },
    ]);
    await createSubscription(
      store,
      {
        name: 'bench',
        ownerState: 'CA',
        audience: 'partner',
        channel: 'webhook',
        url: `${receiverUrl}/hooks`,
      },
      newWebhookSecret(),
    );

    // 1. Throughput.
    const events = Number(args.events);
    await fetch(`${receiverUrl}/reset`, { method: 'POST' });
    await storeEvents(store, events);
    const t0 = performance.now();
    const counts = await runDeliveryPass(
      store,
      { ...config, notifications: { ...config.notifications, lingerSeconds: 0 } },
      logger,
      new AbortController().signal,
      { maxMs: 600_000 },
    );
    const seconds = (performance.now() - t0) / 1000;
    const received = (await stats(receiverUrl)).count;
    console.log(
      `${kind}: ${counts.delivered} deliveries in ${seconds.toFixed(1)} s = ` +
        `${Math.round(counts.delivered / seconds)}/s (fan-out included; receiver got ${received}, ` +
        `failed ${counts.failed})`,
    );
    await changeRows(store, 'DELETE FROM notification_deliveries');
    await changeRows(store, 'DELETE FROM notification_outbox');

    // 2. Latency under the scheduler.
    await fetch(`${receiverUrl}/reset`, { method: 'POST' });
    const scheduler = initScheduler(config, store, logger);
    // Steady state: the producer starts once the first scheduled run has begun, so the wait for
    // the very first tick after start-up is not counted as latency.
    const { listJobRuns } = await import('../../src/store/repositories/job-runs.js');
    while ((await listJobRuns(store, { limit: 1 })).length === 0) await sleep(100);
    const rate = Number(args.rate);
    const duration = Number(args.seconds) * 1000;
    const started = Date.now();
    let stored = 0;
    while (Date.now() - started < duration) {
      // Ten small commits a second, as changes trickle in.
      await storeEvents(store, Math.max(1, Math.round(rate / 10)));
      stored += Math.max(1, Math.round(rate / 10));
      await sleep(100);
    }
    const drainUntil = Date.now() + 30_000;
    while (Date.now() < drainUntil && (await stats(receiverUrl)).count < stored) await sleep(200);
    await scheduler.close();
    if (process.env['BENCH_DEBUG']) {
      for (const r of (await listJobRuns(store, { limit: 20 })).reverse()) {
        console.log(
          r.tickAt.toISOString(),
          r.startedAt.toISOString(),
          r.endedAt?.toISOString(),
          JSON.stringify(r.counts),
        );
      }
    }
    const s = await stats(receiverUrl);
    const left = await deliveryCounts(store);
    console.log(
      `${kind}: latency with cron '${args.cron}', linger ${args.linger} s: ${s.count}/${stored} ` +
        `events, p50 ${s.p50} ms, p95 ${s.p95} ms, max ${s.max} ms (${JSON.stringify(left)})`,
    );
  } finally {
    await closeStore(store);
    await drop();
  }
}

console.log(
  `notifications: ${args.events} events for throughput, ${args.rate}/s for ${args.seconds} s ` +
    `for latency; ${os.cpus().length} x ${os.cpus()[0]?.model}, load ${os.loadavg()[0]?.toFixed(1)}`,
);
const receiver = await startReceiver();
try {
  for (const kind of (args.databases ?? '').split(',')) await bench(kind, receiver.url);
} finally {
  receiver.stop();
}
