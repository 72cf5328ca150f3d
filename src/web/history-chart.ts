import type { WeeklyMetrics } from '../domain';
import { coverageOf, parseWeekId, shiftWeek } from '../recap';
import { html, type SafeHtml } from './html';

const WIDTH = 720;
const HEIGHT = 200;
const PAD = { left: 44, right: 12, top: 14, bottom: 36 };

/** Most weeks the chart draws: two years, the newest. */
const MAX_WEEKS = 104;

/** Weeks from `first` to `last`, both included, oldest first; at most the newest {@link MAX_WEEKS}. */
function weekSpan(first: string, last: string): string[] {
  const earliest = shiftWeek(last, MAX_WEEKS - 1);
  const out = [first > earliest ? first : earliest];
  while (out.at(-1)! < last) out.push(shiftWeek(out.at(-1)!, -1));
  return out;
}

/**
 * Messages per week across every stored week of a cohort, as an inline SVG bar chart. A week between two stored
 * ones that was never computed, or that the source did not hold, is marked "no data" (never drawn as a zero);
 * a partial week's bar is hatched lighter.
 */
export function historyChart(weeks: readonly WeeklyMetrics[]): SafeHtml {
  if (!weeks.length) return html``;
  const byWeek = new Map(weeks.map((m) => [m.week, m]));
  const span = weekSpan(weeks[0]!.week, weeks.at(-1)!.week);
  const max = Math.max(1, ...weeks.map((m) => m.messages));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / span.length;
  const barW = Math.max(2, Math.min(48, slot * 0.7));
  const bars = span.map((week, i) => {
    const m = byWeek.get(week);
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const label = `W${String(parseWeekId(week).week).padStart(2, '0')}`;
    const status = m ? coverageOf(m) : 'none';
    const labelEl = html`<text x="${(x + barW / 2).toFixed(1)}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="middle" font-size="11" fill="#5b6473">${label}</text>`;
    if (!m || status === 'none') {
      return html`<g><title>${week}: no data</title><text x="${(x + barW / 2).toFixed(1)}" y="${PAD.top + plotH - 4}" text-anchor="middle" font-size="10" fill="#9aa3b2">no data</text>${labelEl}</g>`;
    }
    const h = (m.messages / max) * plotH;
    const y = PAD.top + plotH - h;
    const fill = status === 'partial' ? '#9dbcf0' : '#3b6fd8';
    return html`<g><title>${week}: ${m.messages} messages${status === 'partial' ? ' (partial week)' : ''}</title><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"/><text x="${(x + barW / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="11" fill="#1d2330">${m.messages}</text>${labelEl}</g>`;
  });
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="Messages per week">
<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotH}" stroke="#b8bfca"/>
<text x="${PAD.left - 6}" y="${PAD.top + 10}" text-anchor="end" font-size="11" fill="#5b6473">${max}</text>
<text x="${PAD.left - 6}" y="${PAD.top + plotH}" text-anchor="end" font-size="11" fill="#5b6473">0</text>
${bars}
<text x="${PAD.left}" y="${HEIGHT - 6}" font-size="11" fill="#5b6473">messages per week</text>
</svg>`;
}
