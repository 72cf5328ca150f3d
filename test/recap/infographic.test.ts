import type { WeeklyMetrics } from '../../src/domain';
import { BadInputError } from '../../src/domain';
import { computeWeeklyMetrics, INFOGRAPHIC_HEIGHT, INFOGRAPHIC_WIDTH, renderInfographicPng, renderInfographicSvg, weeksEndingAt } from '../../src/recap';
import { handBuiltWeek } from './fixtures';

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
  expect(renderInfographicSvg({ metrics: m, title: 'T', trend: [], allScripts: true })).toContain('王小明');
});

test('bad render options are refused', () => {
  expect(() => renderInfographicPng(svg, { scale: 0 })).toThrow(BadInputError);
  expect(() => renderInfographicPng(svg, { extraFontFiles: ['/nonexistent/font.ttf'] })).toThrow(/font file \/nonexistent\/font.ttf does not exist/);
});
