/** The linkage settings of config (schema.ts `linkage`), and the weights they resolve to. */
import { configSchema } from '../config/schema.js';
import type { LinkageSettings } from '../config/schema.js';
import type { Store } from '../store/index.js';
import { loadEstimatedWeights } from '../store/repositories/record-links.js';
import type { LinkagePerson } from './person.js';
import type { LinkageWeights, PinnedWeights, Thresholds } from './weights.js';
import { resolveWeights } from './weights.js';

export type { LinkageSettings };

/** Every default, as a config file without a `linkage` section gives. */
export function defaultLinkageSettings(): LinkageSettings {
  const parsed = configSchema.shape.linkage.parse(undefined);
  return { ...parsed, worklist: { ...parsed.worklist, regions: {} } };
}

/** What one run of linking uses: weights resolved once, thresholds, worklist settings. */
export interface LinkageRuntime {
  settings: LinkageSettings;
  weights: LinkageWeights;
  thresholds: Thresholds;
  /**
   * Stored records already normalised in this run, by student record id. Records of the batch
   * being written are never in it (they are new, or of the submitting state, which is never a
   * candidate); a run is one ingest or one relink.
   */
  people: Map<number, LinkagePerson>;
}

/** Pinned weights (config) over the last EM estimate (store) over the defaults. */
export async function linkageRuntime(
  store: Store,
  settings: LinkageSettings = defaultLinkageSettings(),
): Promise<LinkageRuntime> {
  const estimated = await loadEstimatedWeights(store);
  return {
    settings,
    weights: resolveWeights(
      estimated as Partial<LinkageWeights> | undefined,
      settings.weights as PinnedWeights,
    ),
    thresholds: settings.thresholds,
    people: new Map(),
  };
}
