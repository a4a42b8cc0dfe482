/**
 * Every job the gateway knows. Adding one is one line in `jobRegistry` below; its schedule comes
 * from `jobs.schedules.<name>` in the config, or its `defaultCron`.
 */
import { deadlineTrackingJob } from './deadline-tracking-job.js';
import type { JobDefinition } from './job.js';
import { linkageRelinkJob, worklistEscalationJob } from './linkage-jobs.js';
import { moveDetectionJob } from './move-detection-job.js';
import { notificationDeliveryJob } from './notification-delivery-job.js';
import { childCountRefreshJob, surveyReportGenerationJob } from './report-jobs.js';
import { retentionCleanupJob } from './retention-cleanup-job.js';

export const jobRegistry: readonly JobDefinition[] = [
  moveDetectionJob,
  notificationDeliveryJob,
  deadlineTrackingJob,
  retentionCleanupJob,
  childCountRefreshJob,
  surveyReportGenerationJob,
  worklistEscalationJob,
  linkageRelinkJob,
];

export function findJob(name: string): JobDefinition | undefined {
  return jobRegistry.find((job) => job.name === name);
}
