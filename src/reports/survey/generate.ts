/**
 * `generateSurveyReports`: makes and stores every survey report (districts, the regional centers,
 * the state) of the configured states from the stored responses. The reports job calls it on its
 * schedule (MESIS: regional and statewide reports every two years; `surveyReportsDue` says when,
 * from `survey.everyYears`), and a state data administrator on demand
 * (POST /api/v1/survey-reports/generate). Counts are aggregated in SQL, one grouped query per
 * indicator; suppression and rendering work on those.
 *
 * Released reports are final: a survey year whose release date has passed and whose reports
 * exist is not made again unless `force` says so. Two versions of the same tables suppressed
 * differently (after late responses, or an edited region table) could together give away what
 * each hides on its own.
 */
import type { Config } from '../../config/index.js';
import type { SurveyKind } from '../../exchange/survey-response.js';
import type { Store } from '../../store/index.js';
import {
  listSurveyReports,
  replaceSurveyReports,
  surveyIndicatorCounts,
  surveyRespondentCounts,
  surveyYears,
} from '../../store/repositories/survey.js';
import { buildSurveyReports, type SurveyCounts } from './build-reports.js';
import { isReleased, releaseDateOf } from './release.js';
import type { SurveyReport } from './report-model.js';

/**
 * Whether the scheduled job should generate now: never run, or `survey.everyYears` years or more
 * since its last run (the job records its runs, DESIGN.md section 7).
 */
export function surveyReportsDue(
  config: Pick<Config, 'survey'>,
  now: Date,
  lastRunAt: Date | undefined,
): boolean {
  if (!lastRunAt) return true;
  const next = new Date(lastRunAt);
  next.setUTCFullYear(next.getUTCFullYear() + config.survey.everyYears);
  return now.getTime() >= next.getTime();
}

export interface GenerateSurveyReportsOptions {
  /** Only this state (default: every configured state with responses). */
  state?: string;
  survey?: SurveyKind;
  /** Only this survey year (default: the latest year of each survey with responses). */
  year?: number;
  /** Make the reports of a released year again (see above: think twice). */
  force?: boolean;
}

export interface GeneratedSurveyReports {
  state: string;
  survey: SurveyKind;
  year: number;
  /** `kept`: released reports left as they were (no `force`). */
  outcome: 'generated' | 'kept';
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
    const seen = new Set<string>();
    // Newest first: without a year, only the latest of each survey.
    for (const scope of await surveyYears(store, state.code)) {
      const survey = scope.survey as SurveyKind;
      if (options.survey && survey !== options.survey) continue;
      if (options.year !== undefined ? scope.year !== options.year : seen.has(survey)) continue;
      seen.add(survey);
      const existing = await listSurveyReports(store, {
        state: state.code,
        survey,
        year: scope.year,
      });
      if (
        existing.length > 0 &&
        isReleased(releaseDateOf(state, survey, scope.year), now) &&
        !options.force
      ) {
        const districts = existing.filter((r) => r.scope === 'district').length;
        const regions = existing.filter((r) => r.scope === 'region').length;
        out.push({
          state: state.code,
          survey,
          year: scope.year,
          outcome: 'kept',
          districts,
          districtsWithoutReport: 0,
          regions,
        });
        continue;
      }
      const { reports, respondents } = await buildFor(
        store,
        config,
        state,
        survey,
        scope.year,
        now,
      );
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
      const withResponses = new Set(respondents.map((r) => r.districtId)).size;
      out.push({
        state: state.code,
        survey,
        year: scope.year,
        outcome: 'generated',
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
): Promise<{ reports: SurveyReport[]; respondents: SurveyCounts['respondents'] }> {
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
  const reports = buildSurveyReports({
    state: { code: state.code, name: state.name },
    survey,
    year,
    regions: state.regions,
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
  return { reports, respondents: counts.respondents };
}
