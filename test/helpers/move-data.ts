/** Student records of one child in several states, written the way an ingest writes them. */
import { randomBytes } from 'node:crypto';
import { exampleExchangeDocument } from '../../src/exchange/example-document.js';
import type { Store } from '../../src/store/index.js';
import {
  completeSubmission,
  createSubmission,
  saveStudentDocuments,
} from '../../src/store/index.js';
import { linkStudentRecord } from '../../src/store/repositories/children.js';

export interface StoredEnrollment {
  enrollmentDate: string;
  districtId: string;
  medicalAlert?: 'Chronic' | 'Acute' | 'None';
}

/** One completed submission of `state` holding the child's record; returns its submission id. */
export async function sendRecord(
  store: Store,
  opts: {
    state: string;
    stateStudentId: string;
    childId: string;
    qualifyingArrivalDate: string;
    enrollments: StoredEnrollment[];
    receivedAt?: Date;
  },
): Promise<number> {
  const submission = await createSubmission(store, {
    stateCode: opts.state,
    fileName: 'records.csv',
    fileSha256: randomBytes(32).toString('hex'),
    ...(opts.receivedAt ? { receivedAt: opts.receivedAt } : {}),
  });
  const document = structuredClone(exampleExchangeDocument);
  document.student.stateStudentId = opts.stateStudentId;
  const move = document.qualifyingMoves[0]!;
  document.qualifyingMoves = [
    { ...move, qualifyingArrivalDate: opts.qualifyingArrivalDate, toState: opts.state },
  ];
  const template = document.enrollments?.[0] ?? { enrollmentType: '02', grade: '05' };
  document.enrollments = opts.enrollments.map((e) => ({
    ...template,
    enrollmentDate: e.enrollmentDate,
    districtId: e.districtId,
    schoolId: `${e.districtId}00001`,
    medicalAlert: e.medicalAlert ?? 'None',
    withdrawalDate: undefined,
    graduationDate: undefined,
  }));
  const ids = await store.sequelize.transaction((tx) =>
    saveStudentDocuments(store, tx, submission, [{ row: 2, document }]),
  );
  const recordId = ids.get(opts.stateStudentId);
  if (recordId === undefined) throw new Error('the record was not stored');
  await linkStudentRecord(store, recordId, opts.childId);
  await completeSubmission(store, submission.id, {
    status: 'completed',
    rowCount: 1,
    acceptedCount: 1,
    rejectedCount: 0,
  });
  return submission.id;
}

export const studentIdOf = () => randomBytes(5).toString('hex');
