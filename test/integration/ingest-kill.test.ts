// A submission is atomic: a process SIGKILLed mid-file leaves none of it behind, and running the
// same file again completes it. Real processes, a file-based SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { closeStore, initStore } from '../../src/store/index.js';
import { generateDemoDataset, writeCaCsv } from '../../src/demo/index.js';
import { testDatabases } from '../helpers/databases.js';
import { tableCounts } from '../helpers/ingest-data.js';

const CHILDREN = 20_000;
const KILL_AFTER = 1_000;

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  progress: number[];
  done?: { status: string; duplicate: boolean; acceptedCount: number };
  stderr: string;
}

/** Runs test/helpers/ingest-child.ts; with `killAfter`, SIGKILLs it once it reports that many records. */
function runChild(args: string[], killAfter?: number): Promise<ChildRun> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/ingest-child.ts', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const run: ChildRun = { code: null, signal: null, progress: [], stderr: '' };
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [word, rest] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
    if (word === 'progress') {
      run.progress.push(Number(rest));
      if (killAfter !== undefined && Number(rest) >= killAfter) child.kill('SIGKILL');
    } else if (word === 'done') {
      run.done = JSON.parse(rest) as ChildRun['done'];
    }
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ ...run, code, signal })),
  );
}

describe('ingest killed mid-file', function () {
  this.timeout(300_000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'continuum-kill-'));
  const file = path.join(tmp, 'ca-twenty-thousand.csv');
  const mapping = 'mappings/ca-csv.yaml';

  before(() => {
    // 20,000 CA children: the demo generator's CA records, repeated under new student IDs.
    const { byState } = generateDemoDataset({ children: 600, seed: 4 });
    const docs = Array.from({ length: CHILDREN }, (_, i) => {
      const doc = structuredClone(byState.CA[i % byState.CA.length]!);
      doc.student.stateStudentId = String(9_000_000_000 + i);
      return doc;
    });
    writeFileSync(file, writeCaCsv(docs));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const db of testDatabases()) {
    describe(`on ${db.name}`, () => {
      let url: string;
      before(async function () {
        url = await db.create(this);
      });
      after(() => db.drop());

      async function counts() {
        const store = await initStore({ url });
        try {
          return await tableCounts(store);
        } finally {
          await closeStore(store);
        }
      }

      it('leaves no trace of the submission, and a re-run completes it', async () => {
        const killed = await runChild([url, 'CA', file, mapping], KILL_AFTER);
        assert.equal(killed.signal, 'SIGKILL', `the child ended by itself: ${killed.stderr}`);
        assert.ok(killed.progress.length > 0 && killed.done === undefined, 'killed mid-file');
        const afterKill = await counts();
        for (const table of [
          'submissions',
          'student_records',
          'children',
          'qualifying_moves',
          'enrollments',
          'courses',
          'assessments',
          'rejects',
          'student_record_history',
        ]) {
          assert.equal(afterKill[table], 0, `${table} holds nothing of the killed submission`);
        }

        const rerun = await runChild([url, 'CA', file, mapping]);
        assert.equal(rerun.code, 0, rerun.stderr);
        assert.equal(rerun.done?.status, 'completed');
        assert.equal(rerun.done?.acceptedCount, CHILDREN);
        const done = await counts();
        assert.equal(done['submissions'], 1);
        assert.equal(done['student_records'], CHILDREN);
        assert.equal(done['children'], CHILDREN);
        assert.ok(done['enrollments']! > CHILDREN, 'one or more enrollments per child');

        const again = await runChild([url, 'CA', file, mapping]);
        assert.equal(again.done?.duplicate, true);
        assert.deepEqual(await counts(), done);
      });
    });
  }
});
