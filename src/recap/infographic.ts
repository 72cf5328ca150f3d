import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { Peer, WeeklyMetrics } from '../domain';
import { BadInputError } from '../domain';
import { coverageOf, describeCoverage, describeSpan, hasData } from './coverage';
import { compareWeeks, formatDuration, formatPercent, type MetricChange, type TrendPoint } from './history';
import { niceTicks } from './nice-ticks';
import { formatWeekSpan } from './week';

/** Width and height of the infographic in SVG units (PNG pixels at scale 1). */
export const INFOGRAPHIC_WIDTH = 1200;
export const INFOGRAPHIC_HEIGHT = 1440;

/** The fonts shipped with tgpulse (Inter, SIL OFL 1.1), so a fresh machine renders the same picture. */
export const FONT_FILES = ['Inter-Regular.ttf', 'Inter-SemiBold.ttf', 'Inter-Bold.ttf'];

export interface InfographicInput {
  metrics: WeeklyMetrics;
  /**
   * Keep characters the shipped Inter cannot draw (CJK, Arabic…): set it when `renderInfographicPng` gets
   * `extraFontFiles` that cover them. Off, such characters are left out rather than drawn as empty boxes. Emoji are
   * left out either way: resvg draws no colour-emoji font.
   */
  allScripts?: boolean;
  /** The cohort's name, shown as the title. */
  title: string;
  /** The weeks up to and including this one, oldest first (see `loadTrend`); weeks never computed are null. */
  trend: readonly TrendPoint[];
}

const C = {
  bg: '#F3F4F9',
  card: '#FFFFFF',
  ink: '#161A36',
  muted: '#6A6F8E',
  faint: '#E6E8F2',
  accent: '#5B4FE9',
  accentSoft: '#CFCBFA',
  good: '#14935C',
  goodBg: '#E1F5EB',
  bad: '#D1383D',
  badBg: '#FCE6E6',
  flatBg: '#ECEDF3',
};

const AVATAR_COLORS = ['#5B4FE9', '#E9634F', '#14935C', '#D99A1C', '#2F8FD8', '#B546C4'];

const W = INFOGRAPHIC_WIDTH;
const M = 48;
const GAP = 24;

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Turns chat text into text the loaded fonts can draw, cut to fit. */
interface Pen {
  /** Text made drawable and cut at a word (with `…`) to fit `maxWidth` px at `size` px and `weight`. */
  fit(text: string, size: number, maxWidth: number, weight?: number): string;
  /** Drawable text on one line, uncut. */
  clean(text: string): string;
  /** A peer's name as it can be drawn, else their username, else a neutral word. */
  name(peer: Peer | undefined): string;
  initials(peer: Peer): string;
}

/**
 * Emoji and their joiners, skin tones, flags and keycaps. The shipped Inter has none, and resvg (2.6) draws nothing
 * from a colour-emoji font either (tried with Noto Color Emoji given as an extra font: blank gaps), so they are
 * always taken out, with the space they leave. Symbols Inter does draw (© ® ™, arrows) are not emoji here.
 */
const EMOJI = /(?:(?![\u00A9\u00AE\u2122\u2190-\u21FF])\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u{1F3FB}-\u{1F3FF}\u{FE0F}\u{200D}\u{20E3}\u{E0020}-\u{E007F}])+/gu;
/** What Inter covers: Latin, Greek, Cyrillic, general punctuation, currency, letterlike symbols, arrows, math. */
const NOT_INTER = /[^\u0020-\u024F\u0370-\u03FF\u0400-\u052F\u1E00-\u1EFF\u2000-\u206F\u20A0-\u20CF\u2100-\u215F\u2190-\u21FF\u2200-\u22FF]+/gu;

