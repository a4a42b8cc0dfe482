/**
 * Record linkage (DESIGN.md section 6, issue 6). For jobs: `relinkAll` (after the weights change),
 * `estimateLinkageWeights` (EM), `escalateWorklist` and `autoApproveDue` (daily).
 */
export { relinkAll, estimateLinkageWeights, rebuildLinkageKeys, RELINK_ACTOR } from './relink.js';
export type { RelinkCounts, RelinkOptions } from './relink.js';
export {
  AUTO_APPROVER,
  WorklistError,
  autoApproveDue,
  escalateWorklist,
  listWorklist,
  reassignItem,
  resolveNearMatch,
  startMerge,
  startSplit,
  validateItem,
} from './worklist.js';
export type { WorklistActor } from './worklist.js';
export { revertLinkageChange, LinkageChangeError } from './changes.js';
export { linkBeforeStoring } from './ingest-linking.js';
export { consolidatedRecord } from './consolidated-record.js';
export { searchChildren } from './child-search.js';
export { defaultLinkageSettings, linkageRuntime } from './settings.js';
