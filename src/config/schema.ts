/**
 * The one schema of Continuum's settings: it types, defaults, documents and validates every key.
 * `config/default.yaml` is the documented reference of these keys; `config/states/XX.yaml` holds
 * one state each (see `stateSchema`).
 */
import cron from 'node-cron';
import { z } from 'zod';
import { personRoles } from '../identity/roles.js';
import { linkageSettings } from './linkage-schema.js';
import { stateRegions, stateSurveySettings, surveySettings } from './survey-schema.js';

const port = z
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const isoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
const stateCode = z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter upper-case state code');

/** IdP attribute or claim names that become a Continuum account and its roles. */
const attributeMap = z
  .strictObject({
    /** Attribute (SAML) or claim (OIDC) naming the subject; default the NameID / `sub`. */
    subject: z.string().optional(),
    email: z.string().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    groups: z.string().optional(),
    district: z.string().optional(),
  })
  .default({});

/** Roles an identity provider may grant: any person's role, never the machine `state-system`. */
const grantableRole = z.enum(personRoles, {
  error: `must be one of ${personRoles.join(', ')}`,
});

/** Group names asserted by the IdP, each granting Continuum roles. */
const roleGrants = z.record(z.string(), z.array(grantableRole)).default({});

/** A file path relative to the working directory (the project root when run by npm). */
const filePath = z.string().min(1);

const samlIdentityProvider = z
  .strictObject({
    type: z.literal('saml'),
    metadataFile: filePath.optional(),
    metadataUrl: httpUrl.optional(),
    /** How often metadata from `metadataUrl` is fetched again. */
    metadataRefreshMinutes: z.number().int().min(5).max(10080).default(1440),
    /**
     * Certificate (PEM file) the metadata must be signed with. When set, unsigned metadata or
     * metadata signed by another key is refused; when the metadata is signed and this is unset,
     * start-up stops rather than trust a signature it cannot check.
     */
    metadataSigningCertFile: filePath.optional(),
    /** Which part the IdP signs; "never neither" is enforced by allowing only these two. */
    signed: z.enum(['assertion', 'response']).default('assertion'),
    /** Refuse assertions that are not encrypted to Continuum's key. */
    requireEncryptedAssertions: z.boolean().default(false),
    attributes: attributeMap,
    roles: roleGrants,
  })
  .refine((v) => Boolean(v.metadataFile) !== Boolean(v.metadataUrl), {
    message: 'needs exactly one of metadataFile or metadataUrl',
    path: ['metadataFile'],
  });

/** JWS algorithms an ID token may be signed with; `none` is not among them and cannot be. */
export const idTokenAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

const oidcIdentityProvider = z.strictObject({
  type: z.literal('oidc'),
  issuer: httpUrl,
  clientId: z.string().min(1),
  /**
   * Name of the environment variable holding the client secret: secrets are never in git.
   * Without it Continuum is a public client of this IdP (PKCE only), as in the demo.
   */
  clientSecretEnv: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/, 'must be an environment variable name')
    .optional(),
  scopes: z.array(z.string()).default(['openid', 'email', 'profile']),
  /** Allow-list for the ID token's `alg`, whatever the provider advertises. */
  idTokenAlgorithms: z.array(z.enum(idTokenAlgorithms)).min(1).default(['RS256', 'ES256']),
  claims: attributeMap,
  roles: roleGrants,
});

/** A state that has not connected its identity provider yet: nobody from it can sign in. */
const noIdentityProvider = z.strictObject({ type: z.literal('none') });

const identityProvider = z.discriminatedUnion('type', [
  samlIdentityProvider,
  oidcIdentityProvider,
  noIdentityProvider,
]);

function secretEnvName() {
  return z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an environment variable name');
}
const secretEnv = secretEnvName();

/** A client of Continuum's own OpenID provider. */
const providerClient = z.discriminatedUnion('kind', [
  /** A state's migrant system: client credentials, scope submissions:write, bound to its state. */
  z.strictObject({
    kind: z.literal('state-system'),
    clientId: z.string().min(1),
    /** Environment variable holding the client secret. */
    clientSecretEnv: secretEnv,
    state: stateCode,
  }),
  /** A partner agency's web app: signs users in through Continuum (code + PKCE). */
  z.strictObject({
    kind: z.literal('partner-app'),
    clientId: z.string().min(1),
    /** Absent: a public client (PKCE only). */
    clientSecretEnv: secretEnv.optional(),
    redirectUris: z.array(httpUrl).min(1),
    postLogoutRedirectUris: z.array(httpUrl).default([]),
  }),
]);

const providerSettings = z.strictObject({
  /** Continuum's own OpenID provider at /oidc. */
  enabled: z.boolean().default(true),
  accessTokenTtlSeconds: z.number().int().min(60).max(86400).default(600),
  /** A new signing key after this many days; the old one keeps verifying for as long again. */
  keyRotationDays: z.number().int().min(1).max(3650).default(90),
  clients: z.array(providerClient).default([]),
});

