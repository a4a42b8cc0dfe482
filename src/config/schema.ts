/**
 * The one schema of Continuum's settings: it types, defaults, documents and validates every key.
 * `config/default.yaml` is the documented reference of these keys; `config/states/XX.yaml` holds
 * one state each (see `stateSchema`).
 */
import { z } from 'zod';

const port = z
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const isoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
const stateCode = z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter upper-case state code');

/** IdP attribute or claim names that become a Continuum account and its roles. */
const attributeMap = z
  .strictObject({
    email: z.string().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    groups: z.string().optional(),
    district: z.string().optional(),
  })
  .default({});

/** Group names asserted by the IdP, each granting Continuum roles. */
const roleGrants = z.record(z.string(), z.array(z.string())).default({});

const samlIdentityProvider = z.strictObject({
  type: z.literal('saml'),
  metadataFile: z.string().optional(),
  metadataUrl: httpUrl.optional(),
  /** node-cron expression for refreshing metadata from `metadataUrl`. */
  metadataRefresh: z.string().default('0 3 * * *'),
  /** Which part the IdP signs; "never neither" is enforced by allowing only these two. */
  signed: z.enum(['assertion', 'response']).default('assertion'),
  attributes: attributeMap,
  roles: roleGrants,
});

const oidcIdentityProvider = z.strictObject({
  type: z.literal('oidc'),
  issuer: httpUrl,
  clientId: z.string().min(1),
  /** Name of the environment variable holding the client secret: secrets are never in git. */
  clientSecretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an environment variable name'),
  scopes: z.array(z.string()).default(['openid', 'email', 'profile']),
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
});

export const stateSchema = z.strictObject({
  code: stateCode,
  name: z.string().min(1),
  identityProvider,
  /** Name of the mapping file under `mappings/` (without `.yaml`) for the state's native format. */
  mapping: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a mapping file name like ca-csv'),
  contacts: z.array(contact).default([]),
  calendar: calendar.default({ timeZone: 'America/New_York', weekend: ['sat', 'sun'], holidays: [] }),
});

export const configSchema = z.strictObject({
  env: z.string().default('development'),
  server: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: port.default(8080),
      /** The address users and identity providers reach the gateway at (SAML ACS, OIDC redirects). */
      publicUrl: httpUrl.default('http://127.0.0.1:8080'),
      trustProxy: z.boolean().default(false),
    })
    .default({ host: '127.0.0.1', port: 8080, publicUrl: 'http://127.0.0.1:8080', trustProxy: false }),
  database: z
    .strictObject({
      url: z
        .string()
        .regex(/^(sqlite|postgres|postgresql|mssql):/, 'must start with sqlite:, postgres: or mssql:')
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
  /** Folder of `XX.yaml` state files, relative to the config folder. */
  statesDir: z.string().default('states'),
});

export type ConfigFile = z.infer<typeof configSchema>;
export type StateConfig = z.infer<typeof stateSchema>;
export type IdentityProviderConfig = z.infer<typeof identityProvider>;
export type Config = ConfigFile & { states: StateConfig[]; configDir: string };
