/** Reading a submission back for the state that sent it. */
import { getSubmission, listRejects } from '../store/index.js';
import type { Store } from '../store/index.js';
import { rejectView, submissionView } from './submission-views.js';
import type { RejectView, SubmissionView } from './submission-views.js';

export async function describeSubmission(
  store: Store,
  submissionId: number,
): Promise<SubmissionView | null> {
  const row = await getSubmission(store, submissionId);
  return row ? submissionView(row) : null;
}

/** Every reject of the submission, in file order. */
export async function submissionRejects(
  store: Store,
  submission: Pick<SubmissionView, 'submissionId' | 'fileName'>,
): Promise<RejectView[]> {
  const rows = await listRejects(store, submission.submissionId);
  return rows.map((row) => rejectView(submission.fileName, row));
}
