import type { ChatMessage, Peer, WeeklyMetrics } from '../../src/domain';
import { BadInputError } from '../../src/domain';
import { computeWeeklyMetrics, fitText, INFOGRAPHIC_HEIGHT, INFOGRAPHIC_WIDTH, niceTicks, renderInfographicPng, renderInfographicSvg, textWidth, weeksEndingAt } from '../../src/recap';
import { alice, bob, handBuiltWeek } from './fixtures';

let metrics: WeeklyMetrics;
let svg: string;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

beforeAll(async () => {
  metrics = await computeWeeklyMetrics(handBuiltWeek(), { week: '2026-W43', zone: 'Europe/Berlin', memberCount: 20 });
  const trend = weeksEndingAt('2026-W43', 8).map((week, i) => ({ week, metrics: i === 6 ? { ...metrics, week, messages: 10 } : week === '2026-W43' ? metrics : null }));
  svg = renderInfographicSvg({ metrics, title: 'Founders <Autumn> & friends', trend });
});

test('the SVG shows the key numbers, the change against last week and the people', () => {
  expect(svg).toContain('>12</text>'); // messages
  expect(svg).toContain('>5</text>'); // active members
  expect(svg).toContain('25% of 20 · 2 joined · 1 left');
  expect(svg).toContain('>2/3</text>'); // questions answered
  expect(svg).toContain('>30 min</text>'); // median first reply
  expect(svg).toContain('>+20%</text>'); // messages vs the week before
  expect(svg).toContain('Alice Archer');
  expect(svg).toContain('Карина Смирнова');
  expect(svg).toContain('2026-W43 · 19–25 Oct 2026 · Europe/Berlin');
  for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']) expect(svg).toContain(`>${day}</text>`);
  for (const w of ['W36', 'W42', 'W43']) expect(svg).toContain(`>${w}</text>`);
});

test('text from the chat is escaped, so a title cannot break the SVG', () => {
  expect(svg).toContain('Founders &lt;Autumn&gt; &amp; friends');
  expect(svg).not.toContain('<Autumn>');
});

test('the PNG renders at the expected size with the shipped fonts', () => {
  expect(pngSize(renderInfographicPng(svg, { scale: 1 }))).toEqual({ width: INFOGRAPHIC_WIDTH, height: INFOGRAPHIC_HEIGHT });
  expect(pngSize(renderInfographicPng(svg))).toEqual({ width: 2 * INFOGRAPHIC_WIDTH, height: 2 * INFOGRAPHIC_HEIGHT });
});

test('an empty week still renders', async () => {
  const empty = await computeWeeklyMetrics([], { week: '2026-W43', zone: 'Europe/Berlin', chatId: 1 });
  const emptySvg = renderInfographicSvg({ metrics: empty, title: 'Quiet', trend: [] });
  expect(emptySvg).toContain('Nobody wrote this week.');
  expect(emptySvg).not.toMatch(/NaN|undefined|Infinity/);
  expect(pngSize(renderInfographicPng(emptySvg, { scale: 1 })).width).toBe(INFOGRAPHIC_WIDTH);
});

test('names the shipped font cannot draw are left out rather than drawn as boxes', async () => {
  const week = handBuiltWeek().map((m) => (m.sender?.id === 'user1' ? { ...m, sender: { id: 'user1', name: '王小明 🚀', username: 'xiaoming' } } : m));
  const m = await computeWeeklyMetrics(week, { week: '2026-W43', zone: 'Europe/Berlin' });
  const out = renderInfographicSvg({ metrics: m, title: 'T', trend: [] });
  expect(out).not.toContain('王');
  expect(out).toContain('@xiaoming');
  const all = renderInfographicSvg({ metrics: m, title: 'T', trend: [], allScripts: true });
  expect(all).toContain('>王小明</text>');
  expect(all).not.toContain('🚀'); // resvg draws no colour emoji, whatever fonts are loaded
});

test('bad render options are refused', () => {
  expect(() => renderInfographicPng(svg, { scale: 0 })).toThrow(BadInputError);
  expect(() => renderInfographicPng(svg, { extraFontFiles: ['/nonexistent/font.ttf'] })).toThrow(/font file \/nonexistent\/font.ttf does not exist/);
});

