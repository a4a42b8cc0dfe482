/**
 * Rows into children. Without a grouping each row is one child (an XML or JSON record). With
 * `grouping.key`, consecutive rows of the same key are one child; with `grouping.start` (fixed
 * width), a record of that type starts a child and the lines after it belong to it.
 *
 * Memory: `sorted: true` (the default) streams: one group is held at a time, plus the keys of the
 * groups already closed (a few dozen bytes a child), so that a child whose rows are not
 * consecutive is rejected instead of silently split in two. `sorted: false` gathers every group
 * before the first is mapped: memory grows with the file.
 *
 * A row that cannot be read well enough to know its key (a line cut short, of an unknown record
 * type) joins the group being read, so that the child it probably belongs to is rejected rather
 * than stored without it.
 */
import type { MappingProblem, SourceRow } from './types.js';

export interface Group<S> {
  rows: SourceRow<S>[];
  key?: string | undefined;
  /** Problems of the grouping itself (an empty key, rows not consecutive). */
  problems: MappingProblem[];
}

/** A row's key; `problems` when the key is there but wrong (empty); undefined when unreadable. */
export type KeyOf<S> = (
  row: SourceRow<S>,
) => { key: string } | { problems: MappingProblem[] } | undefined;

export interface GroupingOptions<S> {
  key?: KeyOf<S> | undefined;
  start?: string | undefined;
  sorted: boolean;
}

/**
 * The grouping as a push machine, a row at a time, without a generator or a promise per row:
 * `push` appends the groups a row closes to `out`, `end` the rest. The same groups, in the same
 * order, as `groupRows`.
 */
export interface Grouper<S> {
  push(row: SourceRow<S>, out: Group<S>[]): void;
  end(out: Group<S>[]): void;
}

export function grouper<S>(options: GroupingOptions<S>): Grouper<S> {
  const { key: keyOf, start } = options;
  if (!keyOf && start === undefined) {
    return { push: (row, out) => void out.push({ rows: [row], problems: [] }), end: () => {} };
  }
  if (!options.sorted && keyOf) return gatherer(keyOf);
  const closed = new Set<string>();
  let current: Group<S> | undefined;
  return {
    push(row, out) {
      const found = keyOf ? keyOf(row) : undefined;
      if (found && 'problems' in found) {
        if (current) out.push(close(current, closed));
        current = undefined;
        out.push({ rows: [row], problems: found.problems });
        return;
      }
      const key = found?.key;
      const unreadable = keyOf !== undefined && key === undefined;
      const startsGroup =
        current === undefined ||
        (start !== undefined && row.kind === start) ||
        (key !== undefined && key !== current.key);
      if (!startsGroup || (unreadable && current)) {
        current?.rows.push(row);
        return;
      }
      if (current) out.push(close(current, closed));
      current = { rows: [row], key, problems: [] };
      if (key !== undefined && closed.has(key)) {
        current.problems.push({
          row: row.row,
          reason:
            `the rows of ${key} are not consecutive: an earlier group of its rows ended before this ` +
            'row (keep them together, or set grouping.sorted: false)',
        });
      }
    },
    end(out) {
      if (current) out.push(close(current, closed));
      current = undefined;
    },
  };
}

export async function* groupRows<S>(
  rows: AsyncIterable<SourceRow<S>>,
  options: GroupingOptions<S>,
): AsyncGenerator<Group<S>> {
  const g = grouper(options);
  const out: Group<S>[] = [];
  for await (const row of rows) {
    g.push(row, out);
    yield* out.splice(0);
  }
  g.end(out);
  yield* out;
}

function close<S>(group: Group<S>, closed: Set<string>): Group<S> {
  if (group.key !== undefined) closed.add(group.key);
  return group;
}

/** `sorted: false`: every row of a key gathered, groups in the order their first row came. */
function gatherer<S>(keyOf: KeyOf<S>): Grouper<S> {
  const groups = new Map<string, Group<S>>();
  let last: Group<S> | undefined;
  return {
    push(row) {
      const found = keyOf(row);
      if (found === undefined && last) {
        last.rows.push(row);
      } else if (found === undefined || 'problems' in found) {
        groups.set(`\u0000${row.row}`, { rows: [row], problems: found?.problems ?? [] });
      } else {
        last = groups.get(found.key);
        if (last) last.rows.push(row);
        else {
          last = { rows: [row], key: found.key, problems: [] };
          groups.set(found.key, last);
        }
      }
    },
    end(out) {
      for (const group of groups.values()) out.push(group);
      groups.clear();
    },
  };
}
