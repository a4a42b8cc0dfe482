/**
 * Children for the child-count suites, written through the store's own repositories: one
 * submission per call, each record given a new child, then linked as a test needs.
 */
import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import type { Enrollment, ExchangeDocument, QualifyingMove } from '../../src/exchange/types.js';
import type { Store } from '../../src/store/index.js';
import { createSubmission, saveStudentDocuments } from '../../src/store/index.js';

export interface TestChild {
  id: string;
  birthDate?: string;
  moves?: Partial<QualifyingMove>[];
  enrollments?: Partial<Enrollment>[];
}

/** A regular-term enrollment for the whole 2024-25 school year, grade 06. */
export const schoolYear: Partial<Enrollment> = {
  enrollmentDate: '2024-08-20',
  withdrawalDate: '2025-06-10',
  enrollmentType: '01',
  grade: '06',
};

export function testDocument(child: TestChild, state: string): ExchangeDocument {
  return {
    student: {
      stateStudentId: child.id,
      stateStudentIdType: '01',
      firstName: 'Test',
      lastName1: `Child ${child.id}`,
      sex: 'F',
      birthDate: child.birthDate ?? '2012-05-05',
    },
    qualifyingMoves: (child.moves ?? [{}]).map((m) => ({
      qualifyingArrivalDate: '2024-01-10',
      toState: state,
      ...m,
    })),
    enrollments: (child.enrollments ?? [{}]).map((e) => ({
      ...(schoolYear as Enrollment),
      ...e,
    })),
    courses: [],
    assessments: [],
  };
}

export interface StoredTestChild {
  recordId: number;
  childId: string;
}

/** Stores the children as one submission of `state`; every new record gets its own child. */
export async function storeTestChildren(
  store: Store,
  state: string,
  children: readonly TestChild[],
): Promise<Map<string, StoredTestChild>> {
  const submission = await createSubmission(store, {
    stateCode: state,
    fileName: 'children.csv',
    fileSha256: randomBytes(32).toString('hex'),
  });
  const ids = await store.sequelize.transaction((tx) =>
    saveStudentDocuments(
      store,
      tx,
      submission,
      children.map((child, i) => ({
        row: i + 2,
        document: testDocument(child, state),
        stored: false,
      })),
      { newChildren: true },
    ),
  );
  const rows = await store.sequelize.query<{ id: number; child_id: string }>(
    'SELECT id, child_id FROM student_records WHERE id IN (:ids)',
    { type: QueryTypes.SELECT, replacements: { ids: [...ids.values()] } },
  );
  const childOf = new Map(rows.map((r) => [Number(r.id), String(r.child_id).trim()]));
  return new Map(
    [...ids].map(([stateStudentId, recordId]) => [
      stateStudentId,
      { recordId, childId: childOf.get(recordId) ?? '' },
    ]),
  );
}
