/**
 * Loads the settings: `default.yaml`, then `<environment>.yaml`, then the file named by
 * `CONTINUUM_CONFIG`, then environment variables, then one validation that names every bad key.
 *
 * Environment rule (one rule, documented in config/default.yaml and the README):
 * `CONTINUUM_<SECTION>__<KEY>` sets `section.key`; `__` separates levels and each level is written
 * in SCREAMING_SNAKE_CASE for a camelCase key (`CONTINUUM_SERVER__PUBLIC_URL` → `server.publicUrl`).
 * Values are read as YAML scalars (`8080` is a number, `true` a boolean). The platform-standard
 * names `DATABASE_URL`, `PORT` and `LOG_LEVEL` are aliases of `database.url`, `server.port` and
 * `log.level`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { configSchema, stateSchema, type Config, type StateConfig } from './schema.js';

type Tree = Record<string, unknown>;

const aliases: Record<string, string[]> = {
  DATABASE_URL: ['database', 'url'],
  PORT: ['server', 'port'],
  LOG_LEVEL: ['log', 'level'],
};
/** Variables that choose what to load rather than set a key. */
const metaVariables = new Set(['CONTINUUM_ENV', 'CONTINUUM_CONFIG']);

export interface LoadConfigOptions {
  configDir?: string;
  env?: NodeJS.ProcessEnv;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const configDir = path.resolve(options.configDir ?? env.CONTINUUM_CONFIG_DIR ?? 'config');
  const environment = env.CONTINUUM_ENV ?? env.NODE_ENV ?? 'development';
  const problems: ConfigProblem[] = [];
  const origins = new Map<string, string>();
  const merged: Tree = { env: environment };

  const layers = [
    path.join(configDir, 'default.yaml'),
    path.join(configDir, `${environment}.yaml`),
  ];
  for (const file of layers) {
    if (existsSync(file)) mergeInto(merged, readYaml(file, problems), rel(file), origins);
  }
  if (env.CONTINUUM_CONFIG) {
    const file = path.resolve(env.CONTINUUM_CONFIG);
    if (existsSync(file)) mergeInto(merged, readYaml(file, problems), rel(file), origins);
    else
      problems.push({
        file: rel(file),
        path: '',
        message: 'CONTINUUM_CONFIG names a missing file',
      });
  }
  mergeInto(merged, environmentOverrides(env), 'environment', origins);

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) problems.push(...describeIssues(parsed.error, merged, origins, 'config'));

  const statesDir = path.resolve(configDir, parsed.success ? parsed.data.statesDir : 'states');
  const states = loadStates(statesDir, problems);

  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const linkage = parsed.data.linkage;
  const regions = Object.fromEntries(
    states.map((s) => [s.code, Object.fromEntries(s.regions.map((r) => [r.id, [...r.districts]]))]),
  );
  return {
    ...parsed.data,
    linkage: { ...linkage, worklist: { ...linkage.worklist, regions } },
    states,
    configDir,
  };
}

export function loadStates(statesDir: string, problems: ConfigProblem[]): StateConfig[] {
  if (!existsSync(statesDir)) {
    problems.push({ file: rel(statesDir), path: '', message: 'states folder does not exist' });
    return [];
  }
  const states: StateConfig[] = [];
  for (const name of readdirSync(statesDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const file = path.join(statesDir, name);
    const raw = readYaml(file, problems);
    const parsed = stateSchema.safeParse(raw);
    if (!parsed.success) {
      const origins = new Map<string, string>();
      problems.push(...describeIssues(parsed.error, raw, origins, rel(file)));
      continue;
    }
    const expected = path.basename(name, path.extname(name));
    if (parsed.data.code !== expected) {
      problems.push({
        file: rel(file),
        path: 'code',
        message: `must match the file name (${expected}); got '${parsed.data.code}'`,
      });
      continue;
    }
    states.push(parsed.data);
  }
  return states;
}

function readYaml(file: string, problems: ConfigProblem[]): Tree {
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
  for (const error of doc.errors) {
    const line = error.linePos?.[0];
    problems.push({
      file: rel(file),
      path: line ? `line ${line.line}, column ${line.col}` : '',
      message: error.message.split('\n')[0] ?? error.message,
    });
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ file: rel(file), path: '', message: 'must be a mapping of keys to values' });
    return {};
  }
  return value as Tree;
}

