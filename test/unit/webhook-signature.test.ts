// Standard Webhooks signatures: the spec's published example verifies, a tampered body or id
// fails, a stale timestamp fails, and a rotated pair of secrets both sign.
import assert from 'node:assert/strict';
import {
  newWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
} from '../../src/notifications/signature.js';
import { nextAttemptAt } from '../../src/notifications/retry-schedule.js';
import { payloadFor } from '../../src/notifications/payload.js';

// The example of the Standard Webhooks reference libraries.
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = 1614265330;
const body = '{"test": 2432232314}';

describe('webhook signatures', () => {
  it('matches the reference example', () => {
    assert.equal(
      signWebhook(secret, id, timestamp, body),
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('verifies, and fails on a changed body, id or timestamp', () => {
    const now = timestamp * 1000;
    const signature = signWebhook(secret, id, timestamp, body);
    const h = { id, timestamp: String(timestamp), signature };
    assert.equal(verifyWebhook(secret, h, body, now), true);
    assert.equal(verifyWebhook(secret, h, body.replace('2', '3'), now), false);
    assert.equal(verifyWebhook(secret, { ...h, id: 'msg_other' }, body, now), false);
    assert.equal(verifyWebhook(secret, h, body, now + 600_000), false, 'stale');
    assert.equal(verifyWebhook(newWebhookSecret(), h, body, now), false, 'another secret');
  });

  it('signs with every active secret during a rotation', () => {
    const old = newWebhookSecret();
    const fresh = newWebhookSecret();
    const headers = webhookHeaders([fresh, old], id, timestamp, body);
    const sigs = headers['webhook-signature'].split(' ');
    assert.equal(sigs.length, 2);
    for (const s of [old, fresh]) {
      assert.ok(
        verifyWebhook(
          s,
          { id, timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'] },
          body,
          timestamp * 1000,
        ),
      );
    }
  });

  it('makes 32-byte whsec_ secrets', () => {
    const s = newWebhookSecret();
    assert.match(s, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.equal(Buffer.from(s.slice(6), 'base64').length, 32);
  });
});

describe('retry schedule', () => {
  const delays = [5, 300, 1800, 7200, 18000, 36000, 36000];
  it('waits longer each time, about a day in all, then gives up', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const waits = delays.map(
      (_, i) => nextAttemptAt(i + 1, now, delays, 0)!.getTime() - now.getTime(),
    );
    assert.deepEqual(
      waits,
      delays.map((d) => d * 1000),
    );
    const hours = delays.reduce((a, b) => a + b, 0) / 3600;
    assert.ok(hours > 24 && hours < 30, `${hours} hours`);
    assert.equal(nextAttemptAt(delays.length + 1, now, delays, 0.2), null);
  });

  it('varies each wait by the jitter, never beyond it', () => {
    const now = new Date(0);
    const low = nextAttemptAt(2, now, delays, 0.2, () => 0)!.getTime();
    const high = nextAttemptAt(2, now, delays, 0.2, () => 1)!.getTime();
    assert.equal(low, 240_000);
    assert.equal(high, 360_000);
  });
});

describe('payload filtering', () => {
  const event = {
    childId: '123456789012',
    health: { medicalAlert: 'Chronic' },
    to: { state: 'TX' },
  };
  it('keeps health facts for schools only, and adds the portal link', () => {
    const school = payloadFor('school', event, 'https://c.example/portal/', '123456789012');
    assert.deepEqual(school['health'], { medicalAlert: 'Chronic' });
    assert.equal(school['portalUrl'], 'https://c.example/portal/children/123456789012');
    for (const audience of ['partner', 'state'] as const) {
      const other = payloadFor(audience, event, 'https://c.example/portal', '123456789012');
      assert.equal('health' in other, false, audience);
      assert.deepEqual(other['to'], { state: 'TX' });
    }
  });
});
