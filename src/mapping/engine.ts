/**
 * The compiled mapping at work: rows from the format reader, grouped into children, each child
 * mapped by the closures the compiler built. Nothing here reads the mapping definition.
 */
import type { ExchangeDocument } from '../exchange/types.js';
import type { DocumentPlan } from './document.js';
import { FileRefusedError } from './errors.js';
import { groupRows, type Group, type GroupingOptions } from './grouping.js';
import type { MapContext, ScalarFn } from './scalar.js';
import type { FormatAdapter, MappedRecord, MappingProblem, SourceRow } from './types.js';

export type Action = 'upsert' | 'delete';

export interface EnginePlan<S> {
  adapter: FormatAdapter<S>;
  document: DocumentPlan<S>;
  grouping: GroupingOptions<S>;
  action?: { fn: ScalarFn<S>; kind?: string | undefined; fallback: Action } | undefined;
}

function byRow(a: MappingProblem, b: MappingProblem): number {
  return a.row - b.row;
}

export function mapGroup<S>(plan: EnginePlan<S>, group: Group<S>): MappedRecord {
  const { rows } = group;
  const first = rows[0]?.row ?? 0;
  const structural: MappingProblem[] = [...group.problems];
  const broken = new Set<number>();
  for (const r of rows) {
    if (r.problems && r.problems.length > 0) {
      structural.push(...r.problems);
      broken.add(r.row);
    }
  }
  const reject = (errors: MappingProblem[]): MappedRecord => ({
    kind: 'reject',
    row: first,
    ...(group.key === undefined ? {} : { key: group.key }),
    errors: errors.sort(byRow),
  });
  if (rows.some((r) => r.scope === undefined)) return reject(structural);

  const ctx: MapContext = { problems: [] };
  let action: Action = plan.action?.fallback ?? 'upsert';
  if (plan.action) {
    const { fn, kind } = plan.action;
    const scope =
      kind === undefined
        ? plan.document.studentScope(rows, ctx, false)
        : rows.find((r) => r.kind === kind)?.scope;
    const value = scope === undefined ? undefined : fn(scope, ctx, '', { had: false });
    if (value === 'upsert' || value === 'delete') action = value;
  }
  const document: ExchangeDocument =
    action === 'delete' ? plan.document.mapKeys(rows, ctx) : plan.document.map(rows, ctx);
  // A row that is itself broken (too few columns, cut short) is reported once, for what it is.
  const problems = [...structural, ...ctx.problems.filter((p) => !broken.has(p.row))];
  const key = group.key ?? (document.student as { stateStudentId?: string }).stateStudentId;
  if (problems.length > 0) {
    return key === undefined ? reject(problems) : { ...reject(problems), key };
  }
  return {
    kind: 'document',
    row: first,
    rows: rows.map((r) => r.row),
    key: key ?? '',
    action,
    document,
  };
}

export async function* readMapped<S>(
  plan: EnginePlan<S>,
  input: NodeJS.ReadableStream | Buffer,
  fileName: string,
): AsyncGenerator<MappedRecord> {
  try {
    const rows: AsyncIterable<SourceRow<S>> = plan.adapter.rows(input, fileName);
    for await (const group of groupRows(rows, plan.grouping)) yield mapGroup(plan, group);
  } catch (e) {
    if (e instanceof FileRefusedError) throw new FileRefusedError(e.reason, e.line, fileName);
    throw e;
  }
}
