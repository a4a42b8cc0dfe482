/**
 * The top of a mapping file: its keys, checked with zod, and the helpers that turn zod issues into
 * mapping-file problems at their line. Each format's `input` section is checked by its reader
 * (formats/*.ts); `fields` is checked against the exchange catalogue by fields.ts.
 */
import iconv from 'iconv-lite';
import { z } from 'zod';
import { isCode, states } from '../exchange/code-sets.js';
import type { MappingSource, Path } from './yaml-source.js';

export const FORMATS = ['csv', 'fixed-width', 'xml', 'json', 'jsonl'] as const;
/** What a mapping makes: exchange documents (the default) or survey responses. */
export const TARGETS = ['exchange-document', 'survey-response'] as const;

/** A strict object whose unknown keys are reported with the keys it knows. */
export function strict<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `expected one of: ${known}` : undefined,
  });
}

/** A text encoding iconv-lite knows (`utf-8`, `iso-8859-1`, `windows-1252`, `utf-16le` ...). */
export const encoding = z
  .string()
  .refine((e) => iconv.encodingExists(e), { error: 'is not a text encoding iconv-lite knows' })
  .default('utf-8');

export const positiveInt = z.int({ error: 'must be a whole number' }).positive('must be positive');

const stateCode = z
  .string()
  .refine((s) => isCode(states, s), { error: 'must be a USPS state code such as CA' });

/**
 * The keys of a mapping file. Sections are checked one by one (input by its format, fields by
 * fields.ts, grouping and action by compile.ts), so that a problem in one does not hide the rest.
 */
export const topLevel = strict({
  /** The version of the mapping language; 1 is the only one. */
  version: z.unknown().optional(),
  state: z.unknown().optional(),
  description: z.unknown().optional(),
  /** `survey-response`: one anonymous survey respondent per row (survey-response.ts). */
  target: z.enum(TARGETS, { error: `must be one of ${TARGETS.join(', ')}` }).optional(),
  format: z.enum(FORMATS, { error: `must be one of ${FORMATS.join(', ')}` }),
  input: z.unknown().optional(),
  grouping: z.unknown().optional(),
  action: z.unknown().optional(),
  crosswalks: z.unknown().optional(),
  fields: z.unknown(),
});

export const sections = {
  version: z.literal(1, { error: 'must be 1' }).optional(),
  state: stateCode.optional(),
  description: z.string({ error: 'must be text' }).optional(),
  crosswalks: z
    .record(z.string(), z.unknown(), { error: 'must be a map of named crosswalks' })
    .default({}),
  fields: z.record(z.string(), z.unknown(), {
    error: 'must map the exchange sections (student, enrollments, ...)',
  }),
};

export type TopLevel = z.infer<typeof topLevel>;

/** Parses `value` with `schema`; every issue becomes a problem under `base`. */
export function check<T extends z.ZodType>(
  schema: T,
  value: unknown,
  base: Path,
  source: MappingSource,
): z.infer<T> | undefined {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data as z.infer<T>;
  for (const issue of result.error.issues) {
    const at = [...base, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        source.add([...at, key], `unknown key '${key}' (${issue.message})`);
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      source.add(at, 'is required');
    } else {
      source.add(at, issue.message);
    }
  }
  return undefined;
}

/**
 * Like `check`, but when `value` has problems (already reported) it answers the value parsed with
 * the offending keys left out, if that parses: the rest of the mapping can still be checked
 * against it, so that one bad option does not hide every other problem of the file.
 */
export function checkOrRepair<T extends z.ZodType>(
  schema: T,
  value: unknown,
  base: Path,
  source: MappingSource,
): z.infer<T> | undefined {
  const checked = check(schema, value, base, source);
  if (checked !== undefined || typeof value !== 'object' || value === null) return checked;
  const copy = structuredClone(value) as Record<string, unknown>;
  const first = schema.safeParse(copy);
  for (const issue of first.error?.issues ?? []) {
    const keys =
      issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const p of keys) {
      let node: unknown = copy;
      for (const seg of p.slice(0, -1)) {
        node = (node as Record<PropertyKey, unknown> | undefined)?.[seg as PropertyKey];
      }
      const last = p[p.length - 1];
      if (last !== undefined && typeof node === 'object' && node !== null) {
        Reflect.deleteProperty(node, last as PropertyKey);
      }
    }
  }
  const repaired = schema.safeParse(copy);
  return repaired.success ? (repaired.data as z.infer<T>) : undefined;
}
