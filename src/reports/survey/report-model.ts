/**
 * A survey report as published: the JSON the API serves, the source of the HTML and CSV, and what
 * is stored. It is built after suppression from published cells only, so nothing in it (no field,
 * no hidden attribute) carries a suppressed count or an exact coded percentage.
 */
import type { SurveyKind } from '../../exchange/survey-response.js';

export type ReportScope = 'district' | 'region' | 'state';
export const reportScopes: readonly ReportScope[] = ['district', 'region', 'state'];

export interface PublishedPercent {
  /** As shown: "42%", "≤5%", "≥95%", "—" (nobody answered). */
  text: string;
  /** Only when the percentage is shown exactly. */
  percent?: number;
}

export interface GroupResult {
  respondents: number;
  /** Indicator id → percentage of the group's respondents who answered and meet it. */
  indicators: Record<string, PublishedPercent>;
}

export interface LevelResult {
  /** A level (grade-7 ... high) or `total` (all levels together). */
  level: string;
  name: string;
  /**
   * `published`: both groups shown. `suppressed`: not shown, to protect respondents (never says
   * why: a reason would itself disclose). `empty`: nobody at this level answered the survey.
   */
  status: 'published' | 'suppressed' | 'empty';
  migrant?: GroupResult;
  others?: GroupResult;
}

export interface IndicatorInfo {
  id: string;
  name: string;
  section: string;
  description?: string;
}

export interface SurveyReport {
  state: string;
  survey: SurveyKind;
  year: number;
  scope: ReportScope;
  id: string;
  name: string;
  /** The regional center of a district. */
  region?: { id: string; name: string };
  /** A district report with no level shown, only all levels together (MESIS combined report). */
  combined: boolean;
  indicators: IndicatorInfo[];
  levels: LevelResult[];
  generatedAt: string;
}

export const surveyTitles: Record<SurveyKind, string> = {
  student: 'California Healthy Kids Survey (CHKS): migrant education students and all others',
  staff: 'California School Staff Survey (CSSS): migrant education staff and all others',
};
