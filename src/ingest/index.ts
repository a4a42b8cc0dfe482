/**
 * The ingest pipeline (DESIGN.md section 2): a state file through its mapping, checked, into the
 * store in one transaction. Knows nothing of HTTP; the CLI and the API call these functions.
 */
export { ingestFile, refusalText, UnknownStateError } from './ingest-file.js';
export type { IngestFileOptions, IngestProgress } from './ingest-file.js';
export { ingestSurveyFile } from './ingest-survey-file.js';
export type { IngestSurveyFileOptions } from './ingest-survey-file.js';
export { dryRunMapping } from './dry-run.js';
export type { DryRunDocument, DryRunOptions, DryRunResult } from './dry-run.js';
export { FileChangedError, FileTooLargeError, openInput, sha256OfFile } from './input.js';
export type { IngestInput } from './input.js';
export {
  isFileRefusedError,
  isMappingFileError,
  loadAnyMappingFile,
  loadMappingFile,
} from './mapping-contract.js';
export type {
  AnyCompiledMapping,
  CompiledMapping,
  CompiledSurveyMapping,
  MappedRecord,
  MappingFileProblem,
  MappingProblem,
} from './mapping-contract.js';
export {
  checkMappedRecord,
  gradeAgeErrors,
  plausibleAges,
  withEligibilityDefaults,
} from './record-checks.js';
export type { CheckedRecord } from './record-checks.js';
export { loadStateMapping, mappingFileOf, stateConfigOf } from './state-mapping.js';
export { stateOfSubmissionKey, submissionKeyHash } from './submission-keys.js';
export { formatReject, rejectsCsv, rejectView, submissionView } from './submission-views.js';
export type {
  IngestChanges,
  IngestSummary,
  RejectView,
  SubmissionView,
} from './submission-views.js';
export { describeSubmission, submissionRejects } from './submission-queries.js';
