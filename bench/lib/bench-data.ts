/**
 * Large synthetic files for the benchmarks: a few thousand distinct demo children, repeated with
 * fresh state student IDs until the file holds the number of children asked for. Generating
 * 200,000 distinct children would take minutes and measure the generator, not the gateway.
 * Files are cached under data/bench/ (git-ignored), keyed by state and count.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  generateDemoDataset,
  writeCaCsv,
  writeFlXml,
  writeTxFixedWidth,
  writeWaJsonl,
  type DemoState,
} from '../../src/demo/index.js';
import type { ExchangeDocument } from '../../src/exchange/types.js';

const writers: Record<DemoState, (docs: ExchangeDocument[]) => Buffer> = {
  CA: writeCaCsv,
  TX: writeTxFixedWidth,
  FL: (docs) => writeFlXml(docs),
  WA: writeWaJsonl,
};

export const benchMappings: Record<DemoState, string> = {
  CA: 'mappings/ca-csv.yaml',
  TX: 'mappings/tx-fixed-width.yaml',
  FL: 'mappings/fl-xml.yaml',
  WA: 'mappings/wa-jsonl.yaml',
};

function freshId(state: DemoState, n: number): string {
  // Same shapes as the generator's state IDs, so the mappings' patterns and widths still hold.
  return state === 'FL' ? `FL${String(n).padStart(12, '0')}` : `9${String(n).padStart(9, '0')}`;
}

export function benchDocuments(state: DemoState, count: number): ExchangeDocument[] {
  const base = generateDemoDataset({ children: 3000, seed: 'bench' }).byState[state];
  return Array.from({ length: count }, (_, i) => {
    const doc = structuredClone(base[i % base.length] as ExchangeDocument);
    doc.student.stateStudentId = freshId(state, i + 1);
    return doc;
  });
}

/** The path of a native file for `state` holding `count` children, made on first use. */
export function benchFile(state: DemoState, count: number): string {
  const dir = path.resolve('data/bench');
  const file = path.join(dir, `${state.toLowerCase()}-${count}.${extension[state]}`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const t0 = performance.now();
    writeFileSync(file, writers[state](benchDocuments(state, count)));
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    process.stderr.write(`made ${path.relative(process.cwd(), file)} in ${seconds} s\n`);
  }
  return file;
}

const extension: Record<DemoState, string> = { CA: 'csv', TX: 'dat', FL: 'xml', WA: 'jsonl' };

export function readBenchFile(state: DemoState, count: number): Buffer {
  return readFileSync(benchFile(state, count));
}

export function parseArgs(defaults: Record<string, string>): Record<string, string> {
  const args = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]?.replace(/^--/, '');
    if (key && key in args && argv[i + 1] !== undefined) args[key] = argv[++i] as string;
  }
  return args;
}
