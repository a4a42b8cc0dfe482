// Delivery to a real HTTP receiver and a real SMTP server, on every dialect: signed per Standard
// Webhooks, payloads cut to the subscriber's audience, retries then dead letter, resend, secret
// rotation, and claiming that never hands the same attempt to two instances.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { loadConfig, type Config } from '../../src/config/index.js';
import { runDeliveryPass } from '../../src/notifications/deliver.js';
import { rotateSecret } from '../../src/notifications/subscriptions.js';
import { verifyWebhook } from '../../src/notifications/signature.js';
import { closeStore, initStore, migrate, upsertStates, type Store } from '../../src/store/index.js';
import {
  claimDueDeliveries,
  fanOutOutbox,
  insertOutboxEvents,
  listDeliveries,
  resendDelivery,
} from '../../src/store/repositories/notification-outbox.js';
import {
  createSubscription,
  listSubscriptionSecrets,
} from '../../src/store/repositories/notification-subscriptions.js';
import { changeRows } from '../../src/store/repositories/sql-statements.js';
import { testDatabases } from '../helpers/databases.js';
import { silentLogger } from '../helpers/identity-sessions.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const unique = () => Math.random().toString(36).slice(2);

async function raise(store: Store, toState: string, extra: Record<string, unknown> = {}) {
  const childId = String(Math.floor(1e11 + Math.random() * 8e11));
  const key = `test:${unique()}`;
  await insertOutboxEvents(store, undefined, [
    {
      eventType: 'move.detected',
      dedupeKey: key,
      childId,
      fromState: 'CA',
      toState,
      occurredAt: new Date(),
      payload: { childId, to: { state: toState }, health: { medicalAlert: 'Chronic' }, ...extra },
    },
  ]);
  return childId;
}

