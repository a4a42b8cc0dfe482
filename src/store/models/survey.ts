/** Survey responses, their answers, the generated reports and agreements (migration 0050-survey). */
import { DataTypes } from 'sequelize';
import type { Model, ModelAttributes, ModelStatic, Optional, Sequelize } from 'sequelize';

export interface SurveyResponseRow {
  id: string | number;
  submissionId: number;
  respondentRow: number;
  stateCode: string;
  survey: string;
  year: number;
  districtId: string;
  schoolId: string | null;
  level: string;
  migrant: boolean;
}
export type SurveyResponseModel = ModelStatic<
  Model<SurveyResponseRow, Optional<SurveyResponseRow, 'id' | 'schoolId'>>
>;

export interface SurveyAnswerRow {
  submissionId: number;
  respondentRow: number;
  item: string;
  answer: number;
}
export type SurveyAnswerModel = ModelStatic<Model<SurveyAnswerRow>>;

export interface SurveyReportRow {
  id: number;
  stateCode: string;
  survey: string;
  year: number;
  scope: string;
  scopeId: string;
  name: string;
  generatedAt: Date;
  body: string;
}
export type SurveyReportModel = ModelStatic<
  Model<SurveyReportRow, Optional<SurveyReportRow, 'id'>>
>;

export interface SurveyAgreementRow {
  id: number;
  accountId: number;
  agreementVersion: string;
  acceptedAt: Date;
}
export type SurveyAgreementModel = ModelStatic<
  Model<SurveyAgreementRow, Optional<SurveyAgreementRow, 'id'>>
>;

export function defineSurveyModels(sequelize: Sequelize) {
  const SurveyResponse: SurveyResponseModel = sequelize.define(
    'SurveyResponse',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      submissionId: { type: DataTypes.INTEGER, allowNull: false, field: 'submission_id' },
      respondentRow: { type: DataTypes.INTEGER, allowNull: false, field: 'respondent_row' },
      stateCode: { type: DataTypes.CHAR(2), allowNull: false, field: 'state_code' },
      survey: { type: DataTypes.STRING(8), allowNull: false },
      year: { type: DataTypes.INTEGER, allowNull: false },
      districtId: { type: DataTypes.STRING(20), allowNull: false, field: 'district_id' },
      schoolId: { type: DataTypes.STRING(20), field: 'school_id' },
      level: { type: DataTypes.STRING(16), allowNull: false },
      migrant: { type: DataTypes.BOOLEAN, allowNull: false },
    } satisfies ModelAttributes,
    { tableName: 'survey_responses', timestamps: false, underscored: true },
  );
  const SurveyAnswer: SurveyAnswerModel = sequelize.define(
    'SurveyAnswer',
    {
      submissionId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        primaryKey: true,
        field: 'submission_id',
      },
      respondentRow: {
        type: DataTypes.INTEGER,
        allowNull: false,
        primaryKey: true,
        field: 'respondent_row',
      },
      item: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
      answer: { type: DataTypes.INTEGER, allowNull: false },
    } satisfies ModelAttributes,
    { tableName: 'survey_answers', timestamps: false, underscored: true },
  );
  const SurveyReport: SurveyReportModel = sequelize.define(
    'SurveyReport',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      stateCode: { type: DataTypes.CHAR(2), allowNull: false, field: 'state_code' },
      survey: { type: DataTypes.STRING(8), allowNull: false },
      year: { type: DataTypes.INTEGER, allowNull: false },
      scope: { type: DataTypes.STRING(8), allowNull: false },
      scopeId: { type: DataTypes.STRING(20), allowNull: false, field: 'scope_id' },
      name: { type: DataTypes.STRING(255), allowNull: false },
      generatedAt: { type: DataTypes.DATE, allowNull: false, field: 'generated_at' },
      body: { type: DataTypes.TEXT, allowNull: false },
    } satisfies ModelAttributes,
    { tableName: 'survey_reports', timestamps: false, underscored: true },
  );
  const SurveyAgreement: SurveyAgreementModel = sequelize.define(
    'SurveyAgreement',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      accountId: { type: DataTypes.INTEGER, allowNull: false, field: 'account_id' },
      agreementVersion: {
        type: DataTypes.STRING(20),
        allowNull: false,
        field: 'agreement_version',
      },
      acceptedAt: { type: DataTypes.DATE, allowNull: false, field: 'accepted_at' },
    } satisfies ModelAttributes,
    { tableName: 'survey_agreements', timestamps: false, underscored: true },
  );
  return { SurveyResponse, SurveyAnswer, SurveyReport, SurveyAgreement };
}
