/**
 * Retention clean-up: expired browser sessions and SAML message ids, delivered notifications and
 * job runs older than `jobs.retentionDays`. Dead letters stay until an administrator acts.
 */
import { deleteJobRunsBefore } from '../store/repositories/job-runs.js';
import { deleteDeliveredBefore } from '../store/repositories/notification-outbox.js';
import {
  removeExpiredSamlAssertions,
  removeSamlRequestIdsBefore,
} from '../store/repositories/saml-message-ids.js';
import { deleteExpiredWebSessions } from '../store/repositories/web-sessions.js';
import type { JobDefinition } from './job.js';

// An AuthnRequest unanswered after a day will never be answered.
const SAML_REQUEST_MAX_AGE_MS = 86_400_000;

export const retentionCleanupJob: JobDefinition = {
  name: 'retention-cleanup',
  description: 'Delete expired sessions, SAML replay ids, old delivered notifications and runs',
  defaultCron: '0 30 3 * * *',
  async run(ctx) {
    const before = new Date(ctx.now.getTime() - ctx.config.jobs.retentionDays * 86_400_000);
    const sessions = await deleteExpiredWebSessions(ctx.store);
    const samlAssertions = await removeExpiredSamlAssertions(ctx.store, ctx.now);
    const samlRequests = await removeSamlRequestIdsBefore(
      ctx.store,
      new Date(ctx.now.getTime() - SAML_REQUEST_MAX_AGE_MS),
    );
    const delivered = await deleteDeliveredBefore(ctx.store, before);
    const runs = await deleteJobRunsBefore(ctx.store, before);
    return {
      sessions,
      samlAssertions,
      samlRequests,
      deliveries: delivered.deliveries,
      events: delivered.events,
      runs,
    };
  },
};
