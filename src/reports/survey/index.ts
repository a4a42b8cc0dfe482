/**
 * Survey reports (MESIS, DESIGN.md section 9): migrant-program students and staff compared with
 * all others, per district, regional center and state, under the confidentiality rules of
 * confidentiality.ts and the embargo of release.ts.
 */
export { generateSurveyReports, surveyReportsDue } from './generate.js';
export type { GenerateSurveyReportsOptions, GeneratedSurveyReports } from './generate.js';
export {
  acceptSurveyReportAgreement,
  anonymousReader,
  listReadableSurveyReports,
  readSurveyReport,
  surveyAgreementStatus,
  surveyReaderOf,
  surveyReportPaths,
} from './read-reports.js';
export type { SurveyReader, SurveyReportAddress, SurveyReportListing } from './read-reports.js';
export { surveyReportCsv, surveyReportHtml, surveyReportIndexHtml } from './render-report.js';
export { surveyAgreementText, SURVEY_AGREEMENT_VERSION } from './release.js';
export type { SurveyReport } from './report-model.js';