/** Continuum's own side of sign-in: keys, sessions, clock skew, rate limits. */
const identitySettings = z.strictObject({
  /** Key and certificate Continuum signs SAML AuthnRequests with and receives encrypted assertions for. */
  signingKeyFile: filePath.default('certs/dev-signing.key'),
  signingCertFile: filePath.default('certs/dev-signing.crt'),
  /** Tolerated clock difference with an identity provider (NotBefore / NotOnOrAfter / exp). */
  clockSkewSeconds: z.number().int().min(0).max(300).default(60),
  session: z
    .strictObject({
      /** Distinct from other apps on the same host: cookies ignore the port. */
      cookieName: z
        .string()
        .regex(/^[A-Za-z0-9._-]+$/)
        .default('continuum.sid'),
      maxAgeMinutes: z.number().int().min(5).max(1440).default(480),
      /** At least 32 characters; when unset it is derived from the signing key. */
      secret: z.string().min(32, 'must be at least 32 characters').optional(),
    })
    .prefault({}),
  provider: providerSettings.prefault({}),
  rateLimit: z
    .strictObject({
      /** Sign-in starts and assertion posts per client address per minute. */
      signInPerMinute: z.number().int().min(1).default(30),
      /** Token endpoint calls per client address per minute. */
      tokenPerMinute: z.number().int().min(1).default(120),
    })
    .prefault({}),
});

const contact = z.strictObject({
  name: z.string().min(1),
  role: z.string().min(1),
  email: z.email({ error: 'must be an e-mail address' }),
  phone: z.string().optional(),
});

const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** 34 CFR 200.85 deadlines count working days, so each state gives its own calendar. */
const calendar = z.strictObject({
  timeZone: z.string().min(1).default('America/New_York'),
  weekend: z.array(weekday).default(['sat', 'sun']),
  holidays: z.array(z.strictObject({ date: isoDate, name: z.string().min(1) })).default([]),
  /**
   * School terms: 34 CFR 200.85 asks for updated records within 30 calendar days after a term
   * ends, so the deadline list needs each term's last day.
   */
  terms: z
    .array(z.strictObject({ name: z.string().min(1), start: isoDate, end: isoDate }))
    .default([]),
});

export const stateSchema = z.strictObject({
  code: stateCode,
  name: z.string().min(1),
  identityProvider,
  /** Name of the mapping file under `mappings/` (without `.yaml`) for the state's native format. */
  mapping: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a mapping file name like ca-csv'),
  /**
   * Hex SHA-256 of the key the state's system sends as `Authorization: Bearer <key>` to
   * `POST /api/v1/submissions`, until machine sign-in (OAuth client credentials) lands. Only the
   * hash is configured: the config holds no secret. No key: the state cannot upload over HTTP.
   */
  submissionKeySha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be the SHA-256 of the key as 64 hexadecimal digits')
    .optional(),
  contacts: z.array(contact).default([]),
  calendar: calendar.default({
    timeZone: 'America/New_York',
    weekend: ['sat', 'sun'],
    holidays: [],
    terms: [],
  }),
  /** Survey reports (MESIS): when each year's reports become public (survey-schema.ts). */
  survey: stateSurveySettings.prefault({}),
  /**
   * The state's regions (e.g. regional centers): id, name, NCES district ids. Survey reports,
   * worklist escalation and subscriptions by region all read this one table.
   */
  regions: stateRegions,
});

const cronExpression = z
  .string()
  .refine((v) => cron.validate(v), { message: 'must be a cron expression (node-cron syntax)' });

const jobsSettings = z.strictObject({
  /** Schedule jobs on this instance; off, jobs run only from the CLI. */
  enabled: z.boolean().default(true),
  /** Names this process in the run records; default host name, process id and a random part. */
  instanceId: z.string().min(1).max(100).optional(),
  /** A tick's lease lasts this long and is renewed at a third of it while the job runs. */
  leaseTtlSeconds: z.number().int().min(2).max(3600).default(60),
  /** Per job name (see src/jobs/registry.ts): its cron expression and whether it runs. */
  schedules: z
    .record(
      // camelCase too, which is what an environment variable's key becomes (moveDetection).
      z.string().regex(/^[a-z][a-zA-Z0-9-]*$/, 'must be a job name like move-detection'),
      // Both optional: unset, the job's default schedule, enabled.
      z.strictObject({ cron: cronExpression.optional(), enabled: z.boolean().optional() }),
    )
    .default({}),
  /** Run records, delivered notifications and dead letters are deleted after this many days. */
  retentionDays: z.number().int().min(1).max(3650).default(90),
});

const smtpSettings = z.strictObject({
  host: z.string().min(1),
  port: port.default(587),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  from: z.email({ error: 'must be an e-mail address' }),
  user: z.string().optional(),
  /** Environment variable holding the SMTP password: secrets are never in git. */
  passwordEnv: secretEnvName().optional(),
});

