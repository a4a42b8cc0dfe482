/**
 * The `linkage` settings (DESIGN.md section 6): thresholds, pinned m/u weights, EM limits and the
 * worklist's escalation. The regions a worklist escalates through are each state's own
 * (`regions` in config/states/XX.yaml), added to these settings when the config is loaded.
 */
import { z } from 'zod';

const muValue = z.number().gt(0, 'must be above 0').lt(1, 'must be below 1');

/** Record linkage (DESIGN.md section 6): thresholds, pinned weights, worklist assignment. */
export const linkageSettings = z
  .strictObject({
    /** Link records inside ingest (off: every new record gets a child of its own). */
    enabled: z.boolean().default(true),
    /**
     * Match weight (sum of the fields' log2(m/u), in bits): at or above `upper` a record is linked
     * to the child; at or above `lower` a near-match worklist item is made; below, a new child.
     */
    thresholds: z
      .strictObject({
        upper: z.number().default(24),
        lower: z.number().default(12),
      })
      .refine((t) => t.upper > t.lower, { message: 'upper must be above lower', path: ['upper'] })
      .prefault({}),
    /**
     * m/u values pinned by field and level (e.g. `birthDate: { exact: { m: 0.95, u: 0.0002 } }`):
     * used as they are, never re-estimated by EM. Fields: firstName, lastName, birthDate, sex,
     * birthPlace, parents.
     */
    weights: z
      .partialRecord(
        z.enum(['firstName', 'lastName', 'birthDate', 'sex', 'birthPlace', 'parents']),
        z.record(z.string(), z.strictObject({ m: muValue.optional(), u: muValue.optional() })),
      )
      .default({}),
    em: z
      .strictObject({
        maxIterations: z.number().int().min(1).max(1000).default(50),
        /** Random record pairs drawn to estimate u. */
        randomPairs: z.number().int().min(0).max(1_000_000).default(20_000),
        /** Candidate pairs used for EM (a sample when the store has more). */
        maxCandidatePairs: z.number().int().min(100).max(10_000_000).default(200_000),
      })
      .prefault({}),
    worklist: z
      .strictObject({
        /** Days an item waits at one level before it escalates (district → region → state). */
        escalationDays: z.number().int().min(1).max(365).default(10),
      })
      .prefault({}),
  })
  .prefault({});
