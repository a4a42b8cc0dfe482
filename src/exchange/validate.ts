/**
 * Validates one exchange document: the JSON Schema (json-schema.ts, ajv in draft 2020-12 mode with
 * every error collected), then the rules between fields (business-rules.ts). Errors name the field
 * as a path (`enrollments[0].grade`), say what is wrong in words a state's data clerk can act on,
 * and show the offending value, truncated.
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { businessRuleErrors, displayValue, type ExchangeError } from './business-rules.js';
import { codeSets, codesOf, type CodeSetName } from './code-sets.js';
import { isIsoDate, todayUtc } from './dates.js';
import { exchangeDocumentJsonSchema, type JsonSchema } from './json-schema.js';
import type { ExchangeDocument, IsoDate } from './types.js';

export type { ExchangeError } from './business-rules.js';

export type ValidationResult =
  { ok: true; document: ExchangeDocument } | { ok: false; errors: ExchangeError[] };

export interface ValidateOptions {
  /** The day against which "not in the future" is judged (default: today in UTC). */
  today?: IsoDate;
}

/** What each code set is called in an error message ("must be one of the grade levels ..."). */
const codeSetNouns: Record<CodeSetName, string> = {
  gradeLevel: 'grade levels',
  enrollmentType: 'enrollment types',
  sex: 'sex codes',
  medicalAlert: 'medical alert values',
  continuationOfServicesReason: 'continuation of services reasons',
  courseType: 'course types',
  termType: 'term types',
  courseSection: 'course sections',
  birthDateVerification: 'birth date verification codes',
  stateStudentIdType: 'state student ID types',
  state: 'USPS state and territory codes',
  country: 'NCES (ISO 3166-1 alpha-2) country codes',
};

/** Longer code lists are not spelled out in full in every message. */
const MAX_CODES_LISTED = 25;

const patternReasons: Record<string, string> = {
  schoolId: 'must be the 12-digit NCES school ID',
  districtId: 'must be the 7-digit NCES district (LEA) ID',
};

let compiled: ReturnType<Ajv2020['compile']> | undefined;

function schemaValidator(): ReturnType<Ajv2020['compile']> {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
    ajv.addKeyword('x-code-set');
    // Our own date check: the same one eligibility and the business rules use.
    ajv.addFormat('date', isIsoDate);
    ajv.addFormat('email', fullFormats.email);
    compiled = ajv.compile(exchangeDocumentJsonSchema);
  }
  return compiled;
}

/** `/enrollments/0/grade` (JSON Pointer) as `enrollments[0].grade`. */
export function toFieldPath(pointer: string, child?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  let path = '';
  for (const part of parts) {
    if (/^[0-9]+$/.test(part)) path += `[${part}]`;
    else path += path === '' ? part : `.${part}`;
  }
  return path === '' ? '(document)' : path;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function article(type: string): string {
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function reasonFor(e: ErrorObject): string {
  const parentSchema = e.parentSchema as JsonSchema | undefined;
  const field = e.instancePath.split('/').pop() ?? '';
  const got = displayValue(e.data);
  switch (e.keyword) {
    case 'enum': {
      const setName = parentSchema?.['x-code-set'];
      if (setName === undefined)
        return `must be one of ${(e.params.allowedValues as string[]).join(', ')}`;
      const codes = codesOf(codeSets[setName]);
      const listed =
        codes.length <= MAX_CODES_LISTED
          ? codes.join(', ')
          : `${codes.slice(0, 6).join(', ')}, ... (${codes.length} codes in all)`;
      return `must be one of the ${codeSetNouns[setName]} ${listed}; got '${got ?? ''}'`;
    }
    case 'type':
      return `must be ${article(String(e.params.type))}; got ${article(jsonType(e.data))}`;
    case 'format':
    case 'pattern':
      if (e.schemaPath.startsWith('#/$defs/isoDate/')) {
        return `must be a real calendar date written YYYY-MM-DD; got '${got ?? ''}'`;
      }
      if (e.params.format === 'email') return `must be an e-mail address; got '${got ?? ''}'`;
      return `${patternReasons[field] ?? `must match ${String(e.params.pattern)}`}; got '${got ?? ''}'`;
    case 'maxLength':
      return `must be at most ${String(e.params.limit)} characters; got ${String((e.data as string).length)}`;
    case 'minLength':
      return 'must not be empty';
    case 'minimum':
      return `must be ${String(e.params.limit)} or more; got ${got ?? ''}`;
    case 'maximum':
      return `must be at most ${String(e.params.limit)}; got ${got ?? ''}`;
    case 'minItems':
      if (field === 'qualifyingMoves') {
        return 'must list at least one qualifying move: a child with no qualifying move is not a migratory child';
      }
      return `must have at least ${String(e.params.limit)} items`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}

function translate(e: ErrorObject): ExchangeError {
  if (e.keyword === 'required') {
    return {
      path: toFieldPath(e.instancePath, String(e.params.missingProperty)),
      reason: 'is required',
    };
  }
  if (e.keyword === 'additionalProperties') {
    const extra = String(e.params.additionalProperty);
    const value = displayValue((e.data as Record<string, unknown>)[extra]);
    const error: ExchangeError = {
      path: toFieldPath(e.instancePath, extra),
      reason: 'is not a field of the exchange document',
    };
    return value === undefined ? error : { ...error, value };
  }
  const error: ExchangeError = { path: toFieldPath(e.instancePath), reason: reasonFor(e) };
  // Objects and arrays are not shown: the path says where they are.
  if (typeof e.data === 'object' || e.data === undefined) return error;
  return { ...error, value: displayValue(e.data) ?? '' };
}

function uniqueErrors(errors: ExchangeError[]): ExchangeError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.path}\u0000${e.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Checks `doc` against the exchange schema and its business rules. On success the same object is
 * returned, typed; on failure every error found, schema errors first.
 */
export function validateExchangeDocument(
  doc: unknown,
  options: ValidateOptions = {},
): ValidationResult {
  const today = options.today ?? todayUtc();
  if (!isIsoDate(today))
    throw new RangeError(`today is not a calendar date YYYY-MM-DD: '${today}'`);
  const validate = schemaValidator();
  const schemaErrors = validate(doc) ? [] : (validate.errors ?? []);
  // A value of the wrong type is also outside its enum; saying so twice does not help.
  const wrongType = new Set(
    schemaErrors.filter((e) => e.keyword === 'type').map((e) => e.instancePath),
  );
  const errors = uniqueErrors([
    ...schemaErrors
      .filter((e) => !(e.keyword === 'enum' && wrongType.has(e.instancePath)))
      .map(translate),
    ...businessRuleErrors(doc, today),
  ]);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, document: doc as ExchangeDocument };
}
