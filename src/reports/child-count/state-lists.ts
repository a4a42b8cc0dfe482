/**
 * A state's own list of the children it counts for a period, as state student IDs per category,
 * uploaded for reconciliation (DESIGN.md section 8). CSV (`stateStudentId[,category]`, header
 * optional) or JSON (`{"category1": [...], "category2": [...]}`, or an array of IDs for
 * Category 1, or an array of `{stateStudentId, category}`).
 */
import { QueryTypes } from 'sequelize';
import type { Store } from '../../store/index.js';

export interface StateListEntry {
  category: 1 | 2;
  stateStudentId: string;
  /** CSV line (1-based) or position in the JSON array (1-based). */
  row: number;
}

export interface ListProblem {
  path: string;
  reason: string;
}

/** The upload cannot be read; `errors` name each bad line or element (at most 100). */
export class StateListError extends Error {
  override readonly name = 'StateListError';
  constructor(
    message: string,
    readonly errors: ListProblem[] = [],
  ) {
    super(message);
  }
}

/** MDE "State Student ID": at most 15 characters; no spaces or control characters. */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const STUDENT_ID = /^[^\s\u0000-\u001f",]{1,15}$/;
const MAX_PROBLEMS = 100;
export const MAX_LIST_ENTRIES = 5_000_000;

function category(value: unknown): 1 | 2 | undefined {
  const n = typeof value === 'string' ? value.trim() : value;
  if (n === undefined || n === '' || n === null) return 1;
  if (n === 1 || n === '1') return 1;
  if (n === 2 || n === '2') return 2;
  return undefined;
}

class Collector {
  readonly entries: StateListEntry[] = [];
  readonly problems: ListProblem[] = [];
  add(path: string, row: number, id: unknown, cat: unknown): void {
    const stateStudentId =
      typeof id === 'string' ? id.trim() : typeof id === 'number' ? String(id) : '';
    const c = category(cat);
    if (!STUDENT_ID.test(stateStudentId)) {
      this.problem(
        path,
        `not a state student ID (1-15 characters, no spaces): ${JSON.stringify(id)?.slice(0, 40)}`,
      );
    } else if (c === undefined) {
      this.problem(path, `category must be 1 or 2 (got ${JSON.stringify(cat)?.slice(0, 20)})`);
    } else {
      this.entries.push({ category: c, stateStudentId, row });
    }
  }
  problem(path: string, reason: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ path, reason });
  }
  result(): StateListEntry[] {
    if (this.problems.length > 0) {
      throw new StateListError(
        `The list has ${this.problems.length}${this.problems.length === MAX_PROBLEMS ? '+' : ''} bad entries; nothing was stored.`,
        this.problems,
      );
    }
    if (this.entries.length > MAX_LIST_ENTRIES) {
      throw new StateListError(`A list may hold at most ${MAX_LIST_ENTRIES} IDs.`);
    }
    return this.entries;
  }
}

const unquote = (cell: string) => cell.trim().replace(/^"(.*)"$/, '$1');

export function parseCsvList(text: string): StateListEntry[] {
  const out = new Collector();
  const lines = text.split(/\r?\n/);
  let idColumn = 0;
  let categoryColumn = 1;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split(',').map(unquote);
    const head = cells.map((c) => c.toLowerCase().replace(/[_\s-]/g, ''));
    if (i === 0 && head.includes('statestudentid')) {
      idColumn = head.indexOf('statestudentid');
      categoryColumn = head.indexOf('category');
      return;
    }
    out.add(
      `line ${i + 1}`,
      i + 1,
      cells[idColumn],
      categoryColumn >= 0 ? cells[categoryColumn] : undefined,
    );
  });
  return out.result();
}

