/**
 * The report jobs (DESIGN.md section 7, "Counts"): the nightly child-count refresh and the survey
 * reports, made every `survey.everyYears` years. The work is in src/reports; these only schedule it.
 */
import { refreshChildCounts } from '../reports/child-count/child-count.js';
import { generateSurveyReports, surveyReportsDue } from '../reports/survey/index.js';
import { listJobRuns } from '../store/repositories/job-runs.js';
import type { JobDefinition } from './job.js';

export const childCountRefreshJob: JobDefinition = {
  name: 'child-count-refresh',
  description: 'Recompute the unfrozen child counts of every state (current and previous period)',
  defaultCron: '0 15 2 * * *',
  async run(ctx) {
    const summaries = await refreshChildCounts(ctx.store, ctx.config, ctx.now);
    return {
      periods: summaries.length,
      refreshed: summaries.reduce((n, s) => n + s.refreshed.length, 0),
      kept: summaries.reduce((n, s) => n + s.kept.length, 0),
    };
  },
};

export const surveyReportGenerationJob: JobDefinition = {
  name: 'survey-report-generation',
  description: 'Make the district, regional and state survey reports when they are due',
  defaultCron: '0 45 2 * * 1',
  async run(ctx) {
    // Due counts from the last run that generated (a weekly run that found nothing due does not).
    const runs = await listJobRuns(ctx.store, { jobName: 'survey-report-generation', limit: 1000 });
    const last = runs.find((r) => r.outcome === 'succeeded' && (r.counts['due'] ?? 0) > 0);
    if (ctx.trigger === 'schedule' && !surveyReportsDue(ctx.config, ctx.now, last?.startedAt)) {
      return { due: 0, generated: 0, kept: 0 };
    }
    const made = await generateSurveyReports(ctx.store, ctx.config, ctx.now);
    return {
      due: 1,
      generated: made.filter((m) => m.outcome === 'generated').length,
      kept: made.filter((m) => m.outcome === 'kept').length,
    };
  },
};
