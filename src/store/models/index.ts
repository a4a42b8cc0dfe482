/**
 * All models on one Sequelize instance. Models describe the tables for queries only; the tables
 * themselves are made by the migrations (never `sync()`), and a test checks the two agree.
 */
import type { Sequelize } from 'sequelize';
import { defineAuditEventModel } from './audit-event.js';
import { defineChildModels } from './child.js';
import { defineIdentityModels } from './identity.js';
import { defineLinkageModels } from './linkage.js';
import { defineRecordItemModels } from './record-items.js';
import { defineStudentRecordHistoryModel } from './student-record-history.js';
import { defineSubmissionModels } from './submission.js';
import { defineSurveyModels } from './survey.js';

export function initModels(sequelize: Sequelize) {
  const submissionModels = defineSubmissionModels(sequelize);
  const childModels = defineChildModels(sequelize);
  const items = defineRecordItemModels(sequelize);
  const AuditEvent = defineAuditEventModel(sequelize);
  const StudentRecordHistory = defineStudentRecordHistoryModel(sequelize);

  for (const model of Object.values(items)) {
    childModels.StudentRecord.hasMany(model, {
      as: model.name,
      foreignKey: 'studentRecordId',
      constraints: false,
    });
  }
  submissionModels.Submission.hasMany(submissionModels.Reject, {
    as: 'rejects',
    foreignKey: 'submissionId',
    constraints: false,
  });

  return {
    ...submissionModels,
    ...childModels,
    QualifyingMove: items.qualifyingMoves,
    Enrollment: items.enrollments,
    Course: items.courses,
    Assessment: items.assessments,
    AuditEvent,
    StudentRecordHistory,
    ...defineIdentityModels(sequelize),
    ...defineSurveyModels(sequelize),
    ...defineLinkageModels(sequelize),
    /** The four item models by document array name, for code that handles them alike. */
    recordItems: items,
  };
}

export type Models = ReturnType<typeof initModels>;

export type { AuditEventRow } from './audit-event.js';
export type { ChildRow, ChildStatus, StudentRecordRow } from './child.js';
export { childStatuses } from './child.js';
export type { RecordItemKey, RecordItemRow } from './record-items.js';
export { recordItemKinds } from './record-items.js';
export type { HistoryAction, StudentRecordHistoryRow } from './student-record-history.js';
export { historyActions } from './student-record-history.js';
export type { RejectRow, StateRow, SubmissionRow, SubmissionStatus } from './submission.js';
export { submissionStatuses } from './submission.js';
export type { AccessGrantRow, AccountRow, AccountStatus, WebSessionRow } from './identity.js';
export { accountStatuses } from './identity.js';
export type {
  SurveyAgreementRow,
  SurveyAnswerRow,
  SurveyReportRow,
  SurveyResponseRow,
} from './survey.js';
export type {
  ChildLockRow,
  LinkageChangeRow,
  LinkageKeyRow,
  LinkageWeightRow,
  RecordLinkRow,
  WorklistItemRow,
  WorklistKind,
  WorklistLevel,
  WorklistStatus,
} from './linkage.js';
export { worklistKinds, worklistLevels, worklistStatuses } from './linkage.js';
