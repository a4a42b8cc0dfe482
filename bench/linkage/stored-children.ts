/**
 * The linkage bench's stored children (bench/linkage/run.ts): people drawn from the demo pools,
 * and their blocking keys written set-based.
 */
import { QueryTypes } from 'sequelize';
import type { Transaction } from 'sequelize';
import type { ExchangeDocument } from '../../src/exchange/types.js';
import { blockingKeys } from '../../src/linkage/blocking.js';
import { linkagePerson } from '../../src/linkage/person.js';
import type { LinkageFields } from '../../src/linkage/person.js';
import type { Store } from '../../src/store/index.js';
import { insertRows, rawConnectionOf } from '../../src/store/repositories/bulk-insert.js';
import { linkageColumns } from '../../src/store/repositories/linkage.js';

/** Records per read and per transaction while the store is loaded. */
export const LOAD_CHUNK = 20_000;

/** A number in [0, 1) from (seed, stream, i): person i can be drawn again without the others. */
function unit(seed: number, stream: number, i: number, k: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (i + 0x165667b1), 0x27d4eb2f) ^ Math.imul(k + 1, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/**
 * N distinct people from the demo pools: names recombined, birth dates re-drawn within ages 3-18.
 * Person i of a prefix is a function of (seed, prefix, i), so a kept database's children can be
 * drawn again for the incoming file without holding a million documents in memory.
 */
export class PeoplePool {
  private readonly firsts = new Map<string, string[]>();
  private readonly surnames: string[];
  private readonly seconds: string[];

  constructor(
    private readonly base: readonly ExchangeDocument[],
    private readonly seed: number,
  ) {
    for (const d of base) {
      const list = this.firsts.get(d.student.sex) ?? [];
      list.push(d.student.firstName);
      this.firsts.set(d.student.sex, list);
    }
    this.surnames = base.map((d) => d.student.lastName1);
    this.seconds = base.flatMap((d) => (d.student.lastName2 ? [d.student.lastName2] : []));
  }

  person(prefix: string, i: number): ExchangeDocument {
    const stream = prefix.charCodeAt(0);
    const pick = <T>(list: readonly T[], k: number) =>
      list[Math.floor(unit(this.seed, stream, i, k) * list.length)] as T;
    const template = this.base[i % this.base.length] as ExchangeDocument;
    const doc = structuredClone({
      ...template,
      courses: [],
      assessments: [],
      enrollments: template.enrollments.slice(0, 1),
      qualifyingMoves: template.qualifyingMoves.slice(0, 1),
    });
    const s = doc.student;
    s.stateStudentId = `${prefix}${String(i).padStart(9, '0')}`;
    // A first name of the template's sex.
    s.firstName = pick(this.firsts.get(s.sex) ?? [s.firstName], 1);
    s.lastName1 = pick(this.surnames, 2);
    if (s.lastName2) s.lastName2 = pick(this.seconds, 3);
    const day = Math.floor(unit(this.seed, stream, i, 4) * (15 * 365 + 1));
    s.birthDate = new Date(Date.UTC(2007, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    return doc;
  }
}

/**
 * Every stored record's blocking keys, made by the app's own key function from the stored rows
 * and written with multi-row INSERTs of 10,000 rows (`--rekey 1` redoes them in a kept database
 * after the key function changed). Then VACUUM ANALYZE, as autovacuum leaves a store that has
 * been standing: statistics, and the visibility map that lets the key self-join read the index
 * alone.
 */
export async function writeAllKeys(store: Store): Promise<void> {
  await store.sequelize.query('TRUNCATE linkage_keys');
  for (let lastId = 0; ;) {
    const done = await store.sequelize.transaction(async (tx: Transaction) => {
      const rows = await store.sequelize.query<Record<string, unknown> & { id: number }>(
        `SELECT r.id, r.state_code AS "state", ${linkageColumns} FROM student_records r
         WHERE r.id > ${lastId} ORDER BY r.id LIMIT ${LOAD_CHUNK}`,
        { type: QueryTypes.SELECT, transaction: tx },
      );
      if (rows.length === 0) return true;
      const keys = rows.flatMap((row) =>
        blockingKeys(linkagePerson(row as unknown as LinkageFields)).map((blockKey) => ({
          studentRecordId: Number(row.id),
          stateCode: String(row['state']),
          blockKey,
        })),
      );
      lastId = Number(rows[rows.length - 1]?.id);
      const raw = rawConnectionOf(store.models.LinkageKey, tx);
      if (!raw) throw new Error('the bench needs PostgreSQL');
      for (let i = 0; i < keys.length; i += 10_000) {
        await insertRows(raw, store.models.LinkageKey, keys.slice(i, i + 10_000));
      }
      return false;
    });
    if (done) break;
  }
  await store.sequelize.query('VACUUM ANALYZE');
}
