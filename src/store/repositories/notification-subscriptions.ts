/** Subscriptions of partner agencies and states, and their signing secrets (rotatable). */
import type { Store } from '../store.js';
import {
  changeRows,
  insertReturningId,
  runStatement,
  selectRows,
  toDate,
  toDateOrNull,
} from './sql-statements.js';

export const subscriptionAudiences = ['school', 'state', 'partner'] as const;
export type SubscriptionAudience = (typeof subscriptionAudiences)[number];
export const subscriptionChannels = ['webhook', 'email'] as const;
export type SubscriptionChannel = (typeof subscriptionChannels)[number];

export interface SubscriptionInput {
  name: string;
  ownerState: string;
  audience: SubscriptionAudience;
  channel: SubscriptionChannel;
  url?: string | null;
  email?: string | null;
  stateCode?: string | null;
  region?: string | null;
  districtId?: string | null;
  eventTypes?: string[] | null;
}

export interface Subscription {
  id: number;
  name: string;
  ownerState: string;
  audience: SubscriptionAudience;
  channel: SubscriptionChannel;
  url: string | null;
  email: string | null;
  stateCode: string | null;
  region: string | null;
  districtId: string | null;
  eventTypes: string[] | null;
  status: 'active' | 'disabled';
  createdAt: Date;
}

export interface SubscriptionSecret {
  subscriptionId: number;
  secret: string;
  createdAt: Date;
  retiresAt: Date | null;
}

const str = (v: unknown) => (v === null || v === undefined ? null : String(v).trim());

function subscriptionOf(r: Record<string, unknown>): Subscription {
  const types = str(r['event_types']);
  return {
    id: Number(r['id']),
    name: String(r['name']),
    ownerState: String(r['owner_state']).trim(),
    audience: String(r['audience']) as SubscriptionAudience,
    channel: String(r['channel']) as SubscriptionChannel,
    url: str(r['url']),
    email: str(r['email']),
    stateCode: str(r['state_code']),
    region: str(r['region']),
    districtId: str(r['district_id']),
    // Stored as ",a,b," so the fan-out can match a type with one LIKE.
    eventTypes: types ? types.split(',').filter(Boolean) : null,
    status: r['status'] === 'disabled' ? 'disabled' : 'active',
    createdAt: toDate(r['created_at']),
  };
}

export async function createSubscription(
  db: Store,
  input: SubscriptionInput,
  secret: string,
  now = new Date(),
): Promise<Subscription> {
  return db.sequelize.transaction(async (transaction) => {
    const columns =
      '(name, owner_state, audience, channel, url, email, state_code, region, district_id, event_types, status, created_at, updated_at)';
    const values =
      "(:name, :ownerState, :audience, :channel, :url, :email, :stateCode, :region, :districtId, :eventTypes, 'active', :now, :now)";
    const id = await insertReturningId(
      db,
      'notification_subscriptions',
      columns,
      values,
      {
        name: input.name,
        ownerState: input.ownerState,
        audience: input.audience,
        channel: input.channel,
        url: input.url ?? null,
        email: input.email ?? null,
        stateCode: input.stateCode ?? null,
        region: input.region ?? null,
        districtId: input.districtId ?? null,
        eventTypes: input.eventTypes?.length ? `,${input.eventTypes.join(',')},` : null,
        now,
      },
      transaction,
    );
    await runStatement(
      db,
      `INSERT INTO notification_secrets (subscription_id, secret, created_at)
       VALUES (:id, :secret, :now)`,
      { id, secret, now },
      transaction,
    );
    const [created] = await selectRows<Record<string, unknown>>(
      db,
      'SELECT * FROM notification_subscriptions WHERE id = :id',
      { id },
      transaction,
    );
    if (!created) throw new Error(`subscription ${id} vanished inside its own transaction`);
    return subscriptionOf(created);
  });
}

export async function listSubscriptions(db: Store, ownerState?: string): Promise<Subscription[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `SELECT * FROM notification_subscriptions
      ${ownerState ? 'WHERE owner_state = :ownerState' : ''} ORDER BY id`,
    { ownerState },
  );
  return rows.map(subscriptionOf);
}

export async function getSubscription(db: Store, id: number): Promise<Subscription | null> {
  const [row] = await selectRows<Record<string, unknown>>(
    db,
    'SELECT * FROM notification_subscriptions WHERE id = :id',
    { id },
  );
  return row ? subscriptionOf(row) : null;
}

/**
 * A new secret signs from now on; the ones before it keep signing until `oldRetiresAt`, so a
 * receiver that still checks the old one keeps accepting deliveries while it switches.
 */
export async function rotateSubscriptionSecret(
  db: Store,
  id: number,
  secret: string,
  oldRetiresAt: Date,
  now = new Date(),
): Promise<void> {
  await db.sequelize.transaction(async (transaction) => {
    await changeRows(
      db,
      `UPDATE notification_secrets SET retires_at = :oldRetiresAt
        WHERE subscription_id = :id AND (retires_at IS NULL OR retires_at > :oldRetiresAt)`,
      { id, oldRetiresAt },
      transaction,
    );
    await runStatement(
      db,
      `INSERT INTO notification_secrets (subscription_id, secret, created_at)
       VALUES (:id, :secret, :now)`,
      { id, secret, now },
      transaction,
    );
  });
}

/** Secrets that sign now, newest first, for each of the given subscriptions. */
export async function activeSecrets(
  db: Store,
  subscriptionIds: readonly number[],
  now = new Date(),
): Promise<Map<number, string[]>> {
  const result = new Map<number, string[]>();
  if (subscriptionIds.length === 0) return result;
  const rows = await selectRows<Record<string, unknown>>(
    db,
    `SELECT subscription_id, secret, created_at, retires_at FROM notification_secrets
      WHERE subscription_id IN (:ids) AND (retires_at IS NULL OR retires_at > :now)
      ORDER BY subscription_id, created_at DESC, id DESC`,
    { ids: [...new Set(subscriptionIds)], now },
  );
  for (const r of rows) {
    const id = Number(r['subscription_id']);
    const list = result.get(id) ?? [];
    list.push(String(r['secret']));
    result.set(id, list);
  }
  return result;
}

export async function listSubscriptionSecrets(
  db: Store,
  id: number,
): Promise<SubscriptionSecret[]> {
  const rows = await selectRows<Record<string, unknown>>(
    db,
    'SELECT * FROM notification_secrets WHERE subscription_id = :id ORDER BY id',
    { id },
  );
  return rows.map((r) => ({
    subscriptionId: Number(r['subscription_id']),
    secret: String(r['secret']),
    createdAt: toDate(r['created_at']),
    retiresAt: toDateOrNull(r['retires_at']),
  }));
}
