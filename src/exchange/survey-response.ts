/**
 * One anonymous survey respondent as Continuum stores it (DESIGN.md section 9): the CHKS student
 * survey (grades 7, 9, 11: the program's self-report is too unreliable earlier) or the CSSS staff
 * survey (elementary, middle, high school staff), with the respondent's migrant-program answer and
 * the item answers as numbers. No name, no id: a respondent is a row of a file, nothing more.
 */
export const surveyKinds = ['student', 'staff'] as const;
export type SurveyKind = (typeof surveyKinds)[number];

/** The levels reported for each survey, in report order. */
export const surveyLevels: Record<SurveyKind, readonly string[]> = {
  student: ['grade-7', 'grade-9', 'grade-11'],
  staff: ['elementary', 'middle', 'high'],
};

export const surveyLevelNames: Record<string, string> = {
  'grade-7': 'Grade 7',
  'grade-9': 'Grade 9',
  'grade-11': 'Grade 11',
  elementary: 'Elementary school staff',
  middle: 'Middle school staff',
  high: 'High school staff',
};

export function isSurveyKind(value: unknown): value is SurveyKind {
  return typeof value === 'string' && (surveyKinds as readonly string[]).includes(value);
}

export interface SurveyResponse {
  survey: SurveyKind;
  /** The calendar year the survey was given in (spring of the school year). */
  year: number;
  /** NCES district id. */
  districtId: string;
  schoolId?: string;
  level: string;
  /** The respondent says they take part in (staff: work for) the migrant education program. */
  migrant: boolean;
  /** Item code → answer (1-based choice number). */
  answers: Record<string, number>;
}
