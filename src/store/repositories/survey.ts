/**
 * Survey responses in, aggregated counts out (set-based: one grouped query per indicator), and
 * the generated reports and confidentiality agreements. Plain objects only.
 */
import { QueryTypes } from 'sequelize';
import type { Transaction } from 'sequelize';
import type { SurveyAgreementRow, SurveyReportRow } from '../models/index.js';
import type { Store } from '../store.js';

export interface NewSurveyResponse {
  /** The line of the file the respondent is on. */
  row: number;
  survey: string;
  year: number;
  districtId: string;
  schoolId?: string | undefined;
  level: string;
  migrant: boolean;
  answers: Readonly<Record<string, number>>;
}

/** Rows per multi-row INSERT: well under every dialect's limit of bound parameters. */
const ROWS_PER_INSERT = 400;

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Stores a batch of responses of one submission, with their answers (multi-row INSERTs). */
export async function insertSurveyResponses(
  store: Store,
  tx: Transaction,
  submission: { id: number; stateCode: string },
  responses: readonly NewSurveyResponse[],
): Promise<void> {
  const { SurveyResponse, SurveyAnswer } = store.models;
  for (const part of chunks(responses, ROWS_PER_INSERT)) {
    await SurveyResponse.bulkCreate(
      part.map((r) => ({
        submissionId: submission.id,
        respondentRow: r.row,
        stateCode: submission.stateCode,
        survey: r.survey,
        year: r.year,
        districtId: r.districtId,
        schoolId: r.schoolId ?? null,
        level: r.level,
        migrant: r.migrant,
      })),
      { transaction: tx, validate: false, returning: false },
    );
  }
  const answers = responses.flatMap((r) =>
    Object.entries(r.answers).map(([item, answer]) => ({
      submissionId: submission.id,
      respondentRow: r.row,
      item,
      answer,
    })),
  );
  for (const part of chunks(answers, ROWS_PER_INSERT * 2)) {
    await SurveyAnswer.bulkCreate(part, { transaction: tx, validate: false, returning: false });
  }
}

export interface SurveyScope {
  state: string;
  survey: string;
  year: number;
}

export interface RespondentCount {
  districtId: string;
  level: string;
  migrant: boolean;
  respondents: number;
}

export interface IndicatorCount {
  districtId: string;
  level: string;
  migrant: boolean;
  /** Respondents who answered at least one of the indicator's items. */
  answered: number;
  /** Of those, the ones who meet the indicator's rule. */
  yes: number;
}

export type IndicatorRule = { meanAtLeast: number } | { answers: readonly number[] };

function asBoolean(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't';
}

export async function surveyRespondentCounts(
  store: Store,
  scope: SurveyScope,
): Promise<RespondentCount[]> {
  const rows = await store.sequelize.query<Record<string, unknown>>(
    `SELECT r.district_id AS district_id, r.level AS level, r.migrant AS migrant,
            COUNT(*) AS respondents
       FROM survey_responses r
      WHERE r.state_code = :state AND r.survey = :survey AND r.year = :year
      GROUP BY r.district_id, r.level, r.migrant`,
    { type: QueryTypes.SELECT, replacements: { ...scope } },
  );
  return rows.map((r) => ({
    districtId: String(r.district_id),
    level: String(r.level),
    migrant: asBoolean(r.migrant),
    respondents: Number(r.respondents),
  }));
}

/**
 * For one indicator, per district, level and group: respondents who answered its items, and
 * those who meet its rule. One grouped query: respondents' answers are reduced per respondent
 * first (mean, or any counted answer), then counted per cell.
 */
export async function surveyIndicatorCounts(
  store: Store,
  scope: SurveyScope,
  indicator: { items: readonly string[]; rule: IndicatorRule },
): Promise<IndicatorCount[]> {
  const meets =
    'meanAtLeast' in indicator.rule
      ? 'CASE WHEN AVG(CAST(a.answer AS FLOAT)) >= :threshold THEN 1 ELSE 0 END'
      : 'MAX(CASE WHEN a.answer IN (:answers) THEN 1 ELSE 0 END)';
  const replacements = {
    ...scope,
    items: [...indicator.items],
    ...('meanAtLeast' in indicator.rule
      ? { threshold: indicator.rule.meanAtLeast }
      : { answers: [...indicator.rule.answers] }),
  };
  const rows = await store.sequelize.query<Record<string, unknown>>(
    `SELECT x.district_id AS district_id, x.level AS level, x.migrant AS migrant,
            COUNT(*) AS answered, SUM(x.meets) AS yes
       FROM (SELECT r.district_id AS district_id, r.level AS level, r.migrant AS migrant,
                    ${meets} AS meets
               FROM survey_responses r
               JOIN survey_answers a
                 ON a.submission_id = r.submission_id AND a.respondent_row = r.respondent_row
              WHERE r.state_code = :state AND r.survey = :survey AND r.year = :year
                AND a.item IN (:items)
              GROUP BY r.submission_id, r.respondent_row, r.district_id, r.level, r.migrant) x
      GROUP BY x.district_id, x.level, x.migrant`,
    { type: QueryTypes.SELECT, replacements },
  );
  return rows.map((r) => ({
    districtId: String(r.district_id),
    level: String(r.level),
    migrant: asBoolean(r.migrant),
    answered: Number(r.answered),
    yes: Number(r.yes ?? 0),
  }));
}

