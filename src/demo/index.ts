/** The synthetic demo data generator (`continuum demo generate`). Layouts: ./README.md. */
export { generateDemoDataset } from './dataset.js';
export {
  writeDemoFiles,
  renderDemoFiles,
  renderDemoTruth,
  demoFiles,
  DEMO_TRUTH_FILE,
} from './write-files.js';
export type {
  DemoFormat,
  WriteDemoFilesOptions,
  WriteDemoFilesResult,
  WrittenDemoFile,
} from './write-files.js';
export { writeCaCsv, caCodes, caColumns } from './ca-csv.js';
export { writeTxFixedWidth, txLayouts, TX_RECORD_LENGTH } from './tx-fixed-width.js';
export { txCodes } from './tx-codes.js';
export { writeFlXml, flCodes, FL_NAMESPACE, FL_SCHEMA_FILE } from './fl-xml.js';
export { writeWaJsonl, waCodes } from './wa-jsonl.js';
export { renderDemoSurveyFiles } from './survey-files.js';
export type { DemoSurveyFiles } from './survey-files.js';
export { demoStates, demoStateInfo, demoCountries } from './places.js';
export type { DemoState } from './places.js';
export { DEMO_DEFAULT_TODAY } from './model.js';
export type * from './model.js';
export type { DemoSeed } from './random.js';
