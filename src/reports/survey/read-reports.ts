/**
 * Reading stored survey reports under the embargo (release.ts): what the API and the public
 * pages call. A report the reader may not see yet is answered as absent.
 */
import type { Config } from '../../config/index.js';
import { isSurveyKind } from '../../exchange/survey-response.js';
import type { Principal } from '../../identity/principal.js';
import type { Store } from '../../store/index.js';
import {
  acceptSurveyAgreement,
  findSurveyReport,
  listSurveyReports,
  surveyAgreementOf,
} from '../../store/repositories/survey.js';
import { isReleased, mayRead, releaseDateOf, SURVEY_AGREEMENT_VERSION } from './release.js';
import { reportScopes, type ReportScope, type SurveyReport } from './report-model.js';

export interface SurveyReader {
  /** The state of a signed-in person who accepted the current agreement; null otherwise. */
  agreementState: string | null;
}

export const anonymousReader: SurveyReader = { agreementState: null };

/** What the caller may read before release: a person of a state who accepted the agreement. */
export async function surveyReaderOf(
  store: Store,
  principal: Principal | undefined,
): Promise<SurveyReader> {
  if (principal?.kind !== 'person') return anonymousReader;
  const agreement = await surveyAgreementOf(store, principal.accountId);
  const current = agreement?.agreementVersion === SURVEY_AGREEMENT_VERSION;
  return { agreementState: current ? principal.state : null };
}

export interface SurveyReportAddress {
  state: string;
  survey: string;
  year: string | number;
  scope: string;
  id: string;
}

/** The stored key of an address, or undefined when the address cannot name a report. */
function keyOf(address: SurveyReportAddress) {
  const state = address.state.toUpperCase();
  const year = Number(address.year);
  if (!/^[A-Z]{2}$/.test(state) || !isSurveyKind(address.survey)) return undefined;
  if (!Number.isInteger(year) || !reportScopes.includes(address.scope as ReportScope))
    return undefined;
  if (!/^[A-Za-z0-9()-]{1,20}$/.test(address.id)) return undefined;
  return { state, survey: address.survey, year, scope: address.scope, scopeId: address.id };
}

export interface ReadableReport {
  report: SurveyReport;
  released: boolean;
  releaseDate: string | null;
}

/** The report at `address` if it exists and the reader may see it now; undefined otherwise. */
export async function readSurveyReport(
  store: Store,
  config: Pick<Config, 'states'>,
  address: SurveyReportAddress,
  reader: SurveyReader,
  now: Date,
): Promise<ReadableReport | undefined> {
  const key = keyOf(address);
  const state = key && config.states.find((s) => s.code === key.state);
  if (!key || !state) return undefined;
  const release = releaseDateOf(state, key.survey, key.year);
  const agreed = reader.agreementState === key.state;
  if (!mayRead(release, now, { agreementAccepted: agreed })) return undefined;
  const row = await findSurveyReport(store, key);
  if (!row) return undefined;
  return {
    report: JSON.parse(row.body) as SurveyReport,
    released: isReleased(release, now),
    releaseDate: release ? release.toISOString().slice(0, 10) : null,
  };
}

export interface SurveyReportListing {
  state: string;
  survey: string;
  year: number;
  scope: string;
  id: string;
  name: string;
  released: boolean;
  generatedAt: string;
  /** Stable addresses of the report. */
  links: { html: string; json: string; csv: string };
}

export function surveyReportPaths(r: {
  state: string;
  survey: string;
  year: number;
  scope: string;
  id: string;
}) {
  const tail = `${r.state}/${r.survey}/${r.year}/${r.scope}/${encodeURIComponent(r.id)}`;
  return {
    html: `/reports/survey/${tail}`,
    json: `/api/v1/survey-reports/${tail}`,
    csv: `/api/v1/survey-reports/${tail}?format=csv`,
  };
}

/** Every report the reader may see now, newest year first. */
export async function listReadableSurveyReports(
  store: Store,
  config: Pick<Config, 'states'>,
  reader: SurveyReader,
  now: Date,
  filter: { state?: string; survey?: string; year?: number } = {},
): Promise<SurveyReportListing[]> {
  const rows = await listSurveyReports(store, filter);
  const out: SurveyReportListing[] = [];
  for (const row of rows) {
    const state = config.states.find((s) => s.code === row.stateCode.trim());
    if (!state) continue;
    const release = releaseDateOf(state, row.survey, row.year);
    const agreed = reader.agreementState === state.code;
    if (!mayRead(release, now, { agreementAccepted: agreed })) continue;
    const address = {
      state: state.code,
      survey: row.survey,
      year: row.year,
      scope: row.scope,
      id: row.scopeId,
    };
    out.push({
      ...address,
      name: row.name,
      released: isReleased(release, now),
      generatedAt: row.generatedAt.toISOString(),
      links: surveyReportPaths(address),
    });
  }
  return out;
}

export async function acceptSurveyReportAgreement(
  store: Store,
  accountId: number,
  now: Date,
): Promise<{ version: string; acceptedAt: string }> {
  await acceptSurveyAgreement(store, accountId, SURVEY_AGREEMENT_VERSION, now);
  return { version: SURVEY_AGREEMENT_VERSION, acceptedAt: now.toISOString() };
}

export async function surveyAgreementStatus(store: Store, accountId: number) {
  const agreement = await surveyAgreementOf(store, accountId);
  return {
    version: SURVEY_AGREEMENT_VERSION,
    accepted: agreement?.agreementVersion === SURVEY_AGREEMENT_VERSION,
    acceptedAt: agreement ? agreement.acceptedAt.toISOString() : null,
  };
}
