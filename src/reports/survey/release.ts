/**
 * Who may read a survey report, when (MESIS: "public dissemination ... must not occur before
 * release of overall CSSS results"; "all individuals that request a report before it is publicly
 * posted must sign a Memorandum of Understanding"). Before the state's release date only a
 * signed-in person who accepted the confidentiality agreement sees it; everyone else is told it
 * does not exist (404, so an embargoed report's existence is not disclosed either). From the
 * release date it is public.
 */
import type { StateConfig } from '../../config/index.js';

/** The text version users accept; a new text asks everyone to accept again. */
export const SURVEY_AGREEMENT_VERSION = '2026-1';

export const surveyAgreementText =
  'I will keep the survey reports I read before their public release confidential: I will not ' +
  'copy, share or publish them, or any figure in them, without the coordination and permission ' +
  'of the district and the state migrant education office, and I will not try to identify any ' +
  'respondent.';

/** The release date of a survey year (start of that day, UTC), or undefined: never public. */
export function releaseDateOf(
  state: Pick<StateConfig, 'survey'>,
  survey: string,
  year: number,
): Date | undefined {
  const release = state.survey.releases.find((r) => r.survey === survey && r.year === year);
  return release ? new Date(`${release.date}T00:00:00Z`) : undefined;
}

export interface Reader {
  /** Signed in and accepted the current agreement. */
  agreementAccepted: boolean;
}

export function isReleased(release: Date | undefined, now: Date): boolean {
  return release !== undefined && now.getTime() >= release.getTime();
}

export function mayRead(release: Date | undefined, now: Date, reader: Reader): boolean {
  return isReleased(release, now) || reader.agreementAccepted;
}
