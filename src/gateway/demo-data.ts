/**
 * Loads synthetic demo data into an empty database, so `npm start` shows a working gateway.
 *
 * Until the mapping and ingest pipeline lands, the demo documents are stored as the generator
 * made them (each state's file is still hashed and recorded as its submission, so re-loading is
 * refused like any re-sent file). Each state student record gets a child of its own; linking the
 * same child across states is the record-linkage capability's work.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/index.js';
import { demoFiles, demoStates, generateDemoDataset, renderDemoFiles } from '../demo/index.js';
import { validateExchangeDocument } from '../exchange/validate.js';
import type { Store } from '../store/index.js';
import { createChildren, linkStudentRecords } from '../store/repositories/children.js';
import {
  addRejects,
  completeSubmission,
  createSubmission,
  listSubmissions,
} from '../store/repositories/submissions.js';
import { listStates } from '../store/repositories/states.js';
import { saveStudentDocuments } from '../store/repositories/student-documents.js';

export interface DemoLoadSummary {
  states: Record<string, { submissionId: number; records: number; rejected: number }>;
}

export async function loadDemoDataIfEmpty(
  store: Store,
  demo: Config['demo'],
): Promise<DemoLoadSummary | undefined> {
  if ((await listSubmissions(store, { limit: 1 })).length > 0) return undefined;
  const known = new Set((await listStates(store)).map((s) => s.code));
  const dataset = generateDemoDataset({ children: demo.children, seed: demo.seed });
  const files = renderDemoFiles(dataset);
  const summary: DemoLoadSummary = { states: {} };

  for (const state of demoStates.filter((s) => known.has(s))) {
    const receivedAt = new Date();
    await store.sequelize.transaction(async (tx) => {
      const submission = await createSubmission(
        store,
        {
          stateCode: state,
          fileName: demoFiles[state].name,
          fileSha256: createHash('sha256').update(files[state]).digest('hex'),
          mappingName: 'demo-generator',
          receivedAt,
          status: 'processing',
        },
        tx,
      );
      const accepted = [];
      const rejects = [];
      for (const [index, document] of dataset.byState[state].entries()) {
        const checked = validateExchangeDocument(document, { today: dataset.today });
        if (checked.ok) accepted.push({ row: index + 1, document: checked.document });
        else
          rejects.push(
            ...checked.errors.map((e) => ({
              row: index + 1,
              target: e.path,
              value: e.value ?? null,
              reason: e.reason,
            })),
          );
      }
      const ids = await saveStudentDocuments(
        store,
        tx,
        { id: submission.id, stateCode: state, receivedAt },
        accepted,
      );
      const recordIds = [...ids.values()];
      const childIds = await createChildren(store, recordIds.length, tx);
      await linkStudentRecords(
        store,
        recordIds.map((studentRecordId, i) => ({
          studentRecordId,
          childId: childIds[i] as string,
        })),
        tx,
      );
      await addRejects(store, tx, submission.id, rejects);
      const rejected = new Set(rejects.map((r) => r.row)).size;
      await completeSubmission(
        store,
        submission.id,
        {
          status: 'completed',
          rowCount: dataset.byState[state].length,
          acceptedCount: accepted.length,
          rejectedCount: rejected,
        },
        tx,
      );
      summary.states[state] = { submissionId: submission.id, records: accepted.length, rejected };
    });
  }
  return summary;
}
