import { runDeliveryPass } from '../notifications/deliver.js';
import type { JobDefinition } from './job.js';

export const notificationDeliveryJob: JobDefinition = {
  name: 'notification-delivery',
  description: 'Send outbox events to webhook and e-mail subscribers; retry, then dead-letter',
  defaultCron: '*/5 * * * * *',
  run: (ctx) =>
    runDeliveryPass(ctx.store, ctx.config, ctx.logger, ctx.signal, {
      // A manual run sends what is due and ends; only scheduled runs linger for new events.
      ...(ctx.trigger === 'manual' ? { lingerSeconds: 0 } : {}),
    }),
};
