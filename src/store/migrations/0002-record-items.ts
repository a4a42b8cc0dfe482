/**
 * The repeating parts of an exchange document (src/exchange/types.ts): qualifying moves,
 * enrollments, courses, assessments. One column per interface field, plus:
 * - `position`: the item's index in its document array, so a document reads back in the order it
 *   was sent (row ids of a multi-row INSERT are not guaranteed to follow VALUES order);
 * - the source (DESIGN.md section 4: every stored item keeps its source): submission, row, time.
 * Items go with their student record (ON DELETE CASCADE) and are replaced as a set when the state
 * sends the student again.
 */
import { DataTypes } from 'sequelize';
import type { ModelAttributeColumnOptions } from 'sequelize';
import type { Migration, MigrationContext } from './context.js';

type Columns = Record<string, ModelAttributeColumnOptions>;

const optional = (type: ModelAttributeColumnOptions['type']): ModelAttributeColumnOptions => ({
  type,
  allowNull: true,
});
const required = (type: ModelAttributeColumnOptions['type']): ModelAttributeColumnOptions => ({
  type,
  allowNull: false,
});

function itemColumns(fields: Columns): Columns {
  return {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
    student_record_id: {
      type: DataTypes.INTEGER,
      allowNull: false,
      references: { model: 'student_records', key: 'id' },
      onDelete: 'CASCADE',
    },
    position: required(DataTypes.INTEGER),
    ...fields,
    // No cascade from submissions: SQL Server refuses a second cascade path to the same table.
    submission_id: {
      type: DataTypes.INTEGER,
      allowNull: false,
      references: { model: 'submissions', key: 'id' },
    },
    source_row: required(DataTypes.INTEGER),
    received_at: required(DataTypes.DATE),
  };
}

const tables: Record<string, Columns> = {
  qualifying_moves: {
    qualifying_arrival_date: required(DataTypes.DATEONLY),
    from_city: optional(DataTypes.STRING(255)),
    from_state: optional(DataTypes.STRING(2)),
    from_country: optional(DataTypes.STRING(10)),
    to_city: optional(DataTypes.STRING(255)),
    to_state: required(DataTypes.STRING(2)),
    eligibility_expiration_date: optional(DataTypes.DATEONLY),
  },
  enrollments: {
    enrollment_date: required(DataTypes.DATEONLY),
    withdrawal_date: optional(DataTypes.DATEONLY),
    enrollment_type: required(DataTypes.STRING(2)),
    school_id: optional(DataTypes.STRING(12)),
    school_name: optional(DataTypes.STRING(255)),
    district_id: optional(DataTypes.STRING(7)),
    district_name: optional(DataTypes.STRING(255)),
    grade: required(DataTypes.STRING(2)),
    english_learner: optional(DataTypes.BOOLEAN),
    iep: optional(DataTypes.BOOLEAN),
    priority_for_services: optional(DataTypes.BOOLEAN),
    medical_alert: optional(DataTypes.STRING(10)),
    immunization_record: optional(DataTypes.BOOLEAN),
    residency_date: optional(DataTypes.DATEONLY),
    residency_verification_date: optional(DataTypes.DATEONLY),
    designated_graduation_school: optional(DataTypes.STRING(255)),
    graduation_date: optional(DataTypes.DATEONLY),
    hse: optional(DataTypes.BOOLEAN),
    continuation_of_services_reason: optional(DataTypes.STRING(2)),
    algebra1: optional(DataTypes.BOOLEAN),
    out_of_state_transcript: optional(DataTypes.BOOLEAN),
    comment: optional(DataTypes.TEXT),
  },
  courses: {
    title: required(DataTypes.STRING(255)),
    subject_area: optional(DataTypes.STRING(100)),
    course_type: optional(DataTypes.STRING(20)),
    begin_year: optional(DataTypes.INTEGER),
    end_year: optional(DataTypes.INTEGER),
    section: optional(DataTypes.STRING(10)),
    term_type: optional(DataTypes.STRING(20)),
    // Exact decimals: 0.5 credit must not read back as 0.49999.
    clock_hours: optional(DataTypes.DECIMAL(7, 2)),
    grade_to_date: optional(DataTypes.STRING(10)),
    credits_granted: optional(DataTypes.DECIMAL(6, 3)),
    final_grade: optional(DataTypes.STRING(10)),
    in_progress: optional(DataTypes.BOOLEAN),
  },
  assessments: {
    title: required(DataTypes.STRING(255)),
    content: optional(DataTypes.STRING(100)),
    type: optional(DataTypes.STRING(100)),
    administration_date: optional(DataTypes.DATEONLY),
    reporting_method: optional(DataTypes.STRING(100)),
    score: optional(DataTypes.STRING(50)),
    interpretation: optional(DataTypes.STRING(255)),
  },
};

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  for (const [table, fields] of Object.entries(tables)) {
    await qi.createTable(table, itemColumns(fields), { transaction });
    // Reading a document and replacing a student's items both select by record.
    await qi.addIndex(table, {
      name: `${table}_record_idx`,
      fields: ['student_record_id', 'position'],
      transaction,
    });
  }
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  for (const table of Object.keys(tables).reverse()) await qi.dropTable(table, { transaction });
}

export const recordItems: Migration = { name: '0002-record-items', up, down };
