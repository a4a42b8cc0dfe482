/**
 * Mapping throughput, in-process: each demo state's mapping over a generated file of N children
 * (default 200,000) in its native format, and the WA translation written in JSONata over the
 * same file, side by side. Target (issue 4): at least 50,000 records/s and 5x JSONata.
 *
 *   npx tsx bench/mapping/run.ts [--children 200000] [--states CA,TX,FL,WA]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import jsonata from 'jsonata';
import type { DemoState } from '../../src/demo/index.js';
import { compileMapping } from '../../src/mapping/index.js';
import { benchMappings, parseArgs, readBenchFile } from '../lib/bench-data.js';

// XML is validated against its XSD as a whole document in memory (mappings/README.md), so its
// file is smaller by default: 200,000 Florida children would be an 830 MB document.
const args = parseArgs({ children: '200000', 'xml-children': '20000', states: 'CA,TX,FL,WA' });
const children = Number(args.children);
const countFor = (state: DemoState) => (state === 'FL' ? Number(args['xml-children']) : children);
const states = (args.states ?? '').split(',') as DemoState[];

interface Figure {
  what: string;
  records: number;
  seconds: number;
}
const figures: Figure[] = [];

async function timeMapping(state: DemoState): Promise<void> {
  const input = readBenchFile(state, countFor(state));
  // The shipped size limit guards a gateway; here the file is ours.
  const yaml = readFileSync(benchMappings[state], 'utf8').replace(
    /maxBytes: \d+/,
    'maxBytes: 4000000000',
  );
  const mapping = await compileMapping(yaml, benchMappings[state]);
  const t0 = performance.now();
  let records = 0;
  let rejects = 0;
  for await (const record of mapping.read(input, { fileName: `bench-${state}` })) {
    if (record.kind === 'document') records++;
    else rejects++;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (rejects > 0) process.stderr.write(`${state}: ${rejects} rejects (unexpected)\n`);
  figures.push({ what: `${mapping.name} (Continuum mapping)`, records, seconds });
}

/** The same WA translation in JSONata: split lines, JSON.parse, evaluate, as the engine does. */
async function timeJsonata(): Promise<void> {
  const input = readBenchFile('WA', children).toString('utf8');
  const expression = jsonata(readFileSync('bench/mapping/wa-jsonl.jsonata', 'utf8'));
  const t0 = performance.now();
  let records = 0;
  for (const line of input.split('\n')) {
    if (line.trim() === '') continue;
    await expression.evaluate(JSON.parse(line));
    records++;
  }
  figures.push({ what: 'wa-jsonl (JSONata)', records, seconds: (performance.now() - t0) / 1000 });
}

for (const state of states) await timeMapping(state);
if (states.includes('WA')) await timeJsonata();

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `mapping throughput, ${children} children per file (XML ${countFor('FL')}), ${os.cpus().length} x ${cpu}`,
);
for (const f of figures) {
  const rate = Math.round(f.records / f.seconds);
  console.log(
    `${f.what.padEnd(34)} ${String(f.records).padStart(8)} records  ${f.seconds.toFixed(2).padStart(7)} s  ${String(rate).padStart(8)} records/s`,
  );
}
const ours = figures.find((f) => f.what.startsWith('wa-jsonl (Continuum'));
const theirs = figures.find((f) => f.what === 'wa-jsonl (JSONata)');
if (ours && theirs) {
  const ratio = ours.records / ours.seconds / (theirs.records / theirs.seconds);
  console.log(`wa-jsonl: Continuum mapping is ${ratio.toFixed(1)}x JSONata`);
}
