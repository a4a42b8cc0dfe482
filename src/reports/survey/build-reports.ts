/**
 * From aggregated counts to published reports, for one state, survey and year: the linked tables
 * are suppressed once (confidentiality.ts), then every report reads published cells only.
 */
import { surveyLevelNames, surveyLevels, type SurveyKind } from '../../exchange/survey-response.js';
import {
  publishedPercent,
  suppressLinkedTables,
  TOTAL,
  type AreaKind,
  type CellRef,
  type DistrictCounts,
  type PercentRules,
} from './confidentiality.js';
import type {
  GroupResult,
  IndicatorInfo,
  LevelResult,
  ReportScope,
  SurveyReport,
} from './report-model.js';

export interface CellCounts {
  districtId: string;
  level: string;
  migrant: boolean;
}

export interface SurveyCounts {
  respondents: readonly (CellCounts & { respondents: number })[];
  /** Indicator id → its counts per district, level and group. */
  indicators: ReadonlyMap<string, readonly (CellCounts & { answered: number; yes: number })[]>;
}

export interface RegionInfo {
  id: string;
  name: string;
  districts: readonly string[];
  districtNames?: Readonly<Record<string, string>>;
}

export interface BuildReportsInput {
  state: { code: string; name: string };
  survey: SurveyKind;
  year: number;
  regions: readonly RegionInfo[];
  indicators: readonly IndicatorInfo[];
  counts: SurveyCounts;
  minimum: number;
  percentages: PercentRules;
  generatedAt: Date;
}

type Group = 'migrant' | 'others';
interface Sums {
  answered: number;
  yes: number;
}

export function buildSurveyReports(input: BuildReportsInput): SurveyReport[] {
  const levels = surveyLevels[input.survey];
  const regionOf = new Map<string, string>();
  for (const r of input.regions) for (const d of r.districts) regionOf.set(d, r.id);
  const known = new Set(levels);

  const districts = new Map<
    string,
    DistrictCounts & { levels: Record<string, { migrant: number; others: number }> }
  >();
  for (const row of input.counts.respondents) {
    if (!known.has(row.level)) continue;
    let d = districts.get(row.districtId);
    if (!d) {
      d = { id: row.districtId, region: regionOf.get(row.districtId) ?? '', levels: {} };
      districts.set(row.districtId, d);
    }
    const cell = (d.levels[row.level] ??= { migrant: 0, others: 0 });
    cell[row.migrant ? 'migrant' : 'others'] += row.respondents;
  }
  const tables = suppressLinkedTables({
    state: input.state.code,
    levels,
    regions: input.regions.map((r) => r.id),
    districts: [...districts.values()],
    minimum: input.minimum,
  });

  // Indicator sums per area, column and group, from the district rows (additive).
  const sums = new Map<string, Sums>();
  const addTo = (key: string, answered: number, yes: number) => {
    const s = sums.get(key) ?? { answered: 0, yes: 0 };
    s.answered += answered;
    s.yes += yes;
    sums.set(key, s);
  };
  for (const [indicator, rows] of input.counts.indicators) {
    for (const row of rows) {
      if (!known.has(row.level)) continue;
      const group: Group = row.migrant ? 'migrant' : 'others';
      const region = regionOf.get(row.districtId);
      const areas: [AreaKind, string][] = [
        ['district', row.districtId],
        ['state', input.state.code],
      ];
      if (region !== undefined) areas.push(['region', region]);
      for (const [kind, area] of areas) {
        for (const column of [row.level, TOTAL]) {
          addTo(`${indicator}|${kind}:${area}|${column}|${group}`, row.answered, row.yes);
        }
      }
    }
  }

  const level = (ref: CellRef): LevelResult => {
    const name = ref.column === TOTAL ? 'All levels' : (surveyLevelNames[ref.column] ?? ref.column);
    const status = tables.status(ref);
    if (status !== 'published') return { level: ref.column, name, status };
    const counts = tables.counts(ref);
    const group = (g: Group): GroupResult => ({
      respondents: counts[g],
      indicators: Object.fromEntries(
        input.indicators.map((ind) => {
          const s = sums.get(`${ind.id}|${ref.kind}:${ref.area}|${ref.column}|${g}`);
          return [ind.id, publishedPercent(s?.yes ?? 0, s?.answered ?? 0, input.percentages)];
        }),
      ),
    });
    return { level: ref.column, name, status, migrant: group('migrant'), others: group('others') };
  };
  const base = {
    state: input.state.code,
    survey: input.survey,
    year: input.year,
    indicators: [...input.indicators],
    generatedAt: input.generatedAt.toISOString(),
  };
  const tablesOf = (kind: AreaKind, area: string) =>
    [...levels, TOTAL].map((column) => level({ kind, area, column }));
  const report = (
    scope: ReportScope,
    id: string,
    name: string,
    rows: LevelResult[],
    extra: Partial<SurveyReport> = {},
  ): SurveyReport => ({ ...base, scope, id, name, combined: false, levels: rows, ...extra });

  const out: SurveyReport[] = [];
  const regionById = new Map(input.regions.map((r) => [r.id, r]));
  for (const d of [...districts.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    const rows = tablesOf('district', d.id);
    const shown = rows.filter((r) => r.status === 'published');
    // MESIS: only districts that meet the minimum get a report.
    if (shown.length === 0) continue;
    const combined = shown.every((r) => r.level === TOTAL);
    const region = regionById.get(d.region);
    const name = region?.districtNames?.[d.id] ?? `District ${d.id}`;
    out.push(
      report('district', d.id, name, combined ? rows.filter((r) => r.level === TOTAL) : rows, {
        combined,
        ...(region ? { region: { id: region.id, name: region.name } } : {}),
      }),
    );
  }
  for (const r of input.regions) out.push(report('region', r.id, r.name, tablesOf('region', r.id)));
  out.push(
    report('state', input.state.code, input.state.name, tablesOf('state', input.state.code)),
  );
  return out;
}