/** The survey years a state has responses for, newest first. */
export async function surveyYears(store: Store, state: string): Promise<SurveyScope[]> {
  const rows = await store.sequelize.query<Record<string, unknown>>(
    `SELECT DISTINCT r.survey AS survey, r.year AS year FROM survey_responses r
      WHERE r.state_code = :state ORDER BY r.year DESC, r.survey`,
    { type: QueryTypes.SELECT, replacements: { state } },
  );
  return rows.map((r) => ({ state, survey: String(r.survey), year: Number(r.year) }));
}

export interface NewSurveyReport {
  scope: string;
  scopeId: string;
  name: string;
  body: string;
}

/** Replaces every report of a state's survey year by `reports`, in one transaction. */
export async function replaceSurveyReports(
  store: Store,
  scope: SurveyScope,
  reports: readonly NewSurveyReport[],
  generatedAt: Date,
): Promise<void> {
  const { SurveyReport } = store.models;
  await store.sequelize.transaction(async (tx) => {
    await SurveyReport.destroy({
      where: { stateCode: scope.state, survey: scope.survey, year: scope.year },
      transaction: tx,
    });
    for (const part of chunks(reports, 50)) {
      await SurveyReport.bulkCreate(
        part.map((r) => ({
          stateCode: scope.state,
          survey: scope.survey,
          year: scope.year,
          scope: r.scope,
          scopeId: r.scopeId,
          name: r.name,
          generatedAt,
          body: r.body,
        })),
        { transaction: tx },
      );
    }
  });
}

export interface SurveyReportKey extends SurveyScope {
  scope: string;
  scopeId: string;
}

export async function findSurveyReport(
  store: Store,
  key: SurveyReportKey,
): Promise<SurveyReportRow | null> {
  const row = (await store.models.SurveyReport.findOne({
    where: {
      stateCode: key.state,
      survey: key.survey,
      year: key.year,
      scope: key.scope,
      scopeId: key.scopeId,
    },
    raw: true,
  })) as SurveyReportRow | null;
  return row && { ...row, generatedAt: new Date(row.generatedAt) };
}

export type SurveyReportSummary = Omit<SurveyReportRow, 'body'>;

export async function listSurveyReports(
  store: Store,
  filter: { state?: string; survey?: string; year?: number } = {},
): Promise<SurveyReportSummary[]> {
  const where: Record<string, unknown> = {};
  if (filter.state) where.stateCode = filter.state;
  if (filter.survey) where.survey = filter.survey;
  if (filter.year !== undefined) where.year = filter.year;
  const rows = (await store.models.SurveyReport.findAll({
    where,
    attributes: { exclude: ['body'] },
    order: [
      ['year', 'DESC'],
      ['survey', 'ASC'],
      ['scope', 'DESC'],
      ['scopeId', 'ASC'],
    ],
    raw: true,
  })) as unknown as SurveyReportSummary[];
  return rows.map((r) => ({ ...r, generatedAt: new Date(r.generatedAt) }));
}

export async function acceptSurveyAgreement(
  store: Store,
  accountId: number,
  agreementVersion: string,
  acceptedAt: Date,
): Promise<void> {
  const { SurveyAgreement } = store.models;
  // Accepting again records the newer text and time; one row per account (unique index).
  const [updated] = await SurveyAgreement.update(
    { agreementVersion, acceptedAt },
    { where: { accountId } },
  );
  if (updated === 0) await SurveyAgreement.create({ accountId, agreementVersion, acceptedAt });
}

export async function surveyAgreementOf(
  store: Store,
  accountId: number,
): Promise<{ agreementVersion: string; acceptedAt: Date } | null> {
  const row = (await store.models.SurveyAgreement.findOne({
    where: { accountId },
    raw: true,
  })) as SurveyAgreementRow | null;
  return row
    ? { agreementVersion: row.agreementVersion, acceptedAt: new Date(row.acceptedAt) }
    : null;
}
