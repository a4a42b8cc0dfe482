/**
 * Settings of the survey reports (DESIGN.md section 9). `survey` in config/default.yaml holds what
 * every state shares: the confidentiality minimums and the indicators; `survey` in
 * config/states/XX.yaml holds a state's own: its regional centers (which district is in which)
 * and the release date of each survey year. Indicators live here, not in code, so that a state can
 * follow the survey's key indicators as they change.
 */
import { z } from 'zod';
import { surveyKinds } from '../exchange/survey-response.js';

const isoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });

const itemCode = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,31}$/, 'must be an item code like A11');

/** How a respondent counts for an indicator. */
const indicatorRule = z.union(
  [
    /** The mean of the respondent's answers to the items is at least this (e.g. 4 on a 1-5 scale). */
    z.strictObject({ meanAtLeast: z.number() }),
    /** At least one of the items answered with one of these answers. */
    z.strictObject({ answers: z.array(z.int()).min(1) }),
  ],
  { error: 'must be { meanAtLeast: N } or { answers: [N, ...] }' },
);

const indicator = z.strictObject({
  /** Stable id used in JSON and CSV, e.g. school-connectedness. */
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a kebab-case id'),
  name: z.string().min(1),
  survey: z.enum(surveyKinds),
  /** The report section it is shown in (engagement, supports, safety, health, staff...). */
  section: z.string().min(1),
  items: z.array(itemCode).min(1),
  rule: indicatorRule,
  /** One sentence saying what a higher percentage means. */
  description: z.string().optional(),
});

export const surveySettings = z
  .strictObject({
    /** Fewest respondents a group (migrant, others) may have at a published level. */
    minimumRespondents: z
      .strictObject({
        student: z.int().min(1).default(10),
        staff: z.int().min(1).default(5),
      })
      .prefault({}),
    percentages: z
      .strictObject({
        /** Below this many answers an extreme percentage is coded (≤5%, ≥95%). */
        exactFromAnswers: z.int().min(1).default(30),
        codedMargin: z.int().min(1).max(49).default(5),
      })
      .prefault({}),
    /** Reports are made for a survey year every this many years (MESIS: every two). */
    everyYears: z.int().min(1).default(2),
    indicators: z.array(indicator).default([]),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.indicators.forEach((ind, i) => {
      if (seen.has(ind.id))
        ctx.addIssue({ code: 'custom', path: ['indicators', i, 'id'], message: 'is used twice' });
      seen.add(ind.id);
    });
  });

const region = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9-]{1,16}$/, 'must be a short id like R01'),
  name: z.string().min(1),
  /** NCES district ids of the districts the center serves. */
  districts: z.array(z.string().min(1)).default([]),
  /** District names for the reports, by id (optional). */
  districtNames: z.record(z.string(), z.string()).default({}),
});

export const stateSurveySettings = z.strictObject({
  /**
   * When each survey year's reports become public. Before that only signed-in users who accepted
   * the confidentiality agreement see them; a year without a date is never public.
   */
  releases: z
    .array(z.strictObject({ survey: z.enum(surveyKinds), year: z.int(), date: isoDate }))
    .default([]),
});

/**
 * A state's regions (e.g. California's 23 regional migrant education centers), one table for
 * everything that works by region: survey reports, worklist escalation, subscriptions by region.
 * A district belongs to one region at most.
 */
export const stateRegions = z
  .array(region)
  .default([])
  .superRefine((regions, ctx) => {
    const owner = new Map<string, string>();
    regions.forEach((r, i) => {
      r.districts.forEach((d, j) => {
        const other = owner.get(d);
        if (other !== undefined && other !== r.id) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'districts', j],
            message: `district ${d} is already in region ${other}`,
          });
        }
        owner.set(d, r.id);
      });
    });
  });

export type SurveySettings = z.infer<typeof surveySettings>;
export type StateSurveySettings = z.infer<typeof stateSurveySettings>;
export type RegionConfig = z.infer<typeof region>;
export type IndicatorConfig = z.infer<typeof indicator>;