const notificationSettings = z.strictObject({
  /** Base of the portal links in payloads; default server.publicUrl + /portal. */
  portalUrl: httpUrl.optional(),
  /** Deliveries claimed per round and sent at once. */
  batchSize: z.number().int().min(1).max(10000).default(500),
  concurrency: z.number().int().min(1).max(1000).default(64),
  requestTimeoutSeconds: z.number().int().min(1).max(120).default(10),
  /**
   * Wait before each retry, in seconds; after the last one the delivery is dead-lettered. The
   * default follows the Standard Webhooks schedule: about 28 hours in all.
   */
  retryDelaysSeconds: z
    .array(z.number().min(0))
    .min(1)
    .default([5, 300, 1800, 7200, 18000, 36000, 36000]),
  /** Each wait is varied by up to this fraction, so retries of many deliveries spread out. */
  jitter: z.number().min(0).max(1).default(0.2),
  /**
   * After the backlog is sent, the delivery run keeps polling the outbox (every 250 ms) this long
   * before it ends, so a new event goes out in well under a second rather than at the next tick.
   * Keep it below the delivery job's cron interval, or ticks are skipped while it lingers.
   */
  lingerSeconds: z.number().min(0).max(3600).default(0),
  /** How long a rotated-out secret keeps signing beside the new one. */
  secretOverlapHours: z.number().min(0).max(720).default(24),
  smtp: smtpSettings.optional(),
});

export const configSchema = z.strictObject({
  env: z.string().default('development'),
  server: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      /** 0 asks the system for any free port (tests run several gateways at once). */
      port: port.default(8080),
      /** The address users and identity providers reach the gateway at (SAML ACS, OIDC redirects). */
      publicUrl: httpUrl.default('http://127.0.0.1:8080'),
      trustProxy: z.boolean().default(false),
    })
    .default({
      host: '127.0.0.1',
      port: 8080,
      publicUrl: 'http://127.0.0.1:8080',
      trustProxy: false,
    }),
  database: z
    .strictObject({
      url: z
        .string()
        .regex(
          /^(sqlite|postgres|postgresql|mssql):/,
          'must start with sqlite:, postgres: or mssql:',
        )
        .default('sqlite:./data/continuum.sqlite'),
      logging: z.boolean().default(false),
      /** Run pending migrations at start-up (under the migration lock). */
      migrateOnStart: z.boolean().default(true),
    })
    .default({ url: 'sqlite:./data/continuum.sqlite', logging: false, migrateOnStart: true }),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .default({ level: 'info' }),
  demo: z
    .strictObject({
      /** Load synthetic demo data into an empty database at start-up. */
      loadOnFirstStart: z.boolean().default(false),
      children: z.number().int().min(1).max(100000).default(200),
      seed: z.number().int().default(2026),
    })
    .default({ loadOnFirstStart: false, children: 200, seed: 2026 }),
  identity: identitySettings.prefault({}),
  ingest: z
    .strictObject({
      /** Largest file `POST /api/v1/submissions` accepts, in bytes (read as a stream). */
      maxUploadBytes: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .default(512 * 1024 * 1024),
    })
    .default({ maxUploadBytes: 512 * 1024 * 1024 }),
  /** Survey reports (MESIS): confidentiality minimums and indicators (survey-schema.ts). */
  survey: surveySettings.prefault({}),
  linkage: linkageSettings,
  jobs: jobsSettings.prefault({}),
  notifications: notificationSettings.prefault({}),
  /** Folder of `XX.yaml` state files, relative to the config folder. */
  statesDir: z.string().default('states'),
  /** Folder of mapping files (`<name>.yaml`, named by each state's `mapping`), relative to the config folder. */
  mappingsDir: z.string().default('../mappings'),
});

export type ConfigFile = z.infer<typeof configSchema>;
export type StateConfig = z.infer<typeof stateSchema>;
export type IdentityProviderConfig = z.infer<typeof identityProvider>;
/**
 * Linkage settings as the code sees them: the file's, plus each state's regions (region id → its
 * NCES district ids), filled from `config/states` when the config is loaded. A region data
 * administrator's account `district` is a district of the region (or the region id).
 */
export type LinkageSettings = z.infer<typeof linkageSettings> & {
  worklist: { regions: Record<string, Record<string, string[]>> };
};
export type Config = Omit<ConfigFile, 'linkage'> & {
  linkage: LinkageSettings;
  states: StateConfig[];
  configDir: string;
};
export type IdentitySettings = z.infer<typeof identitySettings>;
export type SamlIdentityProviderConfig = z.infer<typeof samlIdentityProvider>;
export type OidcIdentityProviderConfig = z.infer<typeof oidcIdentityProvider>;
export type JobsSettings = z.infer<typeof jobsSettings>;
export type NotificationSettings = z.infer<typeof notificationSettings>;
export type ProviderClientConfig = z.infer<typeof providerClient>;
