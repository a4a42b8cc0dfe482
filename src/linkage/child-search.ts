/**
 * Finding a child (issue 6): by name (fuzzy, either surname), birth date, a state's student ID
 * or the 12-digit ID. Candidates come from the blocking keys (a phonetic surname in any year, the
 * birth date, the first name with birth month and day), so a search never scans every record;
 * they are ranked by how well each field matches, one result per child.
 */
import { doubleMetaphone } from 'double-metaphone';
import type { Store } from '../store/index.js';
import {
  readLinkageRows,
  recordIdsByBirthDate,
  recordIdsByKeys,
  recordIdsByStateStudentId,
  recordIdsOfChild,
} from '../store/repositories/linkage.js';
import { initials, keyRange, yearRest } from './blocking.js';
import { compareBirthDates, compareFirstNames, compareSurnames } from './compare.js';
import { jaroWinkler } from './jaro-winkler.js';
import { canonicalGivenName } from './nicknames.js';
import { givenTokens, nameTokens, normaliseSurnames } from './normalise.js';
import { isoDateOf, linkagePerson } from './person.js';
import type { LinkageFields } from './person.js';

export interface ChildSearch {
  lastName?: string;
  firstName?: string;
  /** YYYY-MM-DD. */
  birthDate?: string;
  stateStudentId?: string;
  childId?: string;
}

export interface ChildSearchResult {
  childId: string;
  /** 0..1, higher first. */
  rank: number;
  firstName: string;
  lastName1: string;
  lastName2: string | null;
  birthDate: string;
  sex: string;
  states: string[];
}

export interface ChildSearchPage {
  page: number;
  pageSize: number;
  total: number;
  results: ChildSearchResult[];
}

/** Candidates read per search: enough for any name, bounded for the database. */
const MAX_CANDIDATES = 5000;

const dateRank = { exact: 1, transposed: 0.8, yearOff: 0.6, different: 0, missing: 0.5 };
const firstRank = { exact: 1, nickname: 0.9, fuzzy: 0.7, different: 0, missing: 0.5 };
const lastRank = { exact: 1, partial: 0.9, fuzzy: 0.7, different: 0, missing: 0.5 };

async function candidateIds(store: Store, q: ChildSearch): Promise<number[]> {
  if (q.childId) return recordIdsOfChild(store, q.childId);
  if (q.stateStudentId) return recordIdsByStateStudentId(store, q.stateStudentId);
  // Keys are ranges by their leading part (blocking.ts): a surname's code in any year or in the
  // year searched for, the first name with birth month and day in any year.
  const ranges: { from: number; to: number }[] = [];
  const year = q.birthDate ? Number(q.birthDate.slice(0, 4)) : undefined;
  for (const token of nameTokens(q.lastName)) {
    const [primary] = doubleMetaphone(token);
    if (primary) ranges.push(keyRange('surname', primary, year ? yearRest(year) : undefined));
  }
  const first = givenTokens(q.firstName)[0];
  if (first && q.birthDate) {
    const days = `${q.birthDate.slice(5, 7)}${q.birthDate.slice(8, 10)}`;
    // The key holds a surname initial: the one searched for, or any.
    const letters = q.lastName
      ? initials(nameTokens(q.lastName))
      : [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ_'];
    for (const letter of letters) {
      ranges.push(keyRange('first', `${canonicalGivenName(first)}:${days}:${letter}`));
    }
  }
  const ids = await recordIdsByKeys(store, ranges, MAX_CANDIDATES);
  // The birth date alone: its index on the records.
  if (q.birthDate && ranges.length === 0) {
    return recordIdsByBirthDate(store, q.birthDate, MAX_CANDIDATES);
  }
  if (q.birthDate && ids.length < MAX_CANDIDATES) {
    const born = await recordIdsByBirthDate(store, q.birthDate, MAX_CANDIDATES - ids.length);
    return [...new Set([...ids, ...born])];
  }
  return ids;
}

export async function searchChildren(
  store: Store,
  q: ChildSearch,
  page: number,
  pageSize: number,
): Promise<ChildSearchPage> {
  const ids = await candidateIds(store, q);
  const rows = await readLinkageRows(store, undefined, ids);
  const wantedSurnames = normaliseSurnames(q.lastName, null);
  const wantedGiven = givenTokens(q.firstName);
  const byChild = new Map<string, ChildSearchResult>();
  for (const row of rows.values()) {
    if (!row.childId) continue;
    const person = linkagePerson(row as unknown as LinkageFields);
    const parts: number[] = [];
    if (q.lastName) {
      const level = compareSurnames(wantedSurnames, person.surnames);
      // A typed surname found among either surname of the record is a full match.
      const rank = Math.max(
        lastRank[level],
        ...person.surnames.tokens.map((t) => jaroWinkler(t, wantedSurnames.tokens[0] ?? '') * 0.8),
      );
      parts.push(rank);
    }
    if (q.firstName) parts.push(firstRank[compareFirstNames(wantedGiven, person.given)]);
    if (q.birthDate) parts.push(dateRank[compareBirthDates(q.birthDate, person.birthDate)]);
    const rank = parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : 1;
    if (rank < 0.5) continue;
    const known = byChild.get(row.childId);
    const state = String(row.stateCode);
    if (known) {
      if (!known.states.includes(state)) known.states.push(state);
      if (rank <= known.rank) continue;
    }
    byChild.set(row.childId, {
      childId: row.childId,
      rank: Math.round(rank * 1000) / 1000,
      firstName: String(row['firstName']),
      lastName1: String(row['lastName1']),
      lastName2: row['lastName2'] === null ? null : String(row['lastName2']),
      birthDate: isoDateOf(row['birthDate']),
      sex: String(row['sex']),
      states: [...new Set([...(known?.states ?? []), state])].sort(),
    });
  }
  const ranked = [...byChild.values()].sort(
    (a, b) =>
      b.rank - a.rank ||
      a.lastName1.localeCompare(b.lastName1) ||
      a.childId.localeCompare(b.childId),
  );
  return {
    page,
    pageSize,
    total: ranked.length,
    results: ranked.slice((page - 1) * pageSize, page * pageSize),
  };
}
