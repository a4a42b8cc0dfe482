/**
 * States, submissions, consolidated children, one student record per state's student, rejects.
 *
 * Portability rules for every migration (PostgreSQL, SQLite, SQL Server 2019):
 * - no JSON/JSONB (SQL Server 2019 has none): JSON goes in TEXT (NVARCHAR(MAX));
 * - no ENUM: codes are short STRINGs validated in code against src/exchange/code-sets.ts;
 * - no index on TEXT (SQL Server cannot index NVARCHAR(MAX));
 * - UNIQUE only on NOT NULL columns (SQL Server lets a unique index hold a single NULL);
 * - cascades only along one path per table (SQL Server refuses multiple cascade paths).
 * A migration is frozen once shipped: it does not import the models, which change later.
 */
import { DataTypes } from 'sequelize';
import type { ModelAttributeColumnOptions } from 'sequelize';
import type { Migration, MigrationContext } from './context.js';

type Columns = Record<string, ModelAttributeColumnOptions>;

const id = (): ModelAttributeColumnOptions => ({
  type: DataTypes.INTEGER,
  primaryKey: true,
  autoIncrement: true,
  allowNull: false,
});

const timestamps = (): Columns => ({
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
});

const stateCode = (allowNull = false): ModelAttributeColumnOptions => ({
  type: DataTypes.CHAR(2),
  allowNull,
  references: { model: 'states', key: 'code' },
});

/** Parent/guardian columns, flattened: parent1_first_name ... parent2_phone. */
function parentColumns(prefix: 'parent1' | 'parent2'): Columns {
  return {
    [`${prefix}_first_name`]: { type: DataTypes.STRING(255), allowNull: true },
    [`${prefix}_last_name`]: { type: DataTypes.STRING(255), allowNull: true },
    [`${prefix}_email`]: { type: DataTypes.STRING(255), allowNull: true },
    [`${prefix}_phone`]: { type: DataTypes.STRING(50), allowNull: true },
  };
}

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;

  await qi.createTable(
    'states',
    {
      code: { type: DataTypes.CHAR(2), primaryKey: true, allowNull: false },
      name: { type: DataTypes.STRING(100), allowNull: false },
      ...timestamps(),
    },
    { transaction },
  );

  await qi.createTable(
    'submissions',
    {
      id: id(),
      state_code: stateCode(),
      file_name: { type: DataTypes.STRING(255), allowNull: false },
      file_sha256: { type: DataTypes.CHAR(64), allowNull: false },
      mapping_name: { type: DataTypes.STRING(100), allowNull: true },
      received_at: { type: DataTypes.DATE, allowNull: false },
      completed_at: { type: DataTypes.DATE, allowNull: true },
      // received | processing | completed | failed | refused (checked in code: no ENUM).
      status: { type: DataTypes.STRING(16), allowNull: false },
      row_count: { type: DataTypes.INTEGER, allowNull: true },
      accepted_count: { type: DataTypes.INTEGER, allowNull: true },
      rejected_count: { type: DataTypes.INTEGER, allowNull: true },
      error: { type: DataTypes.TEXT, allowNull: true },
    },
    { transaction },
  );
  // Re-sending the same file is refused by the database, not only by a prior lookup that two
  // concurrent uploads could both pass.
  await qi.addIndex('submissions', {
    name: 'submissions_state_sha256_uq',
    unique: true,
    fields: ['state_code', 'file_sha256'],
    transaction,
  });
  await qi.addIndex('submissions', {
    name: 'submissions_state_received_idx',
    fields: ['state_code', 'received_at'],
    transaction,
  });

  await qi.createTable(
    'children',
    {
      id: id(),
      // The stable 12-digit consolidated ID (DESIGN.md section 6), last digit a Luhn check.
      child_id: { type: DataTypes.CHAR(12), allowNull: false, unique: true },
      // active | merged | split
      status: { type: DataTypes.STRING(8), allowNull: false },
      merged_into: {
        type: DataTypes.CHAR(12),
        allowNull: true,
        references: { model: 'children', key: 'child_id' },
      },
      ...timestamps(),
    },
    { transaction },
  );

  await qi.createTable(
    'student_records',
    {
      id: id(),
      state_code: stateCode(),
      state_student_id: { type: DataTypes.STRING(15), allowNull: false },
      // Null until linkage (DESIGN.md section 6) has matched the record to a child.
      child_id: {
        type: DataTypes.CHAR(12),
        allowNull: true,
        references: { model: 'children', key: 'child_id' },
      },
      state_student_id_type: { type: DataTypes.STRING(2), allowNull: false },
      first_name: { type: DataTypes.STRING(255), allowNull: false },
      middle_name: { type: DataTypes.STRING(255), allowNull: true },
      last_name1: { type: DataTypes.STRING(255), allowNull: false },
      last_name2: { type: DataTypes.STRING(255), allowNull: true },
      suffix: { type: DataTypes.STRING(20), allowNull: true },
      sex: { type: DataTypes.STRING(1), allowNull: false },
      birth_date: { type: DataTypes.DATEONLY, allowNull: false },
      multiple_birth: { type: DataTypes.BOOLEAN, allowNull: true },
      birth_city: { type: DataTypes.STRING(255), allowNull: true },
      birth_state: { type: DataTypes.STRING(2), allowNull: true },
      birth_country: { type: DataTypes.STRING(10), allowNull: true },
      birth_date_verification: { type: DataTypes.STRING(4), allowNull: true },
      ...parentColumns('parent1'),
      ...parentColumns('parent2'),
      // JSON array of {id, type}; TEXT because SQL Server 2019 has no JSON type.
      alternate_ids: { type: DataTypes.TEXT, allowNull: true },
      submission_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'submissions', key: 'id' },
      },
      source_row: { type: DataTypes.INTEGER, allowNull: false },
      received_at: { type: DataTypes.DATE, allowNull: false },
      ...timestamps(),
    },
    { transaction },
  );
  // The upsert key: one record per student per state, replaced by that state's newer files.
  await qi.addIndex('student_records', {
    name: 'student_records_state_student_uq',
    unique: true,
    fields: ['state_code', 'state_student_id'],
    transaction,
  });
  await qi.addIndex('student_records', {
    name: 'student_records_child_idx',
    fields: ['child_id'],
    transaction,
  });
  // Linkage blocks candidate pairs on birth date (DESIGN.md section 6).
  await qi.addIndex('student_records', {
    name: 'student_records_birth_date_idx',
    fields: ['birth_date'],
    transaction,
  });
  await qi.addIndex('student_records', {
    name: 'student_records_submission_idx',
    fields: ['submission_id'],
    transaction,
  });

  await qi.createTable(
    'rejects',
    {
      id: id(),
      submission_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'submissions', key: 'id' },
        onDelete: 'CASCADE',
      },
      // Errors name where (CONVENTIONS.md "Errors"): row, source field, target field, value.
      row: { type: DataTypes.INTEGER, allowNull: true },
      field: { type: DataTypes.STRING(255), allowNull: true },
      target: { type: DataTypes.STRING(255), allowNull: true },
      value: { type: DataTypes.STRING(200), allowNull: true },
      reason: { type: DataTypes.STRING(1000), allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('rejects', {
    name: 'rejects_submission_idx',
    fields: ['submission_id', 'row'],
    transaction,
  });
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  for (const table of ['rejects', 'student_records', 'children', 'submissions', 'states']) {
    await qi.dropTable(table, { transaction });
  }
}

export const initial: Migration = { name: '0001-initial', up, down };
