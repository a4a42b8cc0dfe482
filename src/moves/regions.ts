import type { Config } from '../config/index.js';

/** The configured region (e.g. a regional center) a district belongs to, if any. */
export function regionOf(config: Config, state: string | null, district: string | null) {
  if (!state || !district) return null;
  const regions = config.states.find((s) => s.code === state)?.regions ?? [];
  return regions.find((r) => r.districts.includes(district))?.id ?? null;
}