describe('what the card shows', () => {
  const zone = 'Europe/Berlin';
  const at = (id: number, sender: Peer, text: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({ id, chatId: 1, date: `2026-10-2${id % 5}T10:00:${String(id).padStart(2, '0')}Z`, sender, text, reactions: [], ...extra });
  const textsOf = (out: string) => [...out.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

  test('axis ticks are 1, 2 or 5 × 10ⁿ steps, integers for counts', () => {
    expect(niceTicks(470)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(niceTicks(183)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(12_345)).toEqual([0, 5000, 10_000, 15_000]);
    const trend = weeksEndingAt('2026-W43', 8).map((week, i) => ({ week, metrics: { ...metrics, week, messages: [180, 240, 310, 290, 360, 420, 390, 470][i]! } }));
    const out = renderInfographicSvg({ metrics: { ...metrics, messages: 470 }, title: 'T', trend });
    const ticks = [...out.matchAll(/<text [^>]*font-size="13"[^>]*text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['0', '100', '200', '300', '400', '500']);
    expect(out).not.toMatch(/>\d+\.\d+<\/text>/);
  });

  test('a demo is named by its own first words (not its domain), listed once, and emoji go without leaving double spaces', async () => {
    const m = await computeWeeklyMetrics(
      [
        at(1, alice, '#demo Shiftly v0 is live 🚑 Post a shift you can’t work → nurses get a ping 🎉. Try it: https://shiftly.app'),
        at(2, alice, '#demo Shiftly v0 is live 🚑 Post a shift you can’t work → nurses get a ping 🎉. Try it: https://shiftly.app'),
        at(3, bob, 'shipped https://www.producthunt.com/posts/focusly'),
      ],
      { week: '2026-W43', zone },
    );
    expect(m.demos).toHaveLength(2);
    const out = renderInfographicSvg({ metrics: m, title: 'Cohort 🚀 Seven', trend: [] });
    expect(out).toContain('>Shiftly v0 is live</tspan>');
    expect(out).toContain('>Post a shift you can’t work → nurses get a ping. Try it:</text>');
    expect(out).not.toContain('>shiftly.app</tspan>');
    expect(out.match(/Shiftly v0 is live/g)).toHaveLength(1);
    // A message of one word: that word names the demo, its domain is the line under it.
    expect(out).toContain('>shipped</tspan>');
    expect(out).toContain('>producthunt.com</text>');
    expect(out).toContain('>Cohort Seven</text>');
    for (const t of [...textsOf(out), ...[...out.matchAll(/<tspan [^>]*>([^<]*)<\/tspan>/g)].map((x) => x[1]!)]) {
      expect(t).not.toMatch(/ {2}|^ | $| [.,!?]/);
      expect(t).not.toMatch(/\p{Extended_Pictographic}/u);
    }
  });

  test('long texts are cut at a word with an ellipsis, within the width', () => {
    const line = 'Drop in your PDFs, ask a question, get an answer with the paper and page cited';
    const cut = fitText(line, 15, 300);
    expect(cut).toMatch(/^Drop in your PDFs, ask a question, get\b.*…$/);
    expect(line.startsWith(cut.slice(0, -1))).toBe(true);
    expect(line[cut.length - 1]).toBe(' '); // the cut fell between words
    expect(textWidth(cut, 15)).toBeLessThanOrEqual(300);
    expect(fitText('short', 15, 300)).toBe('short');
  });

  test('the footer says bots were not counted only when bot messages were left out', async () => {
    const plain = await computeWeeklyMetrics([at(1, alice, 'hi'), at(2, bob, 'hello')], { week: '2026-W43', zone });
    expect(renderInfographicSvg({ metrics: plain, title: 'T', trend: [] })).toContain('>Service messages not counted · days in Europe/Berlin</text>');
    const bots = await computeWeeklyMetrics([at(1, alice, 'hi'), at(2, { id: 'user9', name: 'Check-in', username: 'checkin_bot' }, 'daily check-in')], { week: '2026-W43', zone });
    expect(renderInfographicSvg({ metrics: bots, title: 'T', trend: [] })).toContain('>Bot and service messages not counted · days in Europe/Berlin</text>');
  });

  test('a week the source does not hold shows "no data", not zeros, and the trend has a gap labelled so', async () => {
    const span = { first: '2026-10-05T08:00:00Z', last: '2026-10-18T20:00:00Z' };
    const before = await computeWeeklyMetrics([at(1, alice, 'hi')].map((x) => ({ ...x, date: '2026-10-14T10:00:00Z' })), { week: '2026-W42', zone, span });
    const none = await computeWeeklyMetrics([], { week: '2026-W43', zone, span, chatId: 1 });
    const out = renderInfographicSvg({ metrics: none, title: 'T', trend: [{ week: '2026-W42', metrics: before }, { week: '2026-W43', metrics: none }] });
    const texts = textsOf(out);
    expect(texts).toContain('No data for this week');
    expect(texts).toContain('The source holds 5 Oct 2026 – 18 Oct 2026; nothing from 19–25 Oct 2026.');
    expect(texts).toContain('no data');
    expect(texts).not.toContain('MESSAGES');
    expect(texts).not.toContain('0/0');
    expect(out).not.toMatch(/−100%|Nobody wrote/);
    expect(pngSize(renderInfographicPng(out, { scale: 1 })).width).toBe(INFOGRAPHIC_WIDTH);
  });

  test('a partial week says which days it holds, marks the others "no data", and shows no change chips', async () => {
    const span = { first: '2026-10-01T08:00:00Z', last: '2026-10-20T09:00:00Z' };
    const week = handBuiltWeek().filter((x) => Date.parse(x.date) <= Date.parse(span.last));
    const partial = await computeWeeklyMetrics(week, { week: '2026-W43', zone, span });
    const out = renderInfographicSvg({ metrics: partial, title: 'T', trend: [{ week: '2026-W42', metrics: { ...metrics, week: '2026-W42', messages: 10 } }, { week: '2026-W43', metrics: partial }] });
    const texts = textsOf(out);
    expect(texts).toContain('Partial week: data up to Tue 20 Oct');
    expect(texts.filter((t) => t === 'no data')).toHaveLength(5); // Wednesday to Sunday
    expect(texts).toContain('partial'); // the trend's point
    expect(out).not.toMatch(/>[+−]\d+%<\/text>/);
  });
});