/** Tidies the gaps left where characters were taken out: one space, none before closing punctuation. */
function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/ (?=[.,!?;:)\]}…])/g, '')
    .replace(/([(\[{]) /g, '$1')
    .trim();
}

/**
 * Advance widths of Inter, in em, by kind of character (measured from the shipped fonts, rounded up a little so a
 * cut text never overflows). Kerning is left out: it only ever makes a line shorter.
 */
function glyphEm(c: string): number {
  if (c === ' ') return 0.28;
  if ('il.,:;\'|!ıj`'.includes(c)) return 0.27;
  if ('I()[]{}/\\'.includes(c)) return 0.34;
  if ('frt'.includes(c)) return 0.39;
  if ('mw'.includes(c)) return 0.86;
  if ('MW'.includes(c)) return 0.98;
  if ('…—'.includes(c)) return 0.9;
  if (c >= '0' && c <= '9') return 0.62;
  if (c >= 'A' && c <= 'Z') return 0.7;
  if (c >= 'a' && c <= 'z') return 0.57;
  if (/\p{Lu}/u.test(c)) return 0.72;
  if (/\p{L}/u.test(c)) return 0.6;
  return 0.62;
}

/** The width of a line of Inter at `size` px and `weight`, in px. */
export function textWidth(text: string, size: number, weight = 400): number {
  let em = 0;
  for (const c of text) em += glyphEm(c);
  return em * size * (weight >= 700 ? 1.07 : weight >= 600 ? 1.04 : 1);
}

/**
 * Cuts a line to fit `maxWidth` px: at the last word that fits, with `…`; a single word too long for the line is cut
 * inside it (a URL, a long name).
 */
export function fitText(line: string, size: number, maxWidth: number, weight = 400): string {
  if (textWidth(line, size, weight) <= maxWidth) return line;
  const room = maxWidth - textWidth('…', size, weight);
  const chars = [...line];
  let cut = 0;
  for (let width = textWidth(chars[0] ?? '', size, weight); cut < chars.length && width <= room; width += textWidth(chars[cut] ?? '', size, weight)) cut++;
  const head = chars.slice(0, cut).join('');
  // Back to a word boundary when the cut fell inside a word and an earlier word ends reasonably late.
  const space = head.lastIndexOf(' ');
  const atWord = chars[cut] === ' ' ? head : space >= head.length * 0.4 ? head.slice(0, space) : head;
  return `${atWord.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/**
 * The shipped Inter covers Latin, Greek and Cyrillic, punctuation and common symbols: CJK, Arabic… would come out as
 * empty boxes, so they are dropped (and the gaps they leave closed), unless extra fonts are loaded (`allScripts`).
 * Emoji and control characters always go.
 */
function pen(allScripts: boolean): Pen {
  const clean = (text: string): string => {
    const stripped = text.replace(/[\u0000-\u001F]/gu, ' ');
    const noEmoji = stripped.replace(EMOJI, ' ');
    return tidy(allScripts ? noEmoji : noEmoji.replace(NOT_INTER, ' '));
  };
  const fit = (text: string, size: number, maxWidth: number, weight = 400): string => fitText(clean(text), size, maxWidth, weight);
  const name = (peer: Peer | undefined): string => {
    if (!peer) return 'someone';
    const drawn = clean(peer.name);
    if (drawn) return drawn;
    return peer.username ? `@${peer.username}` : 'Member';
  };
  const initials = (peer: Peer): string => {
    const words = name(peer).replace(/^@/, '').split(/\s+/).filter(Boolean);
    const letters = words.length > 1 ? [...words[0]!][0]! + [...words[1]!][0]! : [...(words[0] ?? '?')].slice(0, 2).join('');
    return letters.toUpperCase() || '?';
  };
  return { fit, clean, name, initials };
}

function text(x: number, y: number, content: string, size: number, opts: { weight?: number; fill?: string; anchor?: 'start' | 'middle' | 'end'; spacing?: number } = {}): string {
  const attrs = [
    `x="${x.toFixed(1)}"`,
    `y="${y.toFixed(1)}"`,
    `font-family="Inter"`,
    `font-size="${size}"`,
    `font-weight="${opts.weight ?? 400}"`,
    `fill="${opts.fill ?? C.ink}"`,
    opts.anchor && opts.anchor !== 'start' ? `text-anchor="${opts.anchor}"` : '',
    opts.spacing ? `letter-spacing="${opts.spacing}"` : '',
  ].filter(Boolean);
  return `<text ${attrs.join(' ')}>${esc(content)}</text>`;
}

function card(x: number, y: number, w: number, h: number): string {
  // A soft offset rectangle instead of an SVG blur filter: it looks the same and renders ten times faster.
  return (
    `<rect x="${x}" y="${y + 4}" width="${w}" height="${h}" rx="20" fill="#1B1F4A" fill-opacity="0.05"/>` +
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="20" fill="${C.card}" stroke="#E4E6F0" stroke-width="1"/>`
  );
}

function cardTitle(x: number, y: number, title: string, subtitle?: string): string {
  return text(x + 28, y + 44, title, 22, { weight: 700 }) + (subtitle ? text(x + 28, y + 70, subtitle, 15, { fill: C.muted }) : '');
}

/** A pill with an arrow and the change against last week: green when good news, red when bad, grey when flat. */
function deltaChip(xRight: number, y: number, change: MetricChange | undefined): string {
  if (!change || change.delta === null) return '';
  const label = formatPercent(change) || (change.delta > 0 ? `+${change.delta}` : `${change.delta}`);
  const [fg, bg] = change.direction === 'better' ? [C.good, C.goodBg] : change.direction === 'worse' ? [C.bad, C.badBg] : [C.muted, C.flatBg];
  const w = 38 + label.length * 9.6;
  const x = xRight - w;
  const arrow =
    change.delta > 0
      ? `<path d="M${x + 12} ${y + 19} l6 -9 l6 9 z" fill="${fg}"/>`
      : change.delta < 0
        ? `<path d="M${x + 12} ${y + 10} l6 9 l6 -9 z" fill="${fg}"/>`
        : `<rect x="${x + 12}" y="${y + 13}" width="12" height="3" rx="1.5" fill="${fg}"/>`;
  return `<rect x="${x}" y="${y}" width="${w}" height="29" rx="14.5" fill="${bg}"/>${arrow}${text(x + 28, y + 20, label, 15, { weight: 600, fill: fg })}`;
}

interface Kpi {
  label: string;
  value: string;
  sub: string;
  change?: MetricChange;
}

function kpiCard(x: number, y: number, w: number, h: number, kpi: Kpi, p: Pen): string {
  return (
    card(x, y, w, h) +
    text(x + 26, y + 42, kpi.label.toUpperCase(), 14, { weight: 600, fill: C.muted, spacing: 1.2 }) +
    deltaChip(x + w - 20, y + 20, kpi.change) +
    text(x + 24, y + 110, kpi.value, 54, { weight: 700 }) +
    text(x + 26, y + 142, p.fit(kpi.sub, 15, w - 52), 15, { fill: C.muted })
  );
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function compact(n: number): string {
  if (n >= 10_000) return `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1).replace(/\.0$/, '')}k`;
  return n.toLocaleString('en-US');
}

/** Messages per day; a day the source does not hold (`held[i]` false) says "no data" instead of showing a zero. */
function perDayChart(x: number, y: number, w: number, h: number, perDay: readonly number[], held: readonly boolean[]): string {
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const top = y + 116;
  const base = y + h - 52;
  const max = Math.max(1, ...perDay);
  const busiest = perDay.indexOf(max);
  const slot = (w - 56) / 7;
  const bw = Math.min(44, slot * 0.62);
  let out = card(x, y, w, h) + cardTitle(x, y, 'Activity per day', held.every(Boolean) ? 'Messages each day of the week' : 'Messages each day the source holds');
  out += `<line x1="${x + 28}" y1="${base}" x2="${x + w - 28}" y2="${base}" stroke="${C.faint}" stroke-width="2"/>`;
  perDay.forEach((n, i) => {
    const cx = x + 28 + slot * i + slot / 2;
    if (!held[i]) {
      out += `<rect x="${(cx - bw / 2).toFixed(1)}" y="${top}" width="${bw.toFixed(1)}" height="${base - top}" rx="8" fill="none" stroke="${C.faint}" stroke-width="2" stroke-dasharray="4 5"/>`;
      out += text(cx, base - 12, 'no data', 12, { anchor: 'middle', fill: C.muted });
      out += text(cx, base + 28, days[i]!, 15, { anchor: 'middle', fill: C.muted });
      return;
    }
    const bh = n === 0 ? 0 : Math.max(6, ((base - top) * n) / max);
    const fill = i === busiest && n > 0 ? 'url(#barHot)' : C.accentSoft;
    if (bh > 0) out += `<rect x="${(cx - bw / 2).toFixed(1)}" y="${(base - bh).toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" rx="8" fill="${fill}"/>`;
    out += text(cx, base - bh - 10, compact(n), 15, { weight: 600, anchor: 'middle', fill: i === busiest && n > 0 ? C.accent : C.muted });
    out += text(cx, base + 28, days[i]!, 15, { weight: i === busiest && n > 0 ? 700 : 400, anchor: 'middle', fill: i === busiest && n > 0 ? C.ink : C.muted });
  });
  return out;
}

/**
 * Messages per week. A week never computed, or one the source does not hold, is a gap in the line, never a zero
 * (the latter labelled "no data"); a partial week is a hollow point off the line, labelled "partial", since its
 * count covers fewer days. The axis has nice integer ticks.
 */
function trendChart(x: number, y: number, w: number, h: number, trend: readonly TrendPoint[], current: WeeklyMetrics): string {
  // The current week comes from `metrics`, even if the trend was loaded before it was stored.
  const points = trend.map((p) => {
    const m = p.week === current.week ? current : p.metrics;
    const status = m ? coverageOf(m) : null;
    return { week: p.week, status, value: m && status !== 'none' ? m.messages : null };
  });
  const left = x + 64;
  const right = x + w - 36;
  const top = y + 116;
  const base = y + h - 52;
  const ticks = niceTicks(Math.max(1, ...points.map((p) => p.value ?? 0)), 5);
  const max = ticks[ticks.length - 1]!;
  const step = points.length > 1 ? (right - left) / (points.length - 1) : 0;
  const px = (i: number) => (points.length > 1 ? left + step * i : (left + right) / 2);
  const py = (v: number) => base - ((base - top) * v) / max;

  let out = card(x, y, w, h) + cardTitle(x, y, points.length > 1 ? `${points.length}-week trend` : 'Weekly trend', 'Messages per week');
  ticks.forEach((v, g) => {
    const gy = py(v);
    out += `<line x1="${left}" y1="${gy.toFixed(1)}" x2="${right}" y2="${gy.toFixed(1)}" stroke="${C.faint}" stroke-width="${g === 0 ? 2 : 1}"${g === 0 ? '' : ' stroke-dasharray="4 6"'}/>`;
    out += text(left - 12, gy + 5, compact(v), 13, { anchor: 'end', fill: C.muted });
  });
  // Runs of whole weeks become line segments.
  const runs: { i: number; v: number }[][] = [];
  let run: { i: number; v: number }[] = [];
  points.forEach((p, i) => {
    if (p.value === null || p.status !== 'full') {
      if (run.length) runs.push(run);
      run = [];
    } else run.push({ i, v: p.value });
  });
  if (run.length) runs.push(run);
  for (const r of runs) {
    const line = r.map((p, k) => `${k ? 'L' : 'M'}${px(p.i).toFixed(1)} ${py(p.v).toFixed(1)}`).join(' ');
    if (r.length > 1) out += `<path d="${line} L${px(r[r.length - 1]!.i).toFixed(1)} ${base} L${px(r[0]!.i).toFixed(1)} ${base} Z" fill="url(#area)"/>`;
    out += `<path d="${line}" fill="none" stroke="${C.accent}" stroke-width="3.5" stroke-linejoin="round" stroke-linecap="round"/>`;
  }
  points.forEach((p, i) => {
    const isCurrent = i === points.length - 1;
    const label = `W${p.week.slice(-2)}`;
    out += text(px(i), base + 28, label, 14, { anchor: 'middle', weight: isCurrent ? 700 : 400, fill: isCurrent ? C.ink : C.muted });
    if (p.status === 'none') out += text(px(i), base - 10, 'no data', 12, { anchor: 'middle', fill: C.muted });
    if (p.value === null) return;
    const cy = py(p.value);
    if (p.status === 'partial') out += text(px(i), cy - 14, 'partial', 12, { anchor: 'middle', fill: C.muted });
    if (isCurrent) {
      out += `<circle cx="${px(i).toFixed(1)}" cy="${cy.toFixed(1)}" r="9" fill="${C.card}" stroke="${C.accent}" stroke-width="4"/>`;
      const tag = compact(p.value);
      const tw = 20 + tag.length * 9.5;
      const tx = Math.min(px(i) - tw / 2, right - tw + 12);
      const ty = p.status === 'partial' ? cy - 66 : cy - 46;
      out += `<rect x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" width="${tw.toFixed(1)}" height="28" rx="8" fill="${C.ink}"/>`;
      out += text(tx + tw / 2, ty + 19, tag, 15, { weight: 700, anchor: 'middle', fill: '#FFFFFF' });
    } else if (p.status === 'partial') {
      out += `<circle cx="${px(i).toFixed(1)}" cy="${cy.toFixed(1)}" r="5" fill="${C.card}" stroke="${C.accent}" stroke-width="2.5"/>`;
    } else {
      out += `<circle cx="${px(i).toFixed(1)}" cy="${cy.toFixed(1)}" r="5" fill="${C.accent}"/>`;
    }
  });
  return out;
}

function contributorsCard(x: number, y: number, w: number, h: number, metrics: WeeklyMetrics, p: Pen): string {
  let out = card(x, y, w, h) + cardTitle(x, y, 'Top contributors', 'Messages this week');
  const rows = metrics.topContributors.slice(0, 5);
  if (rows.length === 0) return out + text(x + 28, y + 130, 'Nobody wrote this week.', 17, { fill: C.muted });
  const max = rows[0]!.messages;
  const barLeft = x + 96;
  const barMax = w - 96 - 90;
  rows.forEach((row, i) => {
    const ry = y + 104 + i * 58;
    const color = AVATAR_COLORS[i % AVATAR_COLORS.length]!;
    out += `<circle cx="${x + 50}" cy="${ry + 22}" r="20" fill="${color}"/>`;
    out += text(x + 50, ry + 28, p.initials(row.peer), 15, { weight: 700, anchor: 'middle', fill: '#FFFFFF' });
    out += text(barLeft, ry + 12, p.fit(p.name(row.peer), 17, barMax), 17, { weight: 600 });
    const bw = Math.max(8, (barMax * row.messages) / max);
    out += `<rect x="${barLeft}" y="${ry + 24}" width="${barMax}" height="10" rx="5" fill="${C.faint}"/>`;
    out += `<rect x="${barLeft}" y="${ry + 24}" width="${bw.toFixed(1)}" height="10" rx="5" fill="${color}"/>`;
    out += text(x + w - 28, ry + 34, compact(row.messages), 18, { weight: 700, anchor: 'end' });
  });
  return out;
}

function hostOf(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, '').replace(/^www\./i, '').split(/[/?#]/)[0] ?? '';
}

/**
 * A demo's name for its link: the first words of its message (links, hashtags and a leading "Name:" left out) up
 * to the first sentence end, colon, dash or emoji. "#demo Shiftly v0 is live 🚑 Post a shift…" → "Shiftly v0 is
 * live", and the rest of the message is its description.
 */
export function demoLabel(text: string): { title: string; rest: string } {
  const body = text
    .replace(/https?:\/\/\S+/gi, ' ')
    .replace(/(^|\s)#[\p{L}\p{N}_]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const stop = /[.!?…](?=\s|$)|\s[—–-]\s|:(?=\s|$)|\n|(?:\p{Extended_Pictographic}|\p{Regional_Indicator})/u.exec(body);
  const title = (stop ? body.slice(0, stop.index) : body).trim();
  const rest = stop ? body.slice(stop.index + stop[0].length).replace(/^[\s\p{Extended_Pictographic}\p{Regional_Indicator}\u{FE0F}\u{200D}:.!?…—–-]+/u, '').trim() : '';
  return title ? { title, rest } : { title: rest, rest: '' };
}

function shippedCard(x: number, y: number, w: number, h: number, metrics: WeeklyMetrics, p: Pen): string {
  const demos = metrics.demos;
  const useDemos = demos.length > 0;
  const items = useDemos ? demos.slice(0, 4) : metrics.mostReacted.slice(0, 4);
  let out = card(x, y, w, h) + cardTitle(x, y, useDemos ? 'Shipped this week' : 'Most reacted', useDemos ? `${demos.length} demo${demos.length === 1 ? '' : 's'}` : 'Messages people loved');
  if (items.length === 0) return out + text(x + 28, y + 130, 'No demos or reactions this week.', 17, { fill: C.muted });
  const inner = w - 84;
  items.forEach((item, i) => {
    const iy = y + 104 + i * 68;
    out += `<rect x="${x + 28}" y="${iy}" width="6" height="50" rx="3" fill="${useDemos ? C.good : C.accent}"/>`;
    const reactions = !useDemos && 'reactions' in item ? `${item.reactions} reactions` : '';
    const reactionsW = reactions ? textWidth(reactions, 14, 600) + 16 : 0;
    const name = p.fit(p.name(item.sender), 16, useDemos ? inner * 0.45 : inner - reactionsW, 700);
    // Split before emoji are taken out: an emoji often ends a demo's name ("Shiftly v0 is live 🚑 Post a shift…").
    const split = demoLabel(item.text);
    const title = p.clean(split.title);
    const rest = p.clean(split.rest);
    const host = item.link ? hostOf(item.link) : '';
    // The demo's own words name its link; the bare domain only when the message has no words.
    const label = useDemos ? p.fit(title || host, 16, inner - textWidth(name, 16, 700) - 12, 600) : '';
    out += `<text x="${x + 48}" y="${iy + 18}" font-family="Inter" font-size="16"><tspan font-weight="700" fill="${C.ink}">${esc(name)}</tspan>${
      label ? `<tspan font-weight="600" fill="${C.accent}" dx="8">${esc(label)}</tspan>` : ''
    }</text>`;
    const body = useDemos ? (rest || (title && host ? host : '')) : p.clean(item.text.replace(/https?:\/\/\S+/g, ' '));
    out += text(x + 48, iy + 44, p.fit(body || host || '(media)', 15, inner), 15, { fill: C.muted });
    if (reactions) out += text(x + w - 28, iy + 18, reactions, 14, { weight: 600, anchor: 'end', fill: C.accent });
  });
  if (useDemos && demos.length > items.length) out += text(x + w - 28, y + 44, `+ ${demos.length - items.length} more`, 15, { weight: 600, anchor: 'end', fill: C.accent });
  return out;
}

/** The card shown instead of the numbers for a week the source does not hold: zeros there would read as a quiet week. */
function noDataCard(x: number, y: number, w: number, h: number, m: WeeklyMetrics, p: Pen): string {
  const span = describeSpan(m);
  return (
    card(x, y, w, h) +
    text(x + 40, y + 88, 'No data for this week', 44, { weight: 700 }) +
    text(x + 40, y + 136, p.fit(span ? `The source holds ${span}; nothing from ${formatWeekSpan(m.week, m.zone)}.` : `The source holds nothing from ${formatWeekSpan(m.week, m.zone)}.`, 20, w - 80), 20, { fill: C.muted }) +
    text(x + 40, y + 172, 'This is not a quiet week: nothing is known about it, so there are no numbers and no comparison.', 17, { fill: C.muted }) +
    text(x + 40, y + 204, p.fit('Recap a week the source holds, or run the recap again on a newer export.', 17, w - 80), 17, { fill: C.muted })
  );
}

/**
 * The week's infographic as an SVG string: key numbers with their change against last week, activity per day, the
 * trend of the last weeks, top contributors and what shipped. Text uses the `Inter` family: render it with
 * `renderInfographicPng`, which loads the shipped fonts.
 */
export function renderInfographicSvg(input: InfographicInput): string {
  const { metrics: m, trend } = input;
  const p = pen(input.allScripts ?? false);
  const earlier = trend.filter((p) => p.week < m.week).map((p) => p.metrics);
  const changes = new Map(compareWeeks(m, earlier).map((c) => [c.key, c]));
  const H = INFOGRAPHIC_HEIGHT;
  const status = hasData(m) ? coverageOf(m) : 'none';

  const share = m.activeShare !== null ? `${Math.round(m.activeShare * 100)}% of ${m.memberCount}` : 'member count unknown';
  const moves = [m.newMembers ? `${m.newMembers} joined` : '', m.departedMembers ? `${m.departedMembers} left` : ''].filter(Boolean);
  const joins = moves.length ? ` · ${moves.join(' · ')}` : '';
  const unanswered = m.questions.asked - m.questions.answered;
  // A record from before blocker statuses were stored knows only whether someone replied.
  const stuck = m.blockers.filter((b) => (b.status ?? (b.replied ? 'answered' : 'open')) === 'open').length;
  // Decisions have no card of their own (two rows of three): they join the conversation numbers, and the threads
  // give way when the line would not fit. A week stored before decisions were detected says nothing about them; a
  // week without any says 0, as the other numbers do.
  const talk = [`${compact(m.replies)} replies`, `${compact(m.threadsStarted)} threads`];
  if (m.decisions) {
    const decided = plural(m.decisions.length, 'decision', 'decisions');
    if (textWidth([...talk, decided].join(' · '), 15) > (W - 2 * M - 2 * GAP) / 3 - 52) talk.pop();
    talk.push(decided);
  }
  const kpis: Kpi[] = [
    { label: 'Messages', value: compact(m.messages), sub: talk.join(' · '), change: changes.get('messages') },
    { label: 'Active members', value: compact(m.activeMembers), sub: `${share}${joins}`, change: changes.get('activeMembers') },
    { label: 'Demos shipped', value: compact(m.demos.length), sub: m.demos.length ? `by ${plural(new Set(m.demos.map((d) => d.sender?.id)).size, 'person', 'people')}` : 'nothing shipped yet', change: changes.get('demos') },
    {
      label: 'Questions answered',
      value: m.questions.asked ? `${m.questions.answered}/${m.questions.asked}` : '0',
      sub: m.questions.asked ? (unanswered ? `${unanswered} still open` : 'every question answered') : 'no questions asked',
      change: changes.get('questionsAnswered'),
    },
    { label: 'Median first reply', value: formatDuration(m.medianFirstReplySeconds), sub: 'from question or new topic', change: changes.get('medianFirstReplySeconds') },
    { label: 'Blockers raised', value: compact(m.blockers.length), sub: m.blockers.length ? (stuck ? `${stuck} without a reply` : 'all got a reply') : 'nobody stuck', change: changes.get('blockers') },
  ];

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`);
  parts.push(`<defs>
  <linearGradient id="header" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#4B3FD8"/><stop offset="1" stop-color="#8A4FE0"/></linearGradient>
  <linearGradient id="area" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${C.accent}" stop-opacity="0.28"/><stop offset="1" stop-color="${C.accent}" stop-opacity="0.02"/></linearGradient>
  <linearGradient id="barHot" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#7A6CF5"/><stop offset="1" stop-color="${C.accent}"/></linearGradient>
</defs>`);
  parts.push(`<rect width="${W}" height="${H}" fill="${C.bg}"/>`);

  // Header band.
  parts.push(`<rect width="${W}" height="232" fill="url(#header)"/>`);
  parts.push(`<circle cx="${W - 90}" cy="-20" r="190" fill="#FFFFFF" fill-opacity="0.06"/><circle cx="${W - 20}" cy="200" r="120" fill="#FFFFFF" fill-opacity="0.05"/>`);
  parts.push(text(M, 78, 'WEEKLY COHORT RECAP', 16, { weight: 700, fill: '#FFFFFF', spacing: 3 }));
  parts.push(text(M, 134, p.fit(input.title, 46, W - 2 * M - 40, 700), 46, { weight: 700, fill: '#FFFFFF' }));
  // No change chips against a week without data (never "−100%"): the header says why they are missing.
  const why = changes.get('messages')?.notCompared;
  const unmatched = why === 'previous week had no data' ? ' · last week: no data, not compared' : why === 'previous week was partial' ? ' · last week partial, not compared' : '';
  parts.push(text(M, 178, `${m.week} · ${formatWeekSpan(m.week, m.zone)} · ${m.zone}${unmatched}`, 20, { fill: '#FFFFFF' }).replace('<text ', '<text fill-opacity="0.85" '));
  const note = describeCoverage(m);
  if (note && status === 'partial') {
    // A partial week says so where the eye lands first, beside the dates.
    const label = `${note[0]!.toUpperCase()}${note.slice(1)}`;
    const lw = textWidth(label, 16, 700) + 32;
    const lx = W - M - lw;
    parts.push(`<rect x="${lx.toFixed(1)}" y="154" width="${lw.toFixed(1)}" height="34" rx="17" fill="#FFF4D6"/>`);
    parts.push(text(lx + 16, 177, label, 16, { weight: 700, fill: '#8A5A00' }));
  }

  const kw = (W - 2 * M - 2 * GAP) / 3;
  const kh = 168;
  const ky = 200;
  const cw = (W - 2 * M - GAP) / 2;
  const cy = ky + 2 * kh + 2 * GAP;
  const ch = 360;
  const trendPoints = trend.length ? trend : [{ week: m.week, metrics: m }];
  if (status === 'none') {
    // No numbers at all: the message, then the trend, which shows where the source does have data.
    const nh = 250;
    parts.push(noDataCard(M, ky, W - 2 * M, nh, m, p));
    parts.push(trendChart(M, ky + nh + GAP, W - 2 * M, H - ky - nh - GAP - 72, trendPoints, m));
  } else {
    // Key numbers: two rows of three cards, overlapping the header a little.
    kpis.forEach((k, i) => parts.push(kpiCard(M + (i % 3) * (kw + GAP), ky + Math.floor(i / 3) * (kh + GAP), kw, kh, k, p)));
    parts.push(perDayChart(M, cy, cw, ch, m.perDay, m.coverage?.days ?? [true, true, true, true, true, true, true]));
    parts.push(trendChart(M + cw + GAP, cy, cw, ch, trendPoints, m));
    // People and what they shipped.
    const py = cy + ch + GAP;
    const ph = H - py - 72;
    parts.push(contributorsCard(M, py, cw, ph, m, p));
    parts.push(shippedCard(M + cw + GAP, py, cw, ph, m, p));
  }

  // Only what was really left out: bots when there were bot messages (configured or flagged), service messages always.
  const excluded = m.botMessages ? 'Bot and service messages not counted' : 'Service messages not counted';
  parts.push(text(M, H - 30, status === 'none' ? `Days in ${m.zone}` : `${excluded} · days in ${m.zone}`, 15, { fill: C.muted }));
  parts.push(text(W - M, H - 30, 'tgpulse', 15, { weight: 700, anchor: 'end', fill: C.accent }));
  parts.push('</svg>');
  return parts.join('\n');
}

/** The folder of the shipped fonts: `assets/fonts` at the repository root, found from here (src or dist). */
export function shippedFontDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'assets', 'fonts');
    if (existsSync(join(candidate, FONT_FILES[0]!))) return candidate;
    dir = dirname(dir);
  }
  throw new BadInputError('the infographic fonts are missing (assets/fonts/Inter-*.ttf)', 'reinstall tgpulse: the fonts ship in assets/fonts');
}

export interface PngOptions {
  /** Pixels per SVG unit: 1 gives 1200 px wide, 2 (default) gives a sharp 2400 px picture for phones. */
  scale?: number;
  /** Fonts loaded after the shipped Inter, as fallbacks for scripts it lacks (e.g. a CJK font); see `allScripts`. */
  extraFontFiles?: string[];
}

/** Renders an infographic SVG to PNG without a browser, with the shipped fonts only (no system fonts). */
export function renderInfographicPng(svg: string, options: PngOptions = {}): Buffer {
  const scale = options.scale ?? 2;
  if (!(scale > 0 && scale <= 4)) throw new BadInputError(`bad infographic scale ${scale}`, 'use a scale between 0 and 4, e.g. 1 or 2');
  const fontFiles = [...FONT_FILES.map((f) => join(shippedFontDir(), f)), ...(options.extraFontFiles ?? [])];
  for (const file of fontFiles) if (!existsSync(file)) throw new BadInputError(`font file ${file} does not exist`, 'pass paths of .ttf or .otf files');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: 'Inter' },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
