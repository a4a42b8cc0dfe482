/**
 * Survey reports (MESIS, DESIGN.md section 9): anonymous survey responses and their answers, the
 * reports made from them (already suppressed: the stored body carries no hidden value), and who
 * accepted the confidentiality agreement that lets them read a report before its release.
 *
 * Responses and answers belong to the submission that brought them (one cascade path each, from
 * `submissions`); answers are one row per respondent and item so that indicators are aggregated in
 * SQL, and they join their response on (submission_id, respondent_row) rather than on a generated id.
 */
import { DataTypes } from 'sequelize';
import type { Migration, MigrationContext } from './context.js';

async function up({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  const submission = {
    type: DataTypes.INTEGER,
    allowNull: false,
    references: { model: 'submissions', key: 'id' },
    onDelete: 'CASCADE',
  } as const;
  await qi.createTable(
    'survey_responses',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true, allowNull: false },
      submission_id: submission,
      // The line of the file the respondent is on.
      respondent_row: { type: DataTypes.INTEGER, allowNull: false },
      state_code: {
        type: DataTypes.CHAR(2),
        allowNull: false,
        references: { model: 'states', key: 'code' },
      },
      // student | staff (checked in code: no ENUM).
      survey: { type: DataTypes.STRING(8), allowNull: false },
      year: { type: DataTypes.INTEGER, allowNull: false },
      district_id: { type: DataTypes.STRING(20), allowNull: false },
      school_id: { type: DataTypes.STRING(20), allowNull: true },
      // grade-7 | grade-9 | grade-11 | elementary | middle | high
      level: { type: DataTypes.STRING(16), allowNull: false },
      migrant: { type: DataTypes.BOOLEAN, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('survey_responses', {
    name: 'survey_responses_row_uq',
    unique: true,
    fields: ['submission_id', 'respondent_row'],
    transaction,
  });
  await qi.addIndex('survey_responses', {
    name: 'survey_responses_year_idx',
    fields: ['state_code', 'survey', 'year', 'district_id'],
    transaction,
  });

  await qi.createTable(
    'survey_answers',
    {
      submission_id: { ...submission, primaryKey: true },
      respondent_row: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
      item: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
      answer: { type: DataTypes.INTEGER, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('survey_answers', {
    name: 'survey_answers_item_idx',
    fields: ['item'],
    transaction,
  });

  await qi.createTable(
    'survey_reports',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      state_code: {
        type: DataTypes.CHAR(2),
        allowNull: false,
        references: { model: 'states', key: 'code' },
      },
      survey: { type: DataTypes.STRING(8), allowNull: false },
      year: { type: DataTypes.INTEGER, allowNull: false },
      // district | region | state
      scope: { type: DataTypes.STRING(8), allowNull: false },
      scope_id: { type: DataTypes.STRING(20), allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false },
      generated_at: { type: DataTypes.DATE, allowNull: false },
      // The published report as JSON; TEXT because SQL Server 2019 has no JSON type.
      body: { type: DataTypes.TEXT, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('survey_reports', {
    name: 'survey_reports_scope_uq',
    unique: true,
    fields: ['state_code', 'survey', 'year', 'scope', 'scope_id'],
    transaction,
  });

  await qi.createTable(
    'survey_agreements',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      account_id: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'accounts', key: 'id' },
      },
      // Which text of the agreement was accepted.
      agreement_version: { type: DataTypes.STRING(20), allowNull: false },
      accepted_at: { type: DataTypes.DATE, allowNull: false },
    },
    { transaction },
  );
  await qi.addIndex('survey_agreements', {
    name: 'survey_agreements_account_uq',
    unique: true,
    fields: ['account_id'],
    transaction,
  });
}

async function down({ context }: { context: MigrationContext }): Promise<void> {
  const { queryInterface: qi, transaction } = context;
  for (const table of ['survey_agreements', 'survey_reports', 'survey_answers', 'survey_responses'])
    await qi.dropTable(table, { transaction });
}

export const survey: Migration = { name: '0050-survey', up, down };
