/**
 * The transaction a count runs in, with the session settings the count needs on PostgreSQL
 * (SET LOCAL: they end with the transaction). Other dialects: a plain transaction.
 */
import type { Transaction } from 'sequelize';
import type { Store } from '../../store/index.js';

/**
 * PostgreSQL's default work_mem (4 MB) sends the count's hash joins and its window sort to disk
 * at a few hundred thousand children; the count asks for more, for its own transaction only
 * (SET LOCAL). Each hash or sort node may use this much, so a count uses a few times it at most.
 */
export const COUNT_WORK_MEM = '256MB';

/**
 * The count joins a child's moves to its enrollments in the same state through the child
 * (records joined to records on child and state). PostgreSQL multiplies the selectivities of the
 * two join columns as if they were independent, so it expects about 1/50 of the rows it gets
 * (on the 1M-children bench: 16,701 estimated, 333,333 per worker), and with that estimate it
 * picks index nested loops over every move and enrollment and a sort of two million rows for the
 * grouping. The count reads most of those tables anyway, so within its own transaction (SET
 * LOCAL) it turns nested loops and sorts off: hash joins and hash aggregates throughout. On the
 * bench that took the all-state count from 11.3 s to 6.7 s (bench/README.md, Counts). One state's
 * count reads a fiftieth of the rows, where the index look-ups win (4.3 s against 7.0 s on the
 * bench's largest state), so it keeps the planner's choice.
 */
const COUNT_PLANNER_SETTINGS = ['enable_nestloop = off', 'enable_sort = off'];

/**
 * JIT compilation of the count's expressions pays for itself at a million children, but
 * inlining and optimizing that code does not: each process of a parallel plan compiles its own
 * copy, about 0.3 to 0.9 s of CPU each. Without those two steps (the expressions are still
 * compiled) the all-state count took 15% less CPU on the bench (bench/README.md, Counts).
 */
const COUNT_JIT_SETTINGS = ['jit_inline_above_cost = -1', 'jit_optimize_above_cost = -1'];

/** Runs `work` in a transaction (or `outer`) with the count's session settings. */
export async function inCountTransaction<T>(
  store: Store,
  work: (tx: Transaction) => Promise<T>,
  outer?: Transaction,
  scope: 'one-state' | 'many-states' = 'one-state',
): Promise<T> {
  const run = async (tx: Transaction) => {
    if (store.sequelize.getDialect() === 'postgres') {
      await store.sequelize.query(`SET LOCAL work_mem = '${COUNT_WORK_MEM}'`, { transaction: tx });
      const planner = scope === 'many-states' ? COUNT_PLANNER_SETTINGS : [];
      for (const setting of [...COUNT_JIT_SETTINGS, ...planner]) {
        await store.sequelize.query(`SET LOCAL ${setting}`, { transaction: tx });
      }
    }
    return work(tx);
  };
  return outer ? run(outer) : store.sequelize.transaction(run);
}
