/** The sample CHKS and CSSS exports through their mappings into a store, and their reports. */
import type { Config } from '../../src/config/index.js';
import { ingestSurveyFile } from '../../src/ingest/index.js';
import { loadAnyMapping } from '../../src/mapping/index.js';
import { generateSurveyReports } from '../../src/reports/survey/index.js';
import type { Store } from '../../src/store/index.js';

export const surveySamples = [
  { mapping: 'mappings/ca-chks-survey.yaml', file: 'test/fixtures/survey/ca-chks-2025.csv' },
  { mapping: 'mappings/ca-csss-survey.yaml', file: 'test/fixtures/survey/ca-csss-2025.csv' },
] as const;

export async function ingestSurveySample(
  store: Store,
  config: Pick<Config, 'states'>,
  sample: (typeof surveySamples)[number],
) {
  const mapping = await loadAnyMapping(sample.mapping);
  if (mapping.target !== 'survey-response')
    throw new Error(`${sample.mapping} is not a survey mapping`);
  return ingestSurveyFile({
    store,
    config,
    state: 'CA',
    mapping,
    fileName: sample.file.split('/').pop()!,
    input: { path: sample.file },
  });
}

/** Both samples ingested and the CA reports generated. */
export async function surveyReportsFromSamples(store: Store, config: Config, now = new Date()) {
  for (const sample of surveySamples) await ingestSurveySample(store, config, sample);
  return generateSurveyReports(store, config, now, { state: 'CA' });
}
