/**
 * The compiled mapping at work: rows from the format reader, grouped into children, each child
 * mapped by the closures the compiler built. Nothing here reads the mapping definition.
 */
import type { ExchangeDocument } from '../exchange/types.js';
import type { DocumentPlan } from './document.js';
import { FileRefusedError } from './errors.js';
import { grouper, type Group, type GroupingOptions } from './grouping.js';
import type { MapContext, ScalarFn } from './scalar.js';
import {
  rowBatches,
  type FormatAdapter,
  type MappedRecord,
  type MappingProblem,
  type SourceRow,
} from './types.js';

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
  let broken: Set<number> | undefined;
  let unread = false;
  for (const r of rows) {
    if (r.scope === undefined) unread = true;
    if (r.problems && r.problems.length > 0) {
      structural.push(...r.problems);
      (broken ??= new Set<number>()).add(r.row);
    }
  }
  const reject = (errors: MappingProblem[]): MappedRecord => ({
    kind: 'reject',
    row: first,
    ...(group.key === undefined ? {} : { key: group.key }),
    errors: errors.sort(byRow),
  });
  if (unread) return reject(structural);

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
  const problems =
    structural.length === 0 && ctx.problems.length === 0
      ? structural
      : [...structural, ...ctx.problems.filter((p) => !broken?.has(p.row))];
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
    // Rows come a chunk of the file at a time and are grouped and mapped in a plain loop: one
    // promise per record given out, not one per row and per stage.
    const groups = grouper(plan.grouping);
    const closed: Group<S>[] = [];
    for await (const batch of rowBatches(plan.adapter, input, fileName)) {
      for (let i = 0; i < batch.length; i++) groups.push(batch[i] as SourceRow<S>, closed);
      for (let i = 0; i < closed.length; i++) yield mapGroup(plan, closed[i] as Group<S>);
      closed.length = 0;
    }
    groups.end(closed);
    for (let i = 0; i < closed.length; i++) yield mapGroup(plan, closed[i] as Group<S>);
  } catch (e) {
    if (e instanceof FileRefusedError) throw new FileRefusedError(e.reason, e.line, fileName);
    throw e;
  }
}
