// Several real gateway processes on one PostgreSQL database (the production shape):
// - three instances with a 2-second cron for several ticks: every tick ran exactly once;
// - delivery to a receiver that fails every other request and is down for a while, with the
//   gateway killed and replaced mid-way: every event arrives at least once with a valid
//   signature, none is lost, and duplicates carry the same webhook-id.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newWebhookSecret, verifyWebhook } from '../../src/notifications/signature.js';
import { closeStore, initStore, migrate, type Store } from '../../src/store/index.js';
import {
  deliveryCounts,
  insertOutboxEvents,
} from '../../src/store/repositories/notification-outbox.js';
import { createSubscription } from '../../src/store/repositories/notification-subscriptions.js';
import { selectRows } from '../../src/store/repositories/sql-statements.js';
import { upsertStates } from '../../src/store/index.js';
import { testDatabases } from '../helpers/databases.js';
import {
  startGatewayProcess,
  writeSettings,
  type GatewayProcess,
} from '../helpers/gateway-process.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const postgres = testDatabases().find((d) => d.dialect === 'postgres')!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('jobs across gateway processes on PostgreSQL', function () {
  this.timeout(180_000);
  let url: string;
  let store: Store;
  let dir: string;
  const running: GatewayProcess[] = [];

  before(async function () {
    url = await postgres.create(this);
    dir = mkdtempSync(path.join(os.tmpdir(), 'continuum-jobs-'));
    store = await initStore({ url });
    await migrate(store.sequelize);
  });
  after(async () => {
    for (const p of running) await p.stop('SIGKILL');
    await closeStore(store);
    await postgres.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs each tick of each job exactly once across three instances', async () => {
    const settings = writeSettings(
      dir,
      'ticks.yaml',
      `jobs:
  enabled: true
  leaseTtlSeconds: 10
  schedules:
    move-detection: { cron: '*/2 * * * * *' }
    notification-delivery: { cron: '*/2 * * * * *' }
    deadline-tracking: { enabled: false }
    retention-cleanup: { cron: '*/2 * * * * *' }
notifications:
  lingerSeconds: 0
`,
    );
    const gateways = ['gw-1', 'gw-2', 'gw-3'].map((instanceId) =>
      startGatewayProcess({ databaseUrl: url, settingsFile: settings, instanceId }),
    );
    running.push(...gateways);
    await Promise.all(gateways.map((g) => g.ready));
    const since = new Date();
    await sleep(13_000);
    const until = new Date();
    for (const g of gateways) assert.equal(await g.stop('SIGTERM'), 0, 'clean stop');

    const rows = await selectRows<{
      job_name: string;
      tick_at: Date;
      instance_id: string;
      outcome: string;
    }>(
      store,
      `SELECT job_name, tick_at, instance_id, outcome FROM job_runs
        WHERE tick_at >= :since AND tick_at <= :until ORDER BY job_name, tick_at`,
      { since, until },
    );
    const byJob = new Map<string, number[]>();
    const byInstance = new Map<string, number>();
    for (const r of rows) {
      assert.equal(r.outcome, 'succeeded', JSON.stringify(r));
      const list = byJob.get(r.job_name) ?? [];
      list.push(new Date(r.tick_at).getTime());
      byJob.set(r.job_name, list);
      byInstance.set(r.instance_id, (byInstance.get(r.instance_id) ?? 0) + 1);
    }
    assert.deepEqual([...byJob.keys()].sort(), [
      'move-detection',
      'notification-delivery',
      'retention-cleanup',
    ]);
    for (const [job, ticks] of byJob) {
      assert.equal(new Set(ticks).size, ticks.length, `${job}: a tick ran twice`);
      assert.ok(ticks.length >= 5, `${job}: only ${ticks.length} ticks`);
      // Every 2-second tick between the first and the last ran: none was skipped by all three.
      for (let i = 1; i < ticks.length; i++) {
        assert.equal(ticks[i]! - ticks[i - 1]!, 2000, `${job}: a tick is missing`);
      }
    }
    console.log(
      `      ${rows.length} runs; per instance: ${JSON.stringify(Object.fromEntries(byInstance))}`,
    );
    const [leases] = await selectRows<{ n: number | string }>(
      store,
      'SELECT COUNT(*) AS n FROM job_leases WHERE expires_at IS NOT NULL',
    );
    assert.equal(Number(leases!.n), 0, 'every lease released at the clean stop');
  });

  describe('delivery through failures, an outage and a gateway crash', () => {
    let receiver: WebhookReceiver;
    before(async () => {
      receiver = await startWebhookReceiver();
    });
    after(() => receiver.close());

    it('delivers every event at least once, signed, duplicates recognisable by id', async () => {
      await upsertStates(store, [
        { code: 'CA', name: 'California' },
        { code: 'TX', name: 'Texas' },
      ]);
      const secret = newWebhookSecret();
      await createSubscription(
        store,
        {
          name: 'Chaos partner',
          ownerState: 'CA',
          audience: 'partner',
          channel: 'webhook',
          url: receiver.url,
        },
        secret,
      );
      const settings = writeSettings(
        dir,
        'delivery.yaml',
        `jobs:
  enabled: true
  leaseTtlSeconds: 3
  schedules:
    move-detection: { enabled: false }
    notification-delivery: { cron: '* * * * * *' }
    deadline-tracking: { enabled: false }
    retention-cleanup: { enabled: false }
notifications:
  batchSize: 40
  concurrency: 8
  requestTimeoutSeconds: 2
  retryDelaysSeconds: [1, 1, 2, 2, 3, 3, 5, 5, 5, 5, 5, 5]
  jitter: 0.2
`,
      );
      const raise = async (n: number, batch: string) => {
        await insertOutboxEvents(
          store,
          undefined,
          Array.from({ length: n }, (_, i) => ({
            eventType: 'move.detected',
            dedupeKey: `chaos:${batch}:${i}`,
            childId: String(100000000000 + i),
            fromState: 'CA',
            toState: 'TX',
            occurredAt: new Date(),
            payload: { childId: String(100000000000 + i), batch, i },
          })),
        );
      };
      receiver.failEvery = 2;
      await raise(150, 'a');
      const first = startGatewayProcess({
        databaseUrl: url,
        settingsFile: settings,
        instanceId: 'first',
      });
      running.push(first);
      await first.ready;
      await sleep(2500);
      await receiver.down();
      await raise(150, 'b');
      await sleep(1500);
      // A crash: no clean stop, its lease and its claims expire on their own.
      await first.stop('SIGKILL');
      const second = startGatewayProcess({
        databaseUrl: url,
        settingsFile: settings,
        instanceId: 'second',
      });
      running.push(second);
      await second.ready;
      await sleep(2000);
      await receiver.up();
      const deadline = Date.now() + 90_000;
      let counts: Record<string, number> = {};
      while (Date.now() < deadline) {
        counts = await deliveryCounts(store);
        if ((counts['pending'] ?? 0) === 0 && (counts['delivered'] ?? 0) >= 300) break;
        await sleep(1000);
      }
      await second.stop('SIGTERM');
      assert.deepEqual(counts, { delivered: 300 }, 'all delivered, none pending or dead');

      const events = await selectRows<{ event_id: string }>(
        store,
        "SELECT event_id FROM notification_outbox WHERE dedupe_key LIKE 'chaos:%'",
      );
      assert.equal(events.length, 300);
      const accepted = new Map<string, number>();
      for (const hook of receiver.received) {
        const h = { id: hook.id, timestamp: hook.timestamp, signature: hook.signature };
        assert.ok(verifyWebhook(secret, h, hook.body), `signature of ${hook.id}`);
        const body = JSON.parse(hook.body) as { data: { childId: string } };
        assert.ok(body.data.childId);
        if (hook.answered < 300) accepted.set(hook.id, (accepted.get(hook.id) ?? 0) + 1);
      }
      const missing = events.filter((e) => !accepted.has(e.event_id));
      assert.deepEqual(missing, [], 'no event lost');
      const duplicates = [...accepted.values()].filter((n) => n > 1).length;
      const failedAnswers = receiver.received.filter((r) => r.answered >= 300).length;
      console.log(
        `      ${receiver.received.length} requests, ${failedAnswers} answered 503, ` +
          `${duplicates} events accepted more than once (same webhook-id)`,
      );
      assert.ok(failedAnswers > 50, 'the receiver did fail half the requests');
    });
  });
});
