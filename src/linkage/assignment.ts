/**
 * Who works a worklist item: data administrators of the district of the child's most recent
 * enrollment, then (after `escalationDays`) of its region, then of its state, as MSIX assigns
 * near matches. Reassignment goes only down or sideways, never up (escalation does that).
 */
import type { LinkageSettings } from '../config/schema.js';
import type { WorklistLevel } from '../store/index.js';

export interface Assignment {
  stateCode: string;
  level: WorklistLevel;
  district: string | null;
  region: string | null;
  assignedAt: Date;
  escalatesAt: Date;
}

const DAY = 86_400_000;

export function regionOf(
  settings: LinkageSettings,
  stateCode: string,
  district: string | null,
): string | null {
  if (!district) return null;
  const regions = settings.worklist.regions[stateCode] ?? {};
  for (const [region, districts] of Object.entries(regions)) {
    if (region === district || districts.includes(district)) return region;
  }
  return null;
}

export function escalationDate(settings: LinkageSettings, from: Date): Date {
  return new Date(from.getTime() + settings.worklist.escalationDays * DAY);
}

/** The first assignment of an item for a child last enrolled in `district` of `stateCode`. */
export function initialAssignment(
  settings: LinkageSettings,
  stateCode: string,
  district: string | null,
  now = new Date(),
): Assignment {
  const region = regionOf(settings, stateCode, district);
  const level: WorklistLevel = district ? 'district' : region ? 'region' : 'state';
  return {
    stateCode,
    level,
    district,
    region,
    assignedAt: now,
    escalatesAt: escalationDate(settings, now),
  };
}

/** One level up: district → region (when the district has one) → state; null at the state. */
export function escalated(
  settings: LinkageSettings,
  current: Pick<Assignment, 'stateCode' | 'level' | 'district' | 'region'>,
  now = new Date(),
): Assignment | null {
  if (current.level === 'state') return null;
  const region = current.region ?? regionOf(settings, current.stateCode, current.district);
  const level: WorklistLevel = current.level === 'district' && region ? 'region' : 'state';
  return {
    stateCode: current.stateCode,
    level,
    district: current.district,
    region,
    assignedAt: now,
    escalatesAt: escalationDate(settings, now),
  };
}

const rank: Record<WorklistLevel, number> = { district: 0, region: 1, state: 2 };

export interface AdminScope {
  stateCode: string;
  level: WorklistLevel;
  district: string | null;
  region: string | null;
}

/** The level a data administrator works at; null for anyone else. */
export function adminScope(
  settings: LinkageSettings,
  person: { state: string; roles: readonly string[]; district: string | null },
): AdminScope | null {
  const region = regionOf(settings, person.state, person.district);
  if (person.roles.includes('state-data-admin')) {
    return { stateCode: person.state, level: 'state', district: null, region: null };
  }
  // A state with no regions configured: a region administrator covers the state below state
  // level (region null matches items whose district has no region).
  if (person.roles.includes('region-data-admin')) {
    return { stateCode: person.state, level: 'region', district: null, region };
  }
  if (person.roles.includes('district-data-admin') && person.district) {
    return { stateCode: person.state, level: 'district', district: person.district, region };
  }
  return null;
}

/**
 * Whether an administrator may work an item: a state administrator any item of the state; a
 * region one items at region level of the region, and district items within it; a district one
 * the items at district level of the district.
 */
export function mayWork(
  scope: AdminScope,
  item: Pick<Assignment, 'stateCode' | 'level' | 'district' | 'region'>,
  settings: LinkageSettings,
): boolean {
  if (scope.stateCode !== item.stateCode) return false;
  if (scope.level === 'state') return true;
  if (scope.level === 'region') {
    const region = item.region ?? regionOf(settings, item.stateCode, item.district);
    return item.level !== 'state' && region === scope.region;
  }
  return item.level === 'district' && item.district === scope.district;
}

/**
 * Reassignment goes down or sideways only: the target level is at or below the administrator's
 * own, inside the state; a region administrator stays inside the region below region level.
 */
export function mayReassign(
  scope: AdminScope,
  target: Pick<Assignment, 'stateCode' | 'level' | 'district' | 'region'>,
  settings: LinkageSettings,
): boolean {
  if (target.stateCode !== scope.stateCode) return false;
  if (rank[target.level] > rank[scope.level]) return false;
  if (target.level === 'district' && !target.district) return false;
  if (target.level === 'region' && !target.region) return false;
  if (scope.level === 'region' && target.level === 'district') {
    return regionOf(settings, target.stateCode, target.district) === scope.region;
  }
  return true;
}
