// The jobs, notifications, moves and deadlines routes over real HTTP with real sessions: CSRF on
// writes, problem+json on bad input, each state's administrators see their own state only; and
// `continuum jobs run` as a real process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { accessMatrix } from '../../src/identity/access-matrix.js';
import { closeIdentity, initIdentity, type Identity } from '../../src/identity/index.js';
import { runJobNow } from '../../src/jobs/index.js';
import { createChild } from '../../src/store/repositories/children.js';
import {
  identityTestStore,
  signedInAs,
  silentLogger,
  type IdentityTestStore,
  type SignedIn,
} from '../helpers/identity-sessions.js';

describe('jobs, notifications, moves and deadlines API', function () {
  this.timeout(60_000);
  let t: IdentityTestStore;
  let identity: Identity;
  let app: Express;
  let caRegistrar: SignedIn;
  let txRecruiter: SignedIn;
  let caAdmin: SignedIn;
  let txAdmin: SignedIn;

  before(async () => {
    t = await identityTestStore();
    identity = await initIdentity(t.config, t.store, silentLogger);
    app = createApp(t.config, {
      logger: silentLogger,
      checkDatabase: async () => undefined,
      identity,
      store: t.store,
    });
    caRegistrar = await signedInAs(t, { state: 'CA', roles: ['primary-user'] });
    txRecruiter = await signedInAs(t, { state: 'TX', roles: ['primary-user'] });
    caAdmin = await signedInAs(t, { state: 'CA', roles: ['state-data-admin'] });
    txAdmin = await signedInAs(t, { state: 'TX', roles: ['state-data-admin'] });
  });
  after(async () => {
    await closeIdentity(identity);
    await t.close();
  });

  const post = (who: SignedIn, url: string, body: object, csrf = true) => {
    const req = request(app).post(url).set('Cookie', who.cookie);
    return (csrf ? req.set('X-CSRF-Token', who.csrfToken) : req).send(body);
  };
  const get = (who: SignedIn, url: string) => request(app).get(url).set('Cookie', who.cookie);

  it('takes a move notice from a primary user and lists it for the receiving state', async () => {
    const childId = await createChild(t.store);
    const url = `/api/v1/children/${childId}/move-notices`;
    const body = {
      departureDate: '2026-11-30',
      destinationState: 'TX',
      destinationCity: 'Weslaco',
      forwardingAddress: '12 Calle Uno, Weslaco TX',
      comment: 'Leaving after the lettuce season',
    };
    assert.equal((await post(caRegistrar, url, body, false)).status, 403, 'no CSRF token');
    const created = await post(caRegistrar, url, body);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.notice.fromState, 'CA');
    assert.equal(created.body.notice.status, 'open');

    const leads = await get(txRecruiter, '/api/v1/move-notices?status=open');
    assert.equal(leads.status, 200);
    assert.ok(leads.body.notices.some((n: { childId: string }) => n.childId === childId));
    const caLeads = await get(caRegistrar, '/api/v1/move-notices');
    assert.ok(!caLeads.body.notices.some((n: { childId: string }) => n.childId === childId));
  });

  it('answers bad notices with problem+json naming the field', async () => {
    const childId = await createChild(t.store);
    const bad = await post(caRegistrar, `/api/v1/children/${childId}/move-notices`, {
      departureDate: '30/11/2026',
      destinationState: 'TX',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.headers['content-type']!, /problem\+json/);
    assert.equal(bad.body.errors[0].path, 'departureDate');
    const unknownState = await post(caRegistrar, `/api/v1/children/${childId}/move-notices`, {
      departureDate: '2026-11-30',
      destinationState: 'ZZ',
    });
    assert.equal(unknownState.status, 400);
    const noChild = await post(caRegistrar, '/api/v1/children/000000000000/move-notices', {
      departureDate: '2026-11-30',
      destinationState: 'TX',
    });
    assert.ok([400, 404].includes(noChild.status), noChild.text);
  });

  it('registers a subscription with a secret shown once, per state, and rotates it', async () => {
    const created = await post(caAdmin, '/api/v1/subscriptions', {
      name: 'Central Valley regional center',
      audience: 'partner',
      channel: 'webhook',
      url: 'https://partner.example.org/hooks',
      state: 'CA',
      eventTypes: ['move.detected'],
    });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.secret, /^whsec_/);
    const id = created.body.subscription.id as number;
    const mine = await get(caAdmin, '/api/v1/subscriptions');
    assert.ok(mine.body.subscriptions.some((s: { id: number }) => s.id === id));
    assert.ok(!JSON.stringify(mine.body).includes(created.body.secret), 'never shown again');
    const theirs = await get(txAdmin, '/api/v1/subscriptions');
    assert.ok(!theirs.body.subscriptions.some((s: { id: number }) => s.id === id));
    assert.equal(
      (await post(txAdmin, `/api/v1/subscriptions/${id}/rotate-secret`, {})).status,
      404,
    );
    const rotated = await post(caAdmin, `/api/v1/subscriptions/${id}/rotate-secret`, {});
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.secret, created.body.secret);
    const bad = await post(caAdmin, '/api/v1/subscriptions', {
      name: 'x',
      audience: 'partner',
      channel: 'webhook',
    });
    assert.equal(bad.status, 400);
  });

  it('shows deadlines of the administrator’s own state only', async () => {
    const own = await get(caAdmin, '/api/v1/deadlines?state=CA');
    assert.equal(own.status, 200);
    assert.equal(own.body.state, 'CA');
    assert.deepEqual(Object.keys(own.body.summary).sort(), ['due', 'met', 'overdue']);
    assert.equal((await get(caAdmin, '/api/v1/deadlines?state=TX')).status, 403);
    assert.equal((await get(caAdmin, '/api/v1/deadlines?status=late')).status, 400);
  });

  it('lists job runs for administrators', async () => {
    const result = await runJobNow(t.config, t.store, silentLogger, 'move-detection');
    assert.equal(result.ran && result.outcome, 'succeeded');
    const res = await get(caAdmin, '/api/v1/jobs?job=move-detection');
    assert.equal(res.status, 200);
    assert.ok(res.body.jobs.some((j: { name: string }) => j.name === 'notification-delivery'));
    assert.equal(res.body.runs[0].jobName, 'move-detection');
    assert.equal(res.body.runs[0].trigger, 'manual');
    assert.equal((await get(caAdmin, '/api/v1/jobs?job=nope')).status, 400);
  });

  it('describes every new route in the OpenAPI document', async () => {
    const doc = await request(app).get('/api/v1/openapi.json');
    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    const ours = accessMatrix.filter((r) =>
      /\/(jobs|subscriptions|notifications|move-notices|deadlines)/.test(r.path),
    );
    assert.ok(ours.length >= 9);
    for (const r of ours) {
      const p = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
      assert.ok(paths[p]?.[r.method.toLowerCase()], `${r.method} ${p} in OpenAPI`);
    }
  });
});

describe('continuum jobs run', function () {
  this.timeout(60_000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'continuum-jobs-cli-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const continuum = (args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/continuum.js', ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: `sqlite:${path.join(tmp, 'db.sqlite')}`,
      },
      timeout: 60_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('runs a job once, records it, and names the jobs when asked for an unknown one', () => {
    const ran = continuum(['jobs', 'run', 'retention-cleanup', '--json']);
    assert.equal(ran.code, 0, ran.stderr);
    const out = JSON.parse(ran.stdout) as {
      job: string;
      ran: boolean;
      outcome: string;
      runId: number;
    };
    assert.equal(out.job, 'retention-cleanup');
    assert.equal(out.outcome, 'succeeded');
    const again = continuum(['jobs', 'run', 'move-detection']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^move-detection: run \d+ succeeded .*movesDetected=0/);
    const unknown = continuum(['jobs', 'run', 'no-such-job']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no job named no-such-job; jobs: move-detection, /);
    const list = continuum(['jobs', 'list']);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^notification-delivery +\*\/5 \* \* \* \* \*/m);
  });
});
