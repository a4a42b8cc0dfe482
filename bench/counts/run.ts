/**
 * Child counts (issue 8) at scale on PostgreSQL: N children (default 1,000,000), one student
 * record each, 3 enrollments each, 1.2 qualifying moves each, spread over every state, counted
 * for one period. Target: under 5 s on 2 cores.
 *
 *   node --import tsx bench/counts/run.ts [--children 1000000] [--keep 1] [--database NAME]
 *     [--explain 1|256MB] [--tag NAME]
 *
 * --tag NAME names the scratch database continuum_bench_NAME_<random> (one helper's databases
 * apart from another's); --keep 1 leaves the loaded database; --database NAME counts such a
 * database again without loading; --explain prints the plan of the count (with that work_mem,
 * or the server's).
 *
 * Setup is set-based too: the rows are generated inside PostgreSQL with generate_series and
 * INSERT ... SELECT straight into the tables the migrations made (no documents, no ingest), then
 * ANALYZEd. The data mixes every case the count distinguishes: ages 0 to 23, QADs from 2021 to
 * 2025 (stored and computed expirations), regular, residency-only and summer enrollments, open
 * enrollments, graduates. Child ids are zero-padded sequence numbers (no Luhn digit: the count
 * never checks it).
 *
 * Figures printed: the load, then
 * - count: the grouped count of every state (computeChildCounts; nothing written), run twice,
 *   then once more without parallel workers, with the database backend's own CPU time: on a
 *   shared machine the wall time says more about the other loads than about the query;
 * - refresh: the nightly refresh of every state (refreshStoredCounts: the INSERT ... SELECT of
 *   every counted child into child_count_members, then the breakdowns), what the job runs;
 * - one state: childCountReport for the largest state (its refresh, as the API answers).
 * A scratch database is created at TEST_POSTGRES_URL (default the local server) and dropped.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { QueryTypes, Sequelize } from 'sequelize';
import { states } from '../../src/exchange/code-sets.js';
import {
  childCountReport,
  computeChildCounts,
  parsePeriod,
} from '../../src/reports/child-count/index.js';
import { countsSelect } from '../../src/reports/child-count/count-sql.js';
import { inCountTransaction } from '../../src/reports/child-count/count-transaction.js';
import { refreshStoredCounts } from '../../src/reports/child-count/stored-counts.js';
import { closeStore, initStore, migrate, upsertStates } from '../../src/store/index.js';
import { parseArgs } from '../lib/bench-data.js';

const args = parseArgs({
  children: '1000000',
  period: '2024-25',
  explain: '',
  database: '',
  keep: '',
  tag: '',
});
const n = Number(args.children);
const period = parsePeriod(args.period ?? '2024-25');
const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const codes = (states.entries as readonly { code: string; description: string; kind?: string }[])
  .filter((s) => s.kind === 'state')
  .map((s) => ({ code: s.code, name: s.description }));

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

// --database NAME counts a database an earlier --keep run loaded, instead of loading one.
const reuse = args.database ?? '';
const tag = args.tag ? `${args.tag}_` : '';
const name = reuse || `continuum_bench_${tag}${randomBytes(4).toString('hex')}`;
const admin = new Sequelize(adminUrl, { logging: false });
if (!reuse) {
  await admin.query(`CREATE DATABASE "${name}"`);
  // A runaway count cannot hold the machine (and the shared bench lock) for long.
  await admin.query(`ALTER DATABASE "${name}" SET statement_timeout = '10min'`);
}
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const store = await initStore({ url: url.toString() });
try {
  const machine = `${os.cpus().length} x ${os.cpus()[0]?.model}, load ${os.loadavg()[0]?.toFixed(1)}`;
  console.log(
    reuse
      ? `child counts on the loaded database ${name}, period ${period.name}; ${machine}`
      : `child counts: ${n} children, ${3 * n} enrollments, ${codes.length} states, period ` +
          `${period.name}; ${machine}`,
  );
  const q = (sql: string, replacements: Record<string, unknown> = {}) =>
    store.sequelize.query(sql, { type: QueryTypes.RAW, replacements });

  let t = process.hrtime.bigint();
  if (!reuse) await load();
  async function load() {
    await migrate(store.sequelize);
    await upsertStates(store, codes);
    await q(
      `CREATE TEMPORARY TABLE bench_states AS
SELECT s.code::char(2) AS code, s.n::int AS n FROM unnest(ARRAY[:codes]) WITH ORDINALITY AS s(code, n)`,
      { codes: codes.map((c) => c.code) },
    );
    await q(`INSERT INTO submissions (id, state_code, file_name, file_sha256, received_at, status)
SELECT n, code, 'bench.csv', lpad(to_hex(n), 64, '0'), now(), 'completed' FROM bench_states`);
    await q(
      `INSERT INTO children (child_id, status, created_at, updated_at)
SELECT lpad(i::text, 12, '0'), 'active', now(), now() FROM generate_series(1, :n) i`,
      { n },
    );
    // Ages 0 to 23 in the period; two records in three in the first states, so sizes differ.
    await q(
      `INSERT INTO student_records (id, state_code, state_student_id, child_id, state_student_id_type,
  first_name, last_name1, sex, birth_date, submission_id, source_row, received_at, created_at,
  updated_at)
SELECT i, s.code, 'B' || i, lpad(i::text, 12, '0'), '01', 'Bench', 'Child',
  CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END, DATE '2001-06-01' + ((i::bigint * 7919) % 8500)::int,
  s.n, i, now(), now(), now()
FROM generate_series(1, :n) i
JOIN bench_states s ON s.n = 1 + (CASE WHEN i % 3 = 0 THEN i % 5 ELSE i % :states END)`,
      { n, states: codes.length },
    );
    // QADs 2021-03 to 2025-07; half the expirations stored, half left to the count to compute.
    await q(`INSERT INTO qualifying_moves (student_record_id, position, qualifying_arrival_date,
  to_state, eligibility_expiration_date, submission_id, source_row, received_at)
SELECT r.id, 0, m.qad, r.state_code,
  CASE WHEN r.id % 2 = 0 THEN NULL ELSE CAST(m.qad + INTERVAL '36 months' AS DATE) - 1 END,
  r.submission_id, r.id, now()
FROM student_records r
CROSS JOIN LATERAL (SELECT DATE '2021-03-01' + ((r.id::bigint * 104729) % 1600)::int AS qad) m`);
    await q(`INSERT INTO qualifying_moves (student_record_id, position, qualifying_arrival_date,
  to_state, submission_id, source_row, received_at)
SELECT r.id, 1, DATE '2024-11-01' + (r.id % 200)::int, r.state_code, r.submission_id, r.id, now()
FROM student_records r WHERE r.id % 5 = 0`);
    // Fall term, spring term (residency only for some, open for some, graduation for some), and
    // summer project or an enrollment of the year before.
    await q(`INSERT INTO enrollments (student_record_id, position, enrollment_date, withdrawal_date,
  enrollment_type, grade, english_learner, iep, priority_for_services, graduation_date,
  submission_id, source_row, received_at)
SELECT r.id, k,
  CASE k WHEN 0 THEN DATE '2024-08-15' + (r.id % 20)::int WHEN 1 THEN DATE '2025-01-06'
    ELSE CASE WHEN r.id % 3 = 0 THEN DATE '2025-06-16' ELSE DATE '2023-09-01' END END,
  CASE k WHEN 0 THEN DATE '2024-12-20' WHEN 1 THEN CASE WHEN r.id % 11 = 0 THEN NULL
    ELSE DATE '2025-06-10' END
    ELSE CASE WHEN r.id % 3 = 0 THEN DATE '2025-07-31' ELSE DATE '2024-06-01' END END,
  CASE WHEN k = 2 AND r.id % 3 = 0 THEN '03' WHEN k = 1 AND r.id % 7 = 0 THEN '06' ELSE '01' END,
  CASE WHEN a.age < 3 THEN 'P2' WHEN a.age < 5 THEN 'P4' WHEN a.age = 5 THEN 'KG'
    WHEN a.age <= 17 THEN lpad((a.age - 5)::text, 2, '0') WHEN r.id % 13 = 0 THEN 'UG' ELSE 'OS' END,
  r.id % 3 = 0, r.id % 9 = 0, r.id % 4 = 0,
  CASE WHEN k = 1 AND a.age >= 17 AND r.id % 40 = 0 THEN DATE '2025-05-30' END,
  r.submission_id, r.id, now()
FROM student_records r
CROSS JOIN LATERAL (SELECT (2024 - EXTRACT(YEAR FROM r.birth_date))::int AS age) a
CROSS JOIN generate_series(0, 2) k`);
    await q('ANALYZE');
    const [sizes] = await store.sequelize.query<{
      records: string;
      enrollments: string;
      moves: string;
    }>(
      `SELECT (SELECT COUNT(*) FROM student_records) AS records,
  (SELECT COUNT(*) FROM enrollments) AS enrollments,
  (SELECT COUNT(*) FROM qualifying_moves) AS moves`,
      { type: QueryTypes.SELECT },
    );
    console.log(
      `load      ${seconds(t).toFixed(1)} s: ${sizes?.records} records, ${sizes?.enrollments} ` +
        `enrollments, ${sizes?.moves} qualifying moves`,
    );
  }

  if (args.explain) {
    // In the count's own transaction (its work_mem and planner settings), as computeChildCounts.
    const [plan] = await inCountTransaction(
      store,
      async (transaction) => {
        if (args.explain !== '1') {
          await store.sequelize.query(`SET LOCAL work_mem = '${args.explain}'`, { transaction });
        }
        return store.sequelize.query(
          `EXPLAIN (ANALYZE, BUFFERS) ${countsSelect('postgres', { oneState: false })}`,
          { replacements: { from: period.start, through: period.end }, transaction },
        );
      },
      undefined,
      'many-states',
    );
    console.log((plan as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n'));
  }

  for (const run of [1, 2]) {
    t = process.hrtime.bigint();
    const counts = await computeChildCounts(store, { period: period.name });
    const total = (k: 'category1' | 'category2') =>
      [...counts.values()].reduce((sum, c) => sum + c[k].total, 0);
    console.log(
      `count     ${seconds(t).toFixed(2)} s (run ${run}): ${counts.size} states, Category 1 ` +
        `${total('category1')}, Category 2 ${total('category2')}`,
    );
  }

  // The CPU the count itself needs, whatever else the machine runs: the database backend's own
  // user + system time (/proc, clock ticks of 10 ms), with parallel workers off so that the
  // backend does all the work.
  t = process.hrtime.bigint();
  const cpu = await inCountTransaction(store, async (transaction) => {
    const one = async <T extends object>(sql: string) =>
      (await store.sequelize.query<T>(sql, { type: QueryTypes.SELECT, transaction }))[0];
    await store.sequelize.query('SET LOCAL max_parallel_workers_per_gather = 0', { transaction });
    const pid = (await one<{ pid: number }>('SELECT pg_backend_pid() AS pid'))?.pid;
    const ticks = () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return Number(fields[11]) + Number(fields[12]);
    };
    const before = ticks();
    await store.sequelize.query(countsSelect('postgres', { oneState: false }), {
      type: QueryTypes.SELECT,
      transaction,
      replacements: { from: period.start, through: period.end },
    });
    return (ticks() - before) / 100;
  });
  console.log(
    `count     ${seconds(t).toFixed(2)} s serial, of which ${cpu.toFixed(2)} s CPU in the database`,
  );

  t = process.hrtime.bigint();
  const refreshed = await refreshStoredCounts(store, {
    states: codes.map((c) => c.code),
    period,
    countedThrough: period.end,
    now: new Date(),
  });
  console.log(
    `refresh   ${seconds(t).toFixed(2)} s: ${refreshed.length} stored counts, ` +
      `${refreshed.reduce((s, c) => s + c.category1.total + c.category2.total, 0)} member rows`,
  );

  const largest = [...refreshed].sort((a, b) => b.category1.total - a.category1.total)[0];
  if (largest) {
    t = process.hrtime.bigint();
    const one = await childCountReport(store, { state: largest.state, period: period.name });
    console.log(
      `one state ${seconds(t).toFixed(2)} s: ${one.state} Category 1 ${one.category1.total}, ` +
        `Category 2 ${one.category2.total}`,
    );
  }
} finally {
  await closeStore(store);
  if (args.keep || reuse) console.log(`kept database ${name}`);
  else await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.close();
}
