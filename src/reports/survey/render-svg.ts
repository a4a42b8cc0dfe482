/**
 * The chart of one level: for each indicator, a bar for migrant-program respondents and one for all
 * others, drawn on the server as SVG so that the page prints and needs no script. Accessible: the
 * SVG is an image with a title and a description, and the page carries the same figures as a table.
 * A coded percentage (≤5%, ≥95%) is drawn at its bound, never at a value that is not published.
 */
import type { IndicatorInfo, LevelResult, PublishedPercent } from './report-model.js';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const WIDTH = 720;
const LABEL = 300;
const BAR = 14;
const ROW = 2 * BAR + 14;
const TOP = 30;
const SCALE = WIDTH - LABEL - 60;

/** The length a bar may show: the exact value, or the bound of a coded one. */
function barValue(p: PublishedPercent | undefined): number | undefined {
  if (!p) return undefined;
  if (p.percent !== undefined) return p.percent;
  const bound = /^[≤≥](\d+)%$/.exec(p.text);
  return bound ? Number(bound[1]) : undefined;
}

export function levelChart(
  id: string,
  title: string,
  level: LevelResult,
  indicators: readonly IndicatorInfo[],
): string {
  const height = TOP + indicators.length * ROW + 10;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${height}" ` +
      `viewBox="0 0 ${WIDTH} ${height}" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(
      'Horizontal bars, two per indicator: the percentage of migrant education program ' +
        'respondents (dark, solid) and of all other respondents (light, outlined). ' +
        'The same figures are in the table below the chart.',
    )}</desc>`,
    `<g font-family="sans-serif" font-size="12">`,
    `<rect x="${LABEL}" y="6" width="12" height="12" fill="#1a4480"/>`,
    `<text x="${LABEL + 18}" y="16">Migrant education program</text>`,
    `<rect x="${LABEL + 200}" y="6" width="12" height="12" fill="#dfe1e2" stroke="#565c65"/>`,
    `<text x="${LABEL + 218}" y="16">All others</text>`,
  );
  indicators.forEach((ind, i) => {
    const y = TOP + i * ROW;
    parts.push(
      `<text x="${LABEL - 8}" y="${y + BAR + 4}" text-anchor="end">${escapeXml(truncate(ind.name, 46))}</text>`,
    );
    (['migrant', 'others'] as const).forEach((group, j) => {
      const p = level[group]?.indicators[ind.id];
      const value = barValue(p);
      const by = y + j * BAR;
      const w = value === undefined ? 0 : Math.round((value / 100) * SCALE);
      const style =
        group === 'migrant' ? 'fill="#1a4480"' : 'fill="#dfe1e2" stroke="#565c65" stroke-width="1"';
      parts.push(`<rect x="${LABEL}" y="${by}" width="${w}" height="${BAR - 2}" ${style}/>`);
      parts.push(
        `<text x="${LABEL + w + 6}" y="${by + BAR - 3}">${escapeXml(p?.text ?? '—')}</text>`,
      );
    });
  });
  parts.push('</g></svg>');
  return parts.join('\n');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
