/**
 * The consolidated record of one child (DESIGN.md section 6, issue 6): everything every state
 * holds, each item with its source (state, submission, row, received time); demographics side
 * by side showing where states disagree; the linked state IDs; why the records were linked.
 */
import type {
  Assessment,
  Course,
  Enrollment,
  QualifyingMove,
  SourceRef,
} from '../exchange/types.js';
import type { Store } from '../store/index.js';
import { getChildWithRecords } from '../store/index.js';
import { listRecordLinks } from '../store/repositories/record-links.js';
import type { RecordLinkView } from '../store/repositories/record-links.js';
import { changesOfChild, lockedChildren } from '../store/repositories/worklist.js';

export interface Sourced<T> {
  item: T;
  source: SourceRef & { stateStudentId: string };
}

export interface DemographicField {
  field: string;
  /** Each distinct value and the states that hold it. */
  values: { value: string | boolean; states: string[] }[];
  /** More than one value across states. */
  disagree: boolean;
}

export interface ConsolidatedRecord {
  childId: string;
  status: string;
  /** Set when the id asked for was merged into this child. */
  requestedChildId?: string;
  locked: boolean;
  demographics: DemographicField[];
  linkedStateIds: {
    state: string;
    stateStudentId: string;
    stateStudentIdType: string;
    studentRecordId: number;
    submissionId: number;
    receivedAt: Date;
  }[];
  qualifyingMoves: Sourced<QualifyingMove>[];
  enrollments: Sourced<Enrollment>[];
  courses: Sourced<Course>[];
  assessments: Sourced<Assessment>[];
  links: RecordLinkView[];
  history: {
    id: number;
    action: string;
    actor: string;
    occurredAt: Date;
    revertedAt: Date | null;
  }[];
}

const demographicFields = [
  ['firstName', (s: Record<string, unknown>) => s['firstName']],
  ['middleName', (s: Record<string, unknown>) => s['middleName']],
  ['lastName1', (s: Record<string, unknown>) => s['lastName1']],
  ['lastName2', (s: Record<string, unknown>) => s['lastName2']],
  ['suffix', (s: Record<string, unknown>) => s['suffix']],
  ['sex', (s: Record<string, unknown>) => s['sex']],
  ['birthDate', (s: Record<string, unknown>) => s['birthDate']],
  ['multipleBirth', (s: Record<string, unknown>) => s['multipleBirth']],
  ['birthCity', (s: Record<string, unknown>) => s['birthCity']],
  ['birthState', (s: Record<string, unknown>) => s['birthState']],
  ['birthCountry', (s: Record<string, unknown>) => s['birthCountry']],
  ['parent1', (s: Record<string, unknown>) => parentName(s['parent1'])],
  ['parent2', (s: Record<string, unknown>) => parentName(s['parent2'])],
] as const;

function parentName(parent: unknown): string | undefined {
  const p = parent as { firstName?: string; lastName?: string } | undefined;
  const name = [p?.firstName, p?.lastName].filter(Boolean).join(' ');
  return name || undefined;
}

/** Follows merged children to the one that holds their records now (at most 20 hops). */
async function activeChild(store: Store, childId: string) {
  let found = await getChildWithRecords(store, childId);
  for (let hops = 0; found && found.child.status === 'merged' && found.child.mergedInto; hops++) {
    if (hops > 20) break;
    found = await getChildWithRecords(store, String(found.child.mergedInto).trim());
  }
  return found;
}

export async function consolidatedRecord(
  store: Store,
  childId: string,
): Promise<ConsolidatedRecord | null> {
  const found = await activeChild(store, childId);
  if (!found) return null;
  const id = String(found.child.childId).trim();
  const demographics: DemographicField[] = demographicFields.map(([field, read]) => {
    const values = new Map<string, { value: string | boolean; states: string[] }>();
    for (const r of found.records) {
      const value = read(r.document.student as unknown as Record<string, unknown>);
      if (value === undefined || value === null || value === '') continue;
      const key = JSON.stringify(value);
      const entry = values.get(key) ?? { value: value as string | boolean, states: [] };
      if (!entry.states.includes(r.source.state)) entry.states.push(r.source.state);
      values.set(key, entry);
    }
    return { field, values: [...values.values()], disagree: values.size > 1 };
  });
  const sourced = <K extends 'qualifyingMoves' | 'enrollments' | 'courses' | 'assessments'>(
    key: K,
  ) =>
    found.records.flatMap((r) =>
      (r.document[key] as unknown[]).map((item, i) => ({
        item,
        source: {
          ...(r.itemSources[key][i] ?? r.source),
          stateStudentId: r.document.student.stateStudentId,
        },
      })),
    );
  const byDate = <T>(list: Sourced<T>[], field: keyof T) =>
    list.sort((a, b) => String(b.item[field] ?? '').localeCompare(String(a.item[field] ?? '')));
  return {
    childId: id,
    status: found.child.status,
    ...(id !== childId ? { requestedChildId: childId } : {}),
    locked: (await lockedChildren(store, [id])).has(id),
    demographics,
    linkedStateIds: found.records.map((r) => ({
      state: r.source.state,
      stateStudentId: r.document.student.stateStudentId,
      stateStudentIdType: r.document.student.stateStudentIdType,
      studentRecordId: r.studentRecordId,
      submissionId: r.source.submissionId,
      receivedAt: r.source.receivedAt,
    })),
    qualifyingMoves: byDate(
      sourced('qualifyingMoves') as Sourced<QualifyingMove>[],
      'qualifyingArrivalDate',
    ),
    enrollments: byDate(sourced('enrollments') as Sourced<Enrollment>[], 'enrollmentDate'),
    courses: byDate(sourced('courses') as Sourced<Course>[], 'endYear'),
    assessments: byDate(sourced('assessments') as Sourced<Assessment>[], 'administrationDate'),
    links: await listRecordLinks(store, id),
    history: (await changesOfChild(store, id)).map((c) => ({
      id: c.id,
      action: c.action,
      actor: c.actor,
      occurredAt: c.occurredAt,
      revertedAt: c.revertedAt,
    })),
  };
}
