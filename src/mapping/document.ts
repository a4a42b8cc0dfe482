/**
 * The top of `fields`: which rows of a group make the student and each list (see fields.ts), and
 * the document built from them. A delete needs only the student's key fields, so `mapKeys` maps
 * `stateStudentId` and `stateStudentIdType` and nothing else.
 */
import type { ExchangeDocument } from '../exchange/types.js';
import { compileItems, compileObject, compileSelect, first, type ObjectFn } from './fields.js';
import type { CompileEnv, DataFlag, MapContext } from './scalar.js';
import { documentLists, documentTarget, type ListField, type ObjectField } from './targets.js';
import type { SourceContext, SourceRow } from './types.js';
import type { Path } from './yaml-source.js';

type Rows<S> = readonly SourceRow<S>[];
type Item = Record<string, unknown>;

export interface DocumentPlan<S> {
  /** The scope the student comes from (also where the record action is read). */
  studentScope(rows: Rows<S>, ctx: MapContext, report?: boolean): S | undefined;
  studentContext: SourceContext;
  map(rows: Rows<S>, ctx: MapContext): ExchangeDocument;
  mapKeys(rows: Rows<S>, ctx: MapContext): ExchangeDocument;
}

const KEY_FIELDS: ReadonlySet<string> = new Set(['stateStudentId', 'stateStudentIdType']);

