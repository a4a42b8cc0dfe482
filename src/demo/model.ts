/**
 * The demo generator's own types: what a generated dataset is, and the ground truth that says
 * which state records belong to the same child (for the record-linkage tests).
 */
import type { Sex } from '../exchange/code-sets.js';
import type { ExchangeDocument, IsoDate } from '../exchange/types.js';
import type { DemoState } from './places.js';
import type { DemoSeed } from './random.js';

/** The fixed "today" used when none is given, so that a seed alone fixes every byte. */
export const DEMO_DEFAULT_TODAY: IsoDate = '2025-11-03';

export interface DemoDatasetOptions {
  /** Number of distinct children (people), not of state records. */
  children: number;
  seed: DemoSeed;
  /** The day the extract is taken; QADs fall in the 36 months before it. */
  today?: IsoDate;
  /**
   * Harder slips on top of the usual ones, for measuring record linkage: a typo in a name, first
   * and last names swapped, a birth year off by one. Drawn from a random stream of their own, so
   * the dataset is otherwise byte for byte the one made without them.
   */
  extraVariations?: boolean;
}

/** How a state's record of a child differs from the child's true identity. */
export type DemoVariation =
  | 'missingSecondSurname'
  | 'surnamesSwapped'
  | 'hyphenatedSurnames'
  | 'joinedSurnames'
  | 'nickname'
  | 'accentsDropped'
  | 'birthDateTransposed'
  | 'middleNameMissing'
  | 'multipleBirthFlagMissing'
  // Only with `extraVariations` (the record-linkage benchmark and tests):
  | 'typo'
  | 'namesSwapped'
  | 'birthYearOff';

export interface DemoRecordRef {
  state: DemoState;
  stateStudentId: string;
  variations: DemoVariation[];
}

export interface DemoIdentity {
  firstName: string;
  middleName?: string;
  lastName1: string;
  lastName2?: string;
  sex: Sex;
  birthDate: IsoDate;
  multipleBirth: boolean;
}

/** One real (fictional) child and every state record that is that child. */
export interface DemoPerson {
  personId: string;
  /** Children of one family share parents and moves; siblings must not be linked. */
  familyId: string;
  /** The other twin's person id, for children of a multiple birth. */
  twinOf?: string;
  identity: DemoIdentity;
  records: DemoRecordRef[];
}

export interface DemoDataset {
  today: IsoDate;
  seed: DemoSeed;
  people: DemoPerson[];
  /** Each state's documents as that state's own system holds them, sorted by student id. */
  byState: Record<DemoState, ExchangeDocument[]>;
}
