/**
 * `writeDemoFiles`: one native file per demo state plus `demo-truth.json`, the ground truth that
 * the record-linkage tests score against. The same options always give the same bytes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IsoDate } from '../exchange/types.js';
import { writeCaCsv } from './ca-csv.js';
import { generateDemoDataset } from './dataset.js';
import { writeFlXml } from './fl-xml.js';
import type { DemoDataset } from './model.js';
import { DEMO_DEFAULT_TODAY } from './model.js';
import type { DemoState } from './places.js';
import { demoStates } from './places.js';
import type { DemoSeed } from './random.js';
import { writeTxFixedWidth } from './tx-fixed-width.js';
import { writeWaJsonl } from './wa-jsonl.js';

export type DemoFormat = 'csv' | 'fixed-width' | 'xml' | 'jsonl';

export const demoFiles: Record<DemoState, { name: string; format: DemoFormat }> = {
  CA: { name: 'ca-migrant-students.csv', format: 'csv' },
  TX: { name: 'tx-migrant-students.dat', format: 'fixed-width' },
  FL: { name: 'fl-migrant-students.xml', format: 'xml' },
  WA: { name: 'wa-migrant-students.jsonl', format: 'jsonl' },
};

export const DEMO_TRUTH_FILE = 'demo-truth.json';

export interface WriteDemoFilesOptions {
  children: number;
  seed: DemoSeed;
  outDir: string;
  today?: IsoDate;
}

export interface WrittenDemoFile {
  state: DemoState;
  format: DemoFormat;
  path: string;
  /** Children (exchange documents) in the file, not lines. */
  records: number;
}

export interface WriteDemoFilesResult {
  files: WrittenDemoFile[];
  truthPath: string;
}

/** Each state's file as bytes, without touching the disk. */
export function renderDemoFiles(dataset: DemoDataset): Record<DemoState, Buffer> {
  return {
    CA: writeCaCsv(dataset.byState.CA),
    TX: writeTxFixedWidth(dataset.byState.TX),
    FL: writeFlXml(dataset.byState.FL, { extractDate: dataset.today }),
    WA: writeWaJsonl(dataset.byState.WA),
  };
}

/** The ground truth: every person and the state records that are that person. */
export function renderDemoTruth(dataset: DemoDataset, children: number): Buffer {
  const truth = {
    description:
      'Synthetic demo data: which state records are the same (fictional) child. Not real people.',
    seed: dataset.seed,
    children,
    today: dataset.today,
    files: Object.fromEntries(demoStates.map((s) => [s, demoFiles[s].name])),
    people: dataset.people,
  };
  return Buffer.from(`${JSON.stringify(truth, null, 2)}\n`, 'utf8');
}

export async function writeDemoFiles(
  options: WriteDemoFilesOptions,
): Promise<WriteDemoFilesResult> {
  const today = options.today ?? DEMO_DEFAULT_TODAY;
  const dataset = generateDemoDataset({ children: options.children, seed: options.seed, today });
  const rendered = renderDemoFiles(dataset);
  await mkdir(options.outDir, { recursive: true });
  const files: WrittenDemoFile[] = [];
  for (const state of demoStates) {
    const file = path.join(options.outDir, demoFiles[state].name);
    await writeFile(file, rendered[state]);
    files.push({
      state,
      format: demoFiles[state].format,
      path: file,
      records: dataset.byState[state].length,
    });
  }
  const truthPath = path.join(options.outDir, DEMO_TRUTH_FILE);
  await writeFile(truthPath, renderDemoTruth(dataset, options.children));
  return { files, truthPath };
}
