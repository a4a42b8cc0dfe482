// The SQL lease that makes each tick run on one instance, on every dialect: a second taker of
// the same tick is refused even after the first released it, a held lease is refused, an
// expired one (crashed holder) is taken, and many concurrent takers on separate connections
// yield exactly one winner. Runs are recorded with their counts and errors.
import assert from 'node:assert/strict';
import { loadConfig, type Config } from '../../src/config/index.js';
import type { JobDefinition } from '../../src/jobs/job.js';
import { runJobTick } from '../../src/jobs/runner.js';
import { closeStore, initStore, migrate, type Store } from '../../src/store/index.js';
import {
  acquireJobLease,
  ensureJobLease,
  releaseJobLease,
  renewJobLease,
} from '../../src/store/repositories/job-leases.js';
import { listJobRuns } from '../../src/store/repositories/job-runs.js';
import { testDatabases } from '../helpers/databases.js';
import { silentLogger } from '../helpers/identity-sessions.js';

for (const db of testDatabases()) {
  describe(`job leases on ${db.name}`, function () {
    this.timeout(60_000);
    let url: string;
    let store: Store;
    let config: Config;
    const extra: Store[] = [];

    before(async function () {
      url = await db.create(this);
      store = await initStore({ url });
      await migrate(store.sequelize);
      config = loadConfig({ env: { NODE_ENV: 'test', DATABASE_URL: url } });
    });
    after(async () => {
      for (const s of extra) await closeStore(s);
      await closeStore(store);
      await db.drop();
    });

    it('gives a tick to one holder, never twice, and frees an expired lease', async () => {
      const jobName = `lease-${Math.random().toString(36).slice(2)}`;
      await ensureJobLease(store, jobName);
      await ensureJobLease(store, jobName);
      const tick = new Date('2026-12-01T10:00:00Z');
      const now = new Date();
      const a = await acquireJobLease(store, {
        jobName,
        holder: 'a',
        tickAt: tick,
        now,
        ttlMs: 60_000,
      });
      assert.ok(a);
      const b = await acquireJobLease(store, {
        jobName,
        holder: 'b',
        tickAt: tick,
        now,
        ttlMs: 60_000,
      });
      assert.equal(b, null, 'held');
      assert.equal(await renewJobLease(store, a, new Date(), 60_000), true);
      await releaseJobLease(store, a);
      const late = await acquireJobLease(store, {
        jobName,
        holder: 'b',
        tickAt: tick,
        now,
        ttlMs: 60_000,
      });
      assert.equal(late, null, 'the same tick is not run again after release');

      const tick2 = new Date(tick.getTime() + 2000);
      const crashed = await acquireJobLease(store, {
        jobName,
        holder: 'a',
        tickAt: tick2,
        now,
        ttlMs: 1000,
      });
      assert.ok(crashed);
      const tick3 = new Date(tick.getTime() + 4000);
      const whileHeld = await acquireJobLease(store, {
        jobName,
        holder: 'b',
        tickAt: tick3,
        now,
        ttlMs: 1000,
      });
      assert.equal(whileHeld, null, 'a live lease is not taken for a newer tick either');
      const later = new Date(now.getTime() + 1500);
      const taken = await acquireJobLease(store, {
        jobName,
        holder: 'b',
        tickAt: tick3,
        now: later,
        ttlMs: 1000,
      });
      assert.ok(taken, 'the crashed holder’s lease expired');
      assert.equal(
        await renewJobLease(store, crashed, later, 1000),
        false,
        'the old holder lost it',
      );
    });

    it('lets exactly one of many concurrent takers on separate connections win', async () => {
      const jobName = `race-${Math.random().toString(36).slice(2)}`;
      for (let i = 0; i < 4; i++) extra.push(await initStore({ url }));
      const stores = [store, ...extra.slice(-4)];
      await ensureJobLease(store, jobName);
      for (let round = 0; round < 5; round++) {
        const tickAt = new Date(Date.UTC(2026, 11, 1, 11, 0, round));
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            acquireJobLease(stores[i % stores.length]!, {
              jobName,
              holder: `h${i}`,
              tickAt,
              now: new Date(),
              ttlMs: 60_000,
            }),
          ),
        );
        const winners = results.filter(Boolean);
        assert.equal(winners.length, 1, `round ${round}`);
        await releaseJobLease(store, winners[0]!);
      }
    });

    it('records a run with its counts, and a failure with its error', async () => {
      const name = `job-${Math.random().toString(36).slice(2)}`;
      const ok: JobDefinition = {
        name,
        description: 'test',
        defaultCron: '* * * * *',
        run: async (ctx) => {
          assert.ok(ctx.signal instanceof AbortSignal);
          return { things: 3 };
        },
      };
      const deps = { store, config, logger: silentLogger, instanceId: 'test-instance' };
      const first = await runJobTick(deps, ok, { tickAt: new Date(), trigger: 'manual' });
      assert.equal(first.ran && first.outcome, 'succeeded');
      const failing: JobDefinition = {
        ...ok,
        run: () => Promise.reject(new Error('the source was unreachable')),
      };
      await new Promise((r) => setTimeout(r, 5));
      const second = await runJobTick(deps, failing, { tickAt: new Date(), trigger: 'manual' });
      assert.equal(second.ran && second.outcome, 'failed');
      const runs = await listJobRuns(store, { jobName: name });
      assert.equal(runs.length, 2);
      const [failed, succeeded] = runs;
      assert.equal(succeeded!.outcome, 'succeeded');
      assert.deepEqual(succeeded!.counts, { things: 3 });
      assert.equal(succeeded!.instanceId, 'test-instance');
      assert.ok(succeeded!.endedAt && succeeded!.endedAt >= succeeded!.startedAt);
      assert.equal(failed!.outcome, 'failed');
      assert.equal(failed!.error, 'the source was unreachable');
    });

    it('aborts a run whose lease was lost, and records it as aborted', async () => {
      const name = `lost-${Math.random().toString(36).slice(2)}`;
      const shortConfig: Config = { ...config, jobs: { ...config.jobs, leaseTtlSeconds: 2 } };
      let sawAbort = false;
      const slow: JobDefinition = {
        name,
        description: 'waits until aborted',
        defaultCron: '* * * * *',
        run: (ctx) =>
          new Promise((resolve) => {
            const give = setTimeout(() => resolve({ finished: 1 }), 10_000);
            ctx.signal.addEventListener('abort', () => {
              clearTimeout(give);
              sawAbort = true;
              resolve({ finished: 0 });
            });
          }),
      };
      const deps = { store, config: shortConfig, logger: silentLogger, instanceId: 'stalled' };
      const running = runJobTick(deps, slow, { tickAt: new Date(), trigger: 'schedule' });
      await new Promise((r) => setTimeout(r, 300));
      // Another instance takes over as if the lease had expired (this one stalled past its TTL).
      await store.sequelize.query(
        'UPDATE job_leases SET expires_at = :past WHERE job_name = :name',
        { replacements: { past: new Date(Date.now() - 1000), name } },
      );
      const other = await acquireJobLease(store, {
        jobName: name,
        holder: 'other',
        tickAt: new Date(Date.now() + 1000),
        now: new Date(),
        ttlMs: 60_000,
      });
      assert.ok(other, 'the expired lease was taken');
      const result = await running;
      assert.equal(sawAbort, true);
      assert.equal(result.ran && result.outcome, 'aborted');
      const [run] = await listJobRuns(store, { jobName: name });
      assert.equal(run?.outcome, 'aborted');
      await releaseJobLease(store, other);
    });
  });
}
