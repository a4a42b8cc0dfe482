/**
 * The linkage jobs (DESIGN.md section 6): the daily worklist pass (escalate items past their date,
 * approve merges and splits nobody validated in time) and the whole-store relink, run by hand
 * (`continuum jobs run linkage-relink`) after the weights or thresholds change.
 */
import { autoApproveDue, escalateWorklist, relinkAll } from '../linkage/index.js';
import type { JobDefinition } from './job.js';

export const worklistEscalationJob: JobDefinition = {
  name: 'worklist-escalation',
  description: 'Escalate overdue near-match items; approve merges and splits past their period',
  defaultCron: '0 0 6 * * *',
  async run(ctx) {
    const escalated = await escalateWorklist(ctx.store, ctx.config.linkage, ctx.now);
    const approved = await autoApproveDue(ctx.store, ctx.now);
    return { escalated, approved };
  },
};

export const linkageRelinkJob: JobDefinition = {
  name: 'linkage-relink',
  description: 'Re-estimate the linkage weights and relink the whole store',
  // Yearly on 1 January unless scheduled otherwise: normally run by hand after a change.
  defaultCron: '0 0 4 1 1 *',
  async run(ctx) {
    const counts = await relinkAll(ctx.store, ctx.config);
    return {
      records: counts.records,
      pairsCompared: counts.pairsCompared,
      merged: counts.merged,
      nearMatches: counts.nearMatches,
    };
  },
};
