/** The states (and territories) that take part, loaded from config/states at start-up. */
import type { Store } from '../store.js';
import type { StateRow } from '../models/index.js';

export interface StateInput {
  code: string;
  name: string;
}

/**
 * Inserts new states and renames existing ones. One upsert per state: the list is a few dozen
 * rows read once at start-up, and Model.upsert is the one upsert Sequelize renders on every
 * dialect (MERGE on SQL Server).
 */
export async function upsertStates(db: Store, states: readonly StateInput[]): Promise<void> {
  await db.sequelize.transaction(async (transaction) => {
    for (const state of states) {
      await db.models.State.upsert(
        { code: state.code.toUpperCase(), name: state.name },
        { transaction },
      );
    }
  });
}

export async function listStates(db: Store): Promise<StateRow[]> {
  const rows = await db.models.State.findAll({ order: [['code', 'ASC']] });
  return rows.map((row) => row.get({ plain: true }));
}
