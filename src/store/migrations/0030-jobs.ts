/**
 * Scheduled jobs (DESIGN.md section 7): one lease row per job so a tick runs on one instance
 * across every gateway process on the database, a record of every run, and named watermarks that
 * let a job resume where its last run stopped.
 */
import { DataTypes } from 'sequelize';
import type { Migration, MigrationContext } from './context.js';

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  await qi.createTable(
    'job_leases',
    {
      job_name: { type: DataTypes.STRING(100), primaryKey: true, allowNull: false },
      // Random per acquisition: renew and release name it, so a late holder cannot touch a
      // lease another instance took over after it expired.
      lease_token: { type: DataTypes.STRING(64), allowNull: true },
      holder: { type: DataTypes.STRING(100), allowNull: true },
      // The scheduled time of the last tick taken: a tick already run is never taken again.
      last_tick_at: { type: DataTypes.DATE, allowNull: true },
      acquired_at: { type: DataTypes.DATE, allowNull: true },
      // Null or past: free. A crashed holder's lease frees itself when this passes.
      expires_at: { type: DataTypes.DATE, allowNull: true },
    },
    { transaction },
  );
  await qi.createTable(
    'job_runs',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
      job_name: { type: DataTypes.STRING(100), allowNull: false },
      instance_id: { type: DataTypes.STRING(100), allowNull: false },
      // schedule | manual
      run_trigger: { type: DataTypes.STRING(10), allowNull: false },
      tick_at: { type: DataTypes.DATE, allowNull: false },
      started_at: { type: DataTypes.DATE, allowNull: false },
      ended_at: { type: DataTypes.DATE, allowNull: true },
      // running | succeeded | failed | aborted
      outcome: { type: DataTypes.STRING(12), allowNull: false },
      // JSON object of named counts; TEXT because SQL Server 2019 has no JSON type.
      counts: { type: DataTypes.TEXT, allowNull: true },
      error: { type: DataTypes.STRING(2000), allowNull: true },
    },
    { transaction },
  );
  await qi.addIndex('job_runs', {
    name: 'job_runs_job_started_idx',
    fields: ['job_name', 'started_at'],
    transaction,
  });
  await qi.addIndex('job_runs', {
    name: 'job_runs_started_idx',
    fields: ['started_at'],
    transaction,
  });
  await qi.createTable(
    'job_watermarks',
    {
      name: { type: DataTypes.STRING(100), primaryKey: true, allowNull: false },
      value: { type: DataTypes.STRING(100), allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  for (const table of ['job_watermarks', 'job_runs', 'job_leases']) {
    await qi.dropTable(table, { transaction });
  }
}

export const jobs: Migration = { name: '0030-jobs', up, down };
