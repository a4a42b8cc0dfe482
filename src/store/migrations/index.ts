/**
 * Every migration, in order. Listed by hand rather than globbed so that they load the same way
 * under tsx, a bundler or compiled JavaScript, and so that adding one is a reviewed line here.
 */
import { initial } from './0001-initial.js';
import { recordItems } from './0002-record-items.js';
import { auditEvents } from './0003-audit-events.js';
import { studentRecordHistory } from './0004-student-record-history.js';
import { itemSubmissionKeys } from './0005-item-submission-keys.js';
import { identity } from './0010-identity.js';
import { oidcProvider } from './0011-oidc-provider.js';
import { linkage } from './0020-linkage.js';
import { linkageKeysRebuild } from './0021-linkage-keys-rebuild.js';
import { linkageIntegerKeys } from './0022-linkage-integer-keys.js';
import { jobs } from './0030-jobs.js';
import { notifications } from './0031-notifications.js';
import { moves } from './0032-moves.js';
import { childCounts } from './0040-child-counts.js';
import { survey } from './0050-survey.js';
import type { Migration } from './context.js';

export type { Migration, MigrationContext } from './context.js';

export const migrations: readonly Migration[] = [
  initial,
  recordItems,
  auditEvents,
  studentRecordHistory,
  itemSubmissionKeys,
  identity,
  oidcProvider,
  linkage,
  linkageKeysRebuild,
  linkageIntegerKeys,
  jobs,
  notifications,
  moves,
  childCounts,
  survey,
];
