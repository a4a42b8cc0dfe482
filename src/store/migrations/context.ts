import type { QueryInterface, Sequelize, Transaction } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** What every migration receives: schema changes go through the query interface only. */
export interface MigrationContext {
  queryInterface: QueryInterface;
  sequelize: Sequelize;
  /**
   * Set on PostgreSQL and SQL Server, whose DDL is transactional: pass it to every call so a
   * failed migration leaves nothing half-made. Unset on SQLite, where the whole run already sits
   * in one `BEGIN IMMEDIATE` transaction on the default connection (see migrate.ts).
   */
  transaction?: Transaction;
}

export interface Migration {
  /** Stored in `schema_migrations`; never rename one that has shipped. */
  name: string;
  up: MigrationFn<MigrationContext>;
  down: MigrationFn<MigrationContext>;
}