for (const db of testDatabases()) {
  describe(`notification delivery on ${db.name}`, function () {
    this.timeout(60_000);
    let store: Store;
    let config: Config;
    let receiver: WebhookReceiver;
    const signal = new AbortController().signal;

    before(async function () {
      const url = await db.create(this);
      config = loadConfig({ env: { NODE_ENV: 'test', DATABASE_URL: url } });
      config = {
        ...config,
        notifications: {
          ...config.notifications,
          retryDelaysSeconds: [0, 0],
          jitter: 0,
          lingerSeconds: 0,
        },
      };
      store = await initStore({ url });
      await migrate(store.sequelize);
      await upsertStates(
        store,
        config.states.map((s) => ({ code: s.code, name: s.name })),
      );
      receiver = await startWebhookReceiver();
    });
    after(async () => {
      await receiver.close();
      await closeStore(store);
      await db.drop();
    });
    beforeEach(async () => {
      receiver.received.length = 0;
      receiver.failEvery = 0;
      // Each test sees only its own subscriptions.
      await changeRows(store, "UPDATE notification_subscriptions SET status = 'disabled'");
    });

    it('signs each webhook and gives health facts to the school only', async () => {
      const school = await createSubscription(
        store,
        {
          name: 'TX school',
          ownerState: 'TX',
          audience: 'school',
          channel: 'webhook',
          url: `${receiver.url}?s`,
          stateCode: 'TX',
        },
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      );
      const partner = await createSubscription(
        store,
        {
          name: 'Partner',
          ownerState: 'CA',
          audience: 'partner',
          channel: 'webhook',
          url: `${receiver.url}?p`,
        },
        'whsec_c2VjcmV0LW9mLXRoZS1wYXJ0bmVyLWFnZW5jeQ==',
      );
      const elsewhere = await createSubscription(
        store,
        {
          name: 'WA only',
          ownerState: 'WA',
          audience: 'state',
          channel: 'webhook',
          url: `${receiver.url}?w`,
          stateCode: 'WA',
        },
        'whsec_d2Etb25seQ==',
      );
      const childId = await raise(store, 'TX');
      const counts = await runDeliveryPass(store, config, silentLogger, signal);
      assert.equal(counts.delivered, 2, JSON.stringify(counts));
      assert.equal(receiver.received.length, 2, 'WA is not interested in a CA to TX move');
      for (const hook of receiver.received) {
        const body = JSON.parse(hook.body) as { type: string; data: Record<string, unknown> };
        assert.equal(body.type, 'move.detected');
        assert.equal(body.data['childId'], childId);
        assert.match(String(body.data['portalUrl']), new RegExp(`/portal/children/${childId}$`));
        const isSchool = 'health' in body.data;
        const secret = (await listSubscriptionSecrets(store, isSchool ? school.id : partner.id))[0]!
          .secret;
        const h = { id: hook.id, timestamp: hook.timestamp, signature: hook.signature };
        assert.ok(verifyWebhook(secret, h, hook.body), 'valid signature');
        assert.equal(verifyWebhook(secret, h, hook.body.replace('TX', 'XX')), false);
      }
      assert.equal(receiver.received.filter((r) => r.body.includes('Chronic')).length, 1);
      assert.match(receiver.received[0]!.id, /^evt_[0-9a-f]{32}$/);
      assert.equal(receiver.received[0]!.id, receiver.received[1]!.id, 'one event, one id');
      assert.ok(elsewhere.id > 0);
    });

    it('matches subscriptions by region and district of interest, and by event type', async () => {
      await createSubscription(
        store,
        {
          name: 'Central Valley center',
          ownerState: 'CA',
          audience: 'partner',
          channel: 'webhook',
          url: `${receiver.url}?region`,
          region: 'Central Valley',
        },
        'whsec_cmVnaW9u',
      );
      await createSubscription(
        store,
        {
          name: 'District 0600002, notices only',
          ownerState: 'CA',
          audience: 'school',
          channel: 'webhook',
          url: `${receiver.url}?district`,
          districtId: '0600002',
          eventTypes: ['move-notice.created'],
        },
        'whsec_ZGlzdHJpY3Q=',
      );
      const event = (key: string, type: string, toRegion: string | null, toDistrict: string) => ({
        eventType: type,
        dedupeKey: `${key}:${unique()}`,
        childId: '123456789012',
        fromState: 'TX',
        toState: 'CA',
        toRegion,
        toDistrict,
        occurredAt: new Date(),
        payload: { key },
      });
      await insertOutboxEvents(store, undefined, [
        event('in-region', 'move.detected', 'Central Valley', '0600001'),
        event('other-region', 'move.detected', 'North Coast', '0600002'),
        event('notice-in-district', 'move-notice.created', null, '0600002'),
      ]);
      await runDeliveryPass(store, config, silentLogger, signal);
      const got = receiver.received
        .map((r) => `${(JSON.parse(r.body) as { data: { key: string } }).data.key}`)
        .sort();
      assert.deepEqual(got, ['in-region', 'notice-in-district']);
    });

    it('retries a failing endpoint, dead-letters it after the last try, and resends on request', async () => {
      const sub = await createSubscription(
        store,
        {
          name: 'Flaky',
          ownerState: 'CA',
          audience: 'partner',
          channel: 'webhook',
          url: receiver.url,
        },
        'whsec_Zmxha3k=',
      );
      receiver.failEvery = 1;
      await raise(store, 'TX');
      let counts = await runDeliveryPass(store, config, silentLogger, signal);
      // retryDelaysSeconds [0, 0]: three attempts in one pass, then the dead letter.
      assert.equal(counts.failed, 3, JSON.stringify(counts));
      assert.equal(counts.deadLettered, 1);
      const [dead] = await listDeliveries(store, { ownerState: 'CA', status: 'dead' });
      assert.equal(dead?.subscriptionId, sub.id);
      assert.equal(dead?.attempts, 3);
      assert.equal(dead?.lastStatus, 503);
      assert.equal(
        await resendDelivery(store, { id: dead.id, ownerState: 'TX', now: new Date() }),
        false,
        'another state cannot',
      );
      assert.equal(
        await resendDelivery(store, { id: dead.id, ownerState: 'CA', now: new Date() }),
        true,
      );
      receiver.failEvery = 0;
      counts = await runDeliveryPass(store, config, silentLogger, signal);
      assert.equal(counts.delivered, 1);
      const ids = new Set(receiver.received.map((r) => r.id));
      assert.equal(ids.size, 1, 'every try carried the same webhook-id');
      assert.equal(receiver.received.length, 4);
    });

    it('signs with both secrets while a rotation overlaps', async () => {
      const sub = await createSubscription(
        store,
        {
          name: 'Rotating',
          ownerState: 'FL',
          audience: 'state',
          channel: 'webhook',
          url: receiver.url,
        },
        'whsec_b2xkLXNlY3JldA==',
      );
      const { secret } = await rotateSecret(store, config, 'FL', sub.id);
      await raise(store, 'FL');
      await runDeliveryPass(store, config, silentLogger, signal);
      const [hook] = receiver.received;
      assert.ok(hook);
      assert.equal(hook.signature.split(' ').length, 2);
      const h = { id: hook.id, timestamp: hook.timestamp, signature: hook.signature };
      assert.ok(verifyWebhook(secret, h, hook.body));
      assert.ok(verifyWebhook('whsec_b2xkLXNlY3JldA==', h, hook.body));
    });

    it('never hands one due delivery to two concurrent claimers', async () => {
      await createSubscription(
        store,
        {
          name: 'Claims',
          ownerState: 'CA',
          audience: 'partner',
          channel: 'webhook',
          url: receiver.url,
        },
        'whsec_Y2xhaW1z',
      );
      for (let i = 0; i < 30; i++) await raise(store, 'TX');
      await fanOutOutbox(store, new Date());
      const url = config.database.url;
      const others = [await initStore({ url }), await initStore({ url }), await initStore({ url })];
      try {
        const claims = await Promise.all(
          [store, ...others].flatMap((s) =>
            [0, 1].map(() => claimDueDeliveries(s, { now: new Date(), claimMs: 60_000, limit: 7 })),
          ),
        );
        const all = claims.flatMap((c) => c.deliveries.map((d) => d.deliveryId));
        assert.equal(new Set(all).size, all.length, 'no delivery claimed twice');
        assert.ok(all.length >= 30, `claimed ${all.length}`);
      } finally {
        for (const s of others) await closeStore(s);
        await changeRows(store, "UPDATE notification_deliveries SET status = 'delivered'");
      }
    });

    it('sends e-mail through a real SMTP server, with the event id in a header', async () => {
      const messages: string[] = [];
      const smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, _session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            messages.push(Buffer.concat(chunks).toString('utf8'));
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const port = (smtp.server.address() as AddressInfo).port;
      try {
        await createSubscription(
          store,
          {
            name: 'Mail',
            ownerState: 'WA',
            audience: 'partner',
            channel: 'email',
            email: 'office@partner.example.org',
            stateCode: 'WA',
          },
          'whsec_bWFpbA==',
        );
        const mailConfig: Config = {
          ...config,
          notifications: {
            ...config.notifications,
            smtp: { host: '127.0.0.1', port, secure: false, from: 'continuum@example.org' },
          },
        };
        const childId = await raise(store, 'WA');
        const counts = await runDeliveryPass(store, mailConfig, silentLogger, signal);
        assert.equal(counts.delivered, 1, JSON.stringify(counts));
        assert.equal(messages.length, 1);
        const mail = messages[0]!;
        assert.match(mail, /^To: office@partner\.example\.org/m);
        assert.match(
          mail,
          new RegExp(`Subject: Continuum: move\\.detected \\(child ${childId}\\)`),
        );
        assert.match(mail, /^X-Continuum-Event-Id: evt_[0-9a-f]{32}/im);
        assert.match(mail, new RegExp(`/portal/children/${childId}`));
        assert.doesNotMatch(mail, /Chronic/, 'no health facts to a partner');
      } finally {
        await new Promise<void>((resolve) => smtp.close(() => resolve()));
      }
    });
  });
}