function isRecord(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scoped<S>(rows: Rows<S>): S[] {
  const out: S[] = [];
  for (const r of rows) if (r.scope !== undefined) out.push(r.scope);
  return out;
}

/** `scoped(rows).slice(0, 1)`: the first row that could be read, if any. */
function firstScoped<S>(rows: Rows<S>): S[] {
  for (const r of rows) if (r.scope !== undefined) return [r.scope];
  return [];
}

/** `scoped(rows).flatMap(select)`, without the intermediate lists. */
function selectEach<S>(rows: Rows<S>, select: (scope: S) => S[]): S[] {
  if (rows.length === 1) {
    const scope = rows[0]?.scope;
    return scope === undefined ? [] : select(scope);
  }
  const out: S[] = [];
  for (const r of rows) {
    if (r.scope === undefined) continue;
    for (const s of select(r.scope)) out.push(s);
  }
  return out;
}

/**
 * How a section picks its rows: `spec` is `from` (object) or `each` (list). Answers the source
 * context its fields resolve in, and the selection; undefined after reporting a problem.
 */
function sectionRows<S>(
  spec: unknown,
  at: Path,
  env: CompileEnv<S>,
  section: string,
):
  | { context: SourceContext; select: (rows: Rows<S>, ctx: MapContext) => S[]; selected: boolean }
  | undefined {
  const { adapter } = env;
  const directive = at[at.length - 1];
  if (adapter.shape === 'tree') {
    if (spec === undefined) return { context: {}, select: firstScoped, selected: false };
    const select = compileSelect(spec, at, env);
    if (!select) return undefined;
    if (directive === 'from') {
      return {
        context: {},
        selected: true,
        select: (rows, ctx) => {
          const row = scoped(rows)[0];
          const found = row === undefined ? undefined : first(select, row, ctx, env, section);
          return found === undefined ? [] : [found];
        },
      };
    }
    return {
      context: {},
      selected: true,
      select: (rows) => selectEach(rows, select),
    };
  }
  const kinds = adapter.kinds;
  if (spec === undefined) {
    if (kinds.length > 0) {
      env.source.add(
        at.slice(0, -1),
        `needs ${String(directive)}: the record type (${kinds.join(', ')}) it comes from`,
      );
      return undefined;
    }
    return { context: {}, select: firstScoped, selected: false };
  }
  if (spec === 'rows' && directive === 'each') {
    return { context: {}, select: (rows) => scoped(rows), selected: true };
  }
  if (typeof spec === 'string' && kinds.includes(spec)) {
    const kind = spec;
    const pick = (rows: Rows<S>) => scoped(rows.filter((r) => r.kind === kind));
    return {
      context: { kind },
      selected: true,
      select: directive === 'from' ? (rows) => pick(rows).slice(0, 1) : pick,
    };
  }
  const expected = [...(directive === 'each' ? ['rows'] : []), ...kinds];
  env.source.add(
    at,
    `must be ${expected.length > 0 ? `one of ${expected.join(', ')}` : 'left out'} for ${adapter.kinds.length > 0 ? 'fixed-width' : 'CSV'} input`,
  );
  return undefined;
}

export function compileDocument<S>(
  spec: Record<string, unknown>,
  env: CompileEnv<S>,
): DocumentPlan<S> | undefined {
  let ok = true;
  for (const key of Object.keys(spec)) {
    if (!(key in documentTarget.fields)) {
      env.source.add(
        ['fields', key],
        `unknown exchange section '${key}' (known: ${Object.keys(documentTarget.fields).join(', ')})`,
      );
      ok = false;
    }
  }
  const studentSpec = spec.student;
  if (!isRecord(studentSpec)) {
    env.source.add(
      ['fields', 'student'],
      studentSpec === undefined ? 'is required' : 'must be a map of the student fields',
    );
    return undefined;
  }
  const studentRows = sectionRows(studentSpec.from, ['fields', 'student', 'from'], env, 'student');
  const student: ObjectFn<S> | undefined = studentRows
    ? compileObject(
        studentSpec,
        ['fields', 'student'],
        documentTarget.fields.student as ObjectField,
        studentRows.context,
        env,
        ['from'],
      )
    : undefined;

  const lists: [string, (rows: Rows<S>, ctx: MapContext) => Item[]][] = [];
  for (const name of documentLists) {
    const listSpec = spec[name];
    if (listSpec === undefined) continue;
    const at: Path = ['fields', name];
    if (!isRecord(listSpec)) {
      env.source.add(at, 'must be a map of the item fields');
      ok = false;
      continue;
    }
    const rows = sectionRows(listSpec.each, [...at, 'each'], env, name);
    // Without a usable `each`, the items are still checked where their names can be resolved.
    const context = rows?.context ?? (env.adapter.kinds.length === 0 ? {} : undefined);
    const target = documentTarget.fields[name] as ListField;
    const items = context ? compileItems(listSpec, at, target, context, env) : undefined;
    if (!rows || !items) {
      ok = false;
      continue;
    }
    lists.push([name, (group, ctx) => items(rows.select(group, ctx), ctx, name, rows.selected)]);
  }
  if (!ok || !studentRows || !student) return undefined;

  const studentScope = (rows: Rows<S>, ctx: MapContext, report = true): S | undefined => {
    const found = studentRows.select(rows, report ? ctx : { problems: [] })[0];
    if (found === undefined && report) {
      const what =
        studentRows.context.kind === undefined
          ? 'the student'
          : `${studentRows.context.kind} record for the student`;
      ctx.problems.push({
        row: rows[0]?.row ?? 0,
        target: 'student',
        reason: `the group has no ${what}`,
      });
    }
    return found;
  };
  const mapStudent = (rows: Rows<S>, ctx: MapContext, only?: ReadonlySet<string>): Item => {
    const scope = studentScope(rows, ctx);
    const data: DataFlag = { had: false };
    return scope === undefined ? {} : student(scope, ctx, 'student', data, only);
  };
  const empty = () => ({ qualifyingMoves: [], enrollments: [], courses: [], assessments: [] });
  // Each list's maker, or nothing: the document is written as one literal, in this order (the
  // student first, then the lists in documentLists order, as their problems are reported).
  const listFn = (name: (typeof documentLists)[number]) => lists.find(([n]) => n === name)?.[1];
  const moves = listFn('qualifyingMoves');
  const enrollments = listFn('enrollments');
  const courses = listFn('courses');
  const assessments = listFn('assessments');
  return {
    studentScope,
    studentContext: studentRows.context,
    map: (rows, ctx) => {
      const student = mapStudent(rows, ctx);
      const doc = {
        student,
        qualifyingMoves: moves ? moves(rows, ctx) : [],
        enrollments: enrollments ? enrollments(rows, ctx) : [],
        courses: courses ? courses(rows, ctx) : [],
        assessments: assessments ? assessments(rows, ctx) : [],
      };
      return doc as unknown as ExchangeDocument;
    },
    mapKeys: (rows, ctx) =>
      ({ student: mapStudent(rows, ctx, KEY_FIELDS), ...empty() }) as unknown as ExchangeDocument,
  };
}
