/**
 * `generateSurveyReports`: makes and stores every survey report (districts, the regional centers,
 * the state) of the configured states from the stored responses. The reports job calls it on its
 * schedule (MESIS: regional and statewide reports every two years; `survey.everyYears`), and a
 * state data administrator on demand (POST /api/v1/survey-reports/generate). Counts are
 * aggregated in SQL, one grouped query per indicator; suppression and rendering work on those.
 */
import type { Config } from '../../config/index.js';
import type { SurveyKind } from '../../exchange/survey-response.js';
import type { Store } from '../../store/index.js';
import {
  replaceSurveyReports,
  surveyIndicatorCounts,
  surveyRespondentCounts,
  surveyYears,
} from '../../store/repositories/survey.js';
import { buildSurveyReports, type SurveyCounts } from './build-reports.js';
import type { SurveyReport } from './report-model.js';

export interface GenerateSurveyReportsOptions {
  /** Only this state (default: every configured state with responses). */
  state?: string;
  survey?: SurveyKind;
  /** Only this survey year (default: every year with responses). */
  year?: number;
}

export interface GeneratedSurveyReports {
  state: string;
  survey: SurveyKind;
  year: number;
  districts: number;
  /** Districts with responses but too few respondents for any report. */
  districtsWithoutReport: number;
  regions: number;
}

export async function generateSurveyReports(
  store: Store,
  config: Pick<Config, 'survey' | 'states'>,
  now: Date,
  options: GenerateSurveyReportsOptions = {},
): Promise<GeneratedSurveyReports[]> {
  const out: GeneratedSurveyReports[] = [];
  const states = config.states.filter((s) => !options.state || s.code === options.state);
  for (const state of states) {
    for (const scope of await surveyYears(store, state.code)) {
      const survey = scope.survey as SurveyKind;
      if (options.survey && survey !== options.survey) continue;
      if (options.year !== undefined && scope.year !== options.year) continue;
      const reports = await buildFor(store, config, state, survey, scope.year, now);
      await replaceSurveyReports(
        store,
        scope,
        reports.map((r) => ({
          scope: r.scope,
          scopeId: r.id,
          name: r.name,
          body: JSON.stringify(r),
        })),
        now,
      );
      const districts = reports.filter((r) => r.scope === 'district').length;
      const respondents = await surveyRespondentCounts(store, scope);
      const withResponses = new Set(respondents.map((r) => r.districtId)).size;
      out.push({
        state: state.code,
        survey,
        year: scope.year,
        districts,
        districtsWithoutReport: withResponses - districts,
        regions: reports.filter((r) => r.scope === 'region').length,
      });
    }
  }
  return out;
}

async function buildFor(
  store: Store,
  config: Pick<Config, 'survey'>,
  state: Config['states'][number],
  survey: SurveyKind,
  year: number,
  now: Date,
): Promise<SurveyReport[]> {
  const scope = { state: state.code, survey, year };
  const indicators = config.survey.indicators.filter((i) => i.survey === survey);
  const counts: SurveyCounts = {
    respondents: await surveyRespondentCounts(store, scope),
    indicators: new Map(
      await Promise.all(
        indicators.map(async (i) => [i.id, await surveyIndicatorCounts(store, scope, i)] as const),
      ),
    ),
  };
  return buildSurveyReports({
    state: { code: state.code, name: state.name },
    survey,
    year,
    regions: state.survey.regions,
    indicators: indicators.map((i) => ({
      id: i.id,
      name: i.name,
      section: i.section,
      ...(i.description === undefined ? {} : { description: i.description }),
    })),
    counts,
    minimum: config.survey.minimumRespondents[survey],
    percentages: config.survey.percentages,
    generatedAt: now,
  });
}
