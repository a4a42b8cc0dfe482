/**
 * Loads synthetic demo data into an empty database, so `npm start` shows a working gateway: the
 * demo generator's native file of each demo state goes through that state's mapping
 * (mappings/<name>.yaml) and the ingest pipeline, exactly as the state's own upload would, so the
 * demo also proves the mappings. Each new state student gets a child of its own; linking the same
 * child across states is the record-linkage capability's work.
 */
import type { Config } from '../config/index.js';
import {
  demoFiles,
  demoStates,
  generateDemoDataset,
  renderDemoFiles,
  renderDemoSurveyFiles,
} from '../demo/index.js';
import {
  ingestFile,
  ingestSurveyFile,
  loadAnyMappingFile,
  loadStateMapping,
  mappingFileOf,
  stateConfigOf,
} from '../ingest/index.js';
import { generateSurveyReports } from '../reports/survey/index.js';
import type { Store } from '../store/index.js';
import { listStates } from '../store/repositories/states.js';
import { listSubmissions } from '../store/repositories/submissions.js';

export interface DemoLoadSummary {
  states: Record<string, { submissionId: number; records: number; rejected: number }>;
  /** Survey responses of the demo CHKS and CSSS files (California), and reports made. */
  surveys?: { respondents: number; reports: number };
}

export async function loadDemoDataIfEmpty(
  store: Store,
  config: Config,
): Promise<DemoLoadSummary | undefined> {
  if ((await listSubmissions(store, { limit: 1 })).length > 0) return undefined;
  const known = new Set((await listStates(store)).map((s) => s.code));
  const dataset = generateDemoDataset({ children: config.demo.children, seed: config.demo.seed });
  const files = renderDemoFiles(dataset);
  const summary: DemoLoadSummary = { states: {} };

  for (const code of demoStates) {
    const state = stateConfigOf(config, code);
    if (!state || !known.has(code)) continue;
    const result = await ingestFile({
      store,
      config,
      state: code,
      mapping: await loadStateMapping(config, state),
      fileName: demoFiles[code].name,
      input: files[code],
      // The extract's own day: no demo date is "in the future" of it.
      today: dataset.today,
    });
    summary.states[code] = {
      submissionId: result.submissionId,
      records: result.acceptedCount,
      rejected: result.rejectedCount,
    };
  }
  if (known.has('CA') && stateConfigOf(config, 'CA')) {
    summary.surveys = await loadDemoSurveys(store, config);
  }
  return summary;
}

/** The demo survey exports through their mappings, then the reports (/reports/survey). */
async function loadDemoSurveys(store: Store, config: Config) {
  const files = renderDemoSurveyFiles(config.demo.seed);
  let respondents = 0;
  for (const [mappingName, file] of [
    ['ca-chks-survey', files.chks],
    ['ca-csss-survey', files.csss],
  ] as const) {
    const mapping = await loadAnyMappingFile(mappingFileOf(config, mappingName));
    if (mapping.target !== 'survey-response') continue;
    const result = await ingestSurveyFile({
      store,
      config,
      state: 'CA',
      mapping,
      fileName: file.name,
      input: Buffer.from(file.text),
    });
    respondents += result.acceptedCount;
  }
  const generated = await generateSurveyReports(store, config, new Date(), { state: 'CA' });
  const reports = generated.reduce((n, g) => n + g.districts + g.regions + 1, 0);
  return { respondents, reports };
}