export function parseJsonList(body: unknown): StateListEntry[] {
  const out = new Collector();
  const items = (list: unknown, path: string, cat?: 1 | 2) => {
    if (!Array.isArray(list)) {
      out.problem(path, 'must be an array');
      return;
    }
    list.forEach((item: unknown, i) => {
      if (item !== null && typeof item === 'object') {
        const o = item as Record<string, unknown>;
        out.add(`${path}/${i}`, i + 1, o['stateStudentId'], cat ?? o['category']);
      } else {
        out.add(`${path}/${i}`, i + 1, item, cat);
      }
    });
  };
  if (Array.isArray(body)) items(body, '');
  else if (body !== null && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    const known = ['category1', 'category2', 'stateStudentIds'];
    for (const key of Object.keys(o).filter((k) => !known.includes(k))) {
      out.problem(`/${key}`, `unknown member; use ${known.join(', ')}`);
    }
    if (o['category1'] !== undefined) items(o['category1'], '/category1', 1);
    if (o['category2'] !== undefined) items(o['category2'], '/category2', 2);
    if (o['stateStudentIds'] !== undefined) items(o['stateStudentIds'], '/stateStudentIds', 1);
  } else {
    out.problem('', 'must be an array of IDs or an object with category1 and category2 arrays');
  }
  return out.result();
}

export interface StoredList {
  id: number;
  state: string;
  period: string;
  uploadedAt: Date;
  uploadedBy: string;
  idCount: number;
}

const BATCH = 500;

/** Stores the list (one multi-row INSERT per 500 IDs) and returns it. */
export async function saveStateList(
  store: Store,
  input: {
    state: string;
    period: string;
    entries: readonly StateListEntry[];
    by: string;
    now: Date;
  },
): Promise<StoredList> {
  const { sequelize } = store;
  return sequelize.transaction(async (transaction) => {
    const replacements = {
      state: input.state,
      period: input.period,
      now: input.now,
      by: input.by,
      count: input.entries.length,
    };
    await sequelize.query(
      `INSERT INTO child_count_lists (state_code, period, uploaded_at, uploaded_by, id_count)
VALUES (:state, :period, :now, :by, :count)`,
      { type: QueryTypes.RAW, replacements, transaction },
    );
    const [row] = await sequelize.query<{ id: number }>(
      `SELECT id FROM child_count_lists WHERE state_code = :state AND period = :period
  AND uploaded_by = :by AND uploaded_at = :now ORDER BY id DESC`,
      { type: QueryTypes.SELECT, replacements, transaction },
    );
    if (!row) throw new Error('the list was not stored');
    const listId = Number(row.id);
    for (let i = 0; i < input.entries.length; i += BATCH) {
      const values = input.entries
        .slice(i, i + BATCH)
        .map((e) => `(${listId}, ${e.category}, ${sequelize.escape(e.stateStudentId)}, ${e.row})`)
        .join(', ');
      await sequelize.query(
        `INSERT INTO child_count_list_ids (list_id, category, state_student_id, source_row) VALUES ${values}`,
        { type: QueryTypes.RAW, transaction },
      );
    }
    return {
      id: listId,
      state: input.state,
      period: input.period,
      uploadedAt: input.now,
      uploadedBy: input.by,
      idCount: input.entries.length,
    };
  });
}

/** The state's latest list for the period, or null. */
export async function latestStateList(
  store: Store,
  state: string,
  period: string,
): Promise<StoredList | null> {
  const [row] = await store.sequelize.query<{
    id: number;
    uploaded_at: string | Date;
    uploaded_by: string;
    id_count: number;
  }>(
    `SELECT id, uploaded_at, uploaded_by, id_count FROM child_count_lists
WHERE state_code = :state AND period = :period ORDER BY id DESC`,
    { type: QueryTypes.SELECT, replacements: { state, period } },
  );
  if (!row) return null;
  return {
    id: Number(row.id),
    state,
    period,
    uploadedAt: new Date(row.uploaded_at),
    uploadedBy: row.uploaded_by,
    idCount: Number(row.id_count),
  };
}