/** Deep merge: objects merge key by key, anything else (arrays included) replaces. */
function mergeInto(
  target: Tree,
  source: Tree,
  origin: string,
  origins: Map<string, string>,
  at = '',
) {
  for (const [key, value] of Object.entries(source)) {
    const keyPath = at ? `${at}.${key}` : key;
    const current = target[key];
    if (isTree(value) && isTree(current)) {
      mergeInto(current, value, origin, origins, keyPath);
    } else {
      target[key] = isTree(value) ? structuredClone(value) : value;
      origins.set(keyPath, origin);
    }
  }
}

function environmentOverrides(env: NodeJS.ProcessEnv): Tree {
  const tree: Tree = {};
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined) continue;
    let keys: string[] | undefined = aliases[name];
    if (!keys && name.startsWith('CONTINUUM_') && !metaVariables.has(name)) {
      keys = name.slice('CONTINUUM_'.length).split('__').map(camelCase);
    }
    if (!keys || keys.some((k) => k === '')) continue;
    setPath(tree, keys, parseScalar(raw));
  }
  return tree;
}

function camelCase(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function parseScalar(raw: string): unknown {
  const doc = parseDocument(raw);
  const value: unknown = doc.errors.length > 0 ? raw : doc.toJS();
  return value === null ? raw : value;
}

function setPath(tree: Tree, keys: string[], value: unknown) {
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = isTree(next) ? next : (node[key] = {});
  }
  node[keys[keys.length - 1] as string] = value;
}

function describeIssues(
  error: z.ZodError,
  input: unknown,
  origins: Map<string, string>,
  fallbackFile: string,
): ConfigProblem[] {
  return error.issues.flatMap((issue) => {
    const keyPath = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const full = keyPath ? `${keyPath}.${key}` : key;
        return {
          file: originOf(full, origins) ?? fallbackFile,
          path: full,
          message: 'is not a known key',
        };
      });
    }
    const value = valueAt(input, issue.path);
    const got = value === undefined ? 'missing' : `got ${JSON.stringify(value)?.slice(0, 60)}`;
    return [
      {
        file: originOf(keyPath, origins) ?? fallbackFile,
        path: keyPath,
        message: `${describeMessage(issue, value)} (${got})`,
      },
    ];
  });
}

function describeMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (
    issue.code === 'invalid_union' &&
    'note' in issue &&
    issue.note === 'No matching discriminator'
  ) {
    return `must be one of ${discriminatorOptions(issue)}`;
  }
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.join(', ')}`;
  if (issue.code === 'invalid_type' && value === undefined) return 'is required';
  if (issue.code === 'invalid_type') return `must be a ${issue.expected}`;
  return issue.message;
}

function discriminatorOptions(issue: z.core.$ZodIssue): string {
  return 'discriminator' in issue && issue.discriminator === 'type'
    ? 'saml, oidc, none'
    : 'the allowed values';
}

/** `contacts.0.email` reads better as `contacts[0].email`. */
function formatPath(keys: readonly PropertyKey[]): string {
  return keys
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`))
    .join('');
}

function originOf(keyPath: string, origins: Map<string, string>): string | undefined {
  for (let p = keyPath; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const origin = origins.get(p);
    if (origin) return origin;
  }
  return undefined;
}

function valueAt(input: unknown, keys: readonly PropertyKey[]): unknown {
  let node: unknown = input;
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function isTree(value: unknown): value is Tree {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function rel(file: string): string {
  return path.relative(process.cwd(), file) || file;
}
