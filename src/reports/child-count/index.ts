/** Child counts of migratory children (DESIGN.md section 8): what other folders import. */
export {
  childCountReport,
  computeChildCounts,
  defaultCountedThrough,
  refreshChildCounts,
} from './child-count.js';
export type { ChildCountRequest, RefreshSummary } from './child-count.js';
export { gradeGroups, numbersCsvRows, toCsv } from './breakdowns.js';
export type { CategoryCount, CountNumbers } from './breakdowns.js';
export { ChildCountInputError, countedThrough, parsePeriod } from './period.js';
export type { PerformancePeriod } from './period.js';
export {
  ChildCountStatusError,
  certifyCount,
  freezeCount,
  listCountedChildren,
} from './stored-counts.js';
export type { CountedChild, CountStatus, StoredCount } from './stored-counts.js';
export {
  MAX_LIST_ENTRIES,
  StateListError,
  parseCsvList,
  parseJsonList,
  saveStateList,
} from './state-lists.js';
export type { StateListEntry, StoredList } from './state-lists.js';
export {
  NoStateListError,
  reasons,
  reconcileChildCount,
  reconciliationCsvRows,
} from './reconciliation.js';
export type { Difference, ReasonCode, Reconciliation } from './reconciliation.js';
export { countCsv, countView, countedChildrenCsv } from './views.js';
