/**
 * The second target kind of the mapping language (`target: survey-response`, DESIGN.md section 9):
 * each row of the file is one anonymous survey respondent. `fields` maps the response's fields
 * (survey, year, districtId, schoolId, level, migrant) with the same field specs as exchange
 * documents (source, value, transforms, crosswalk, default), and `answers` maps item codes to the
 * columns holding them: a map `{ A1: Q1_COLUMN, A2: { source: ..., crosswalk: ... } }`, or a list
 * of item codes read from columns of the same name.
 */
import {
  isSurveyKind,
  surveyKinds,
  surveyLevels,
  type SurveyResponse,
} from '../exchange/survey-response.js';
import { compileScalar, type CompileEnv, type MapContext, type ScalarFn } from './scalar.js';
import type { ScalarTarget } from './targets.js';
import type { MappingProblem, SourceRow } from './types.js';

/** What a survey-response mapping yields per row: a response, or every problem of the row. */
export type MappedSurveyRecord =
  | { kind: 'response'; row: number; response: SurveyResponse }
  | { kind: 'reject'; row: number; errors: MappingProblem[] };

const responseFields: Record<string, { type: ScalarTarget; required: boolean }> = {
  survey: { type: { kind: 'string' }, required: true },
  year: { type: { kind: 'number', integer: true }, required: true },
  districtId: { type: { kind: 'string' }, required: true },
  schoolId: { type: { kind: 'string' }, required: false },
  level: { type: { kind: 'string' }, required: true },
  migrant: { type: { kind: 'boolean' }, required: true },
};

const ITEM = /^[A-Za-z][A-Za-z0-9_.-]{0,31}$/;
const answerType: ScalarTarget = { kind: 'number', integer: true };

export type SurveyRowFn<S> = (row: SourceRow<S>) => MappedSurveyRecord;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function compileSurveyResponse<S>(
  spec: Record<string, unknown>,
  env: CompileEnv<S>,
): SurveyRowFn<S> | undefined {
  const { source, adapter } = env;
  if (adapter.kinds.length > 0) {
    source.add(['input'], 'survey responses are one row each: record types are not supported');
    return undefined;
  }
  const fns: [string, ScalarFn<S>][] = [];
  let ok = true;
  for (const key of Object.keys(spec)) {
    if (key !== 'answers' && !(key in responseFields)) {
      source.add(
        ['fields', key],
        `unknown survey-response field '${key}' (known: ${[...Object.keys(responseFields), 'answers'].join(', ')})`,
      );
      ok = false;
    }
  }
  for (const [key, field] of Object.entries(responseFields)) {
    if (spec[key] === undefined) {
      if (field.required) {
        source.add(['fields'], `${key} is required for a survey response but not mapped`);
        ok = false;
      }
      continue;
    }
    const options = { type: field.type, required: field.required, context: {}, name: key };
    const fn = compileScalar(spec[key], ['fields', key], options, env);
    if (fn) fns.push([key, fn]);
    else ok = false;
  }
  const answers: [string, ScalarFn<S>][] = [];
  const answersSpec = spec.answers;
  const entries: [string, unknown][] = Array.isArray(answersSpec)
    ? answersSpec.map((item) => [String(item), String(item)])
    : isRecord(answersSpec)
      ? Object.entries(answersSpec)
      : [];
  if (!Array.isArray(answersSpec) && !isRecord(answersSpec)) {
    source.add(
      ['fields', 'answers'],
      answersSpec === undefined
        ? 'is required: the item answers (a map of item code to column, or a list of columns)'
        : 'must be a map of item code to column, or a list of item codes read from their columns',
    );
    ok = false;
  }
  entries.forEach(([item, itemSpec], i) => {
    const at = ['fields', 'answers', Array.isArray(answersSpec) ? i : item];
    if (!ITEM.test(item)) {
      source.add(at, `'${item}' is not an item code (a letter, then up to 31 letters or digits)`);
      ok = false;
      return;
    }
    const options = { type: answerType, required: false, context: {}, name: `answers.${item}` };
    const fn = compileScalar(itemSpec, at, options, env);
    if (fn) answers.push([item, fn]);
    else ok = false;
  });
  if (!ok) return undefined;

  return (row) => {
    if (row.problems && row.problems.length > 0)
      return { kind: 'reject', row: row.row, errors: row.problems };
    const scope = row.scope;
    if (scope === undefined) return { kind: 'reject', row: row.row, errors: [] };
    const ctx: MapContext = { problems: [] };
    const values: Record<string, unknown> = {};
    for (const [key, fn] of fns) {
      const v = fn(scope, ctx, '', { had: false });
      if (v !== undefined) values[key] = v;
    }
    const mapped: Record<string, number> = {};
    for (const [item, fn] of answers) {
      const v = fn(scope, ctx, '', { had: false });
      if (typeof v === 'number') mapped[item] = v;
    }
    const problem = (target: string, value: unknown, reason: string) =>
      ctx.problems.push({ row: row.row, target, value: String(value), reason });
    const survey = values.survey;
    if (survey !== undefined && !isSurveyKind(survey)) {
      problem('survey', survey, `must be one of ${surveyKinds.join(', ')}`);
    } else if (survey !== undefined && values.level !== undefined) {
      const levels = surveyLevels[survey];
      if (!levels.includes(String(values.level)))
        problem(
          'level',
          values.level,
          `must be one of ${levels.join(', ')} for the ${survey} survey`,
        );
    }
    const year = values.year;
    if (typeof year === 'number' && (year < 1990 || year > 2100))
      problem('year', year, 'is not a plausible survey year');
    if (ctx.problems.length > 0) return { kind: 'reject', row: row.row, errors: ctx.problems };
    const response: SurveyResponse = {
      survey: survey as SurveyResponse['survey'],
      year: year as number,
      districtId: String(values.districtId),
      level: String(values.level),
      migrant: values.migrant === true,
      answers: mapped,
    };
    if (values.schoolId !== undefined) response.schoolId = String(values.schoolId);
    return { kind: 'response', row: row.row, response };
  };
}
