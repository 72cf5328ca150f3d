import type { ChatInfo, WeeklyMetrics } from '../../src/domain';
import { renderMarkdown as formatRecapMarkdown, renderTelegramText, splitForTelegram } from '../../src/deliver';
import { buildRecapDigest, computeWeeklyMetrics } from '../../src/recap';

const LIMIT = 4096;
import { CHAT_ID, handBuiltWeek } from './fixtures';

const chat: ChatInfo = { id: CHAT_ID, title: 'Founders Autumn', type: 'private_supergroup' };
let metrics: WeeklyMetrics;

beforeAll(async () => {
  metrics = await computeWeeklyMetrics(handBuiltWeek(), { week: '2026-W43', zone: 'Europe/Berlin', memberCount: 20 });
});

test('the digest has highlights, demos, blockers, open questions and shout-outs, each point with its messages', () => {
  const recap = buildRecapDigest(metrics, chat, [{ ...metrics, week: '2026-W42', messages: 10 }]);
  expect(recap.title).toBe('Weekly recap · Founders Autumn · 2026-W43 (19–25 Oct 2026)');
  expect(recap.model).toBe('digest');
  expect(recap.sections.map((s) => s.heading)).toEqual(['Highlights', 'Demos', 'Blockers', 'Open questions', 'Shout-outs']);
  const [highlights, demos, blockers, open, shoutOuts] = recap.sections;
  expect(highlights!.points.map((p) => p.text)).toEqual(
    expect.arrayContaining([
      '12 messages (+20% vs last week) from 5 active members (25% of 20).',
      '2 of 3 questions answered; median first reply 30 min.',
      '1 blocker raised, 1 still without a reply.',
      '2 new members joined, 1 left.',
      'Busiest day: Monday (4 messages).',
    ]),
  );
  expect(demos!.points).toEqual([
    { text: 'Dave Diaz: #demo my bot is live https://demo.vercel.app', messageIds: [104] },
    { text: 'Dave Diaz: Shipped the landing page https://landing.netlify.app', messageIds: [113] },
  ]);
  expect(blockers!.points).toEqual([{ text: "Bob Brown: I'm stuck on the Stripe webhook (still open: no reply for 5 d 11 h)", messageIds: [105] }]);
  expect(open!.points).toEqual([{ text: 'Карина Смирнова: какой тариф выбрать для деплоя (no reply for 4 d 14 h)', messageIds: [107] }]);
  expect(shoutOuts!.points.map((p) => p.text)).toContain('Alice Archer answered 1 question.');
});

test('Markdown links every point to its message in the group', () => {
  const md = formatRecapMarkdown(buildRecapDigest(metrics, chat), chat);
  expect(md).toContain(`- Bob Brown: I'm stuck on the Stripe webhook (still open: no reply for 5 d 11 h) ([link](https://t.me/c/${CHAT_ID}/105))`);
  expect(md).toContain('## Open questions');
  // Member text cannot inject Markdown.
  const tricky = { ...metrics, blockers: [{ ...metrics.blockers[0]!, text: 'see [this](http://x) *now*' }] };
  expect(formatRecapMarkdown(buildRecapDigest(tricky, chat), chat)).toContain('see \\[this\\](http://x) \\*now\\*');
});

test('ids the history does not have get no link', () => {
  const md = formatRecapMarkdown(buildRecapDigest(metrics, chat), chat, { knownIds: new Set([104]) });
  expect(md).toContain(`https://t.me/c/${CHAT_ID}/104`);
  expect(md).not.toContain(`https://t.me/c/${CHAT_ID}/105`);
});

test('basic groups have no message links, and the recap still reads', () => {
  const text = renderTelegramText(buildRecapDigest(metrics, chat), { id: 5, type: 'private_group' }, { limit: LIMIT }).join('\n');
  expect(text).not.toContain('t.me');
  expect(text).toContain('BLOCKERS\n• Bob Brown: I\'m stuck on the Stripe webhook (still open: no reply for 5 d 11 h)');
});

test('Telegram text is plain with bare links and fits one message when short', () => {
  const parts = renderTelegramText(buildRecapDigest(metrics, chat), chat, { limit: LIMIT });
  expect(parts).toHaveLength(1);
  expect(parts[0]).toContain(`• Dave Diaz: #demo my bot is live https://demo.vercel.app https://t.me/c/${CHAT_ID}/104`);
});

test('a long recap is split under 4096 characters at line ends, losing nothing', () => {
  const many = Array.from({ length: 60 }, (_, i) => ({ ...metrics.demos[0]!, messageId: 1000 + i, text: `demo number ${i} `.repeat(12).trim() }));
  const recap = buildRecapDigest({ ...metrics, demos: many, questions: { ...metrics.questions, open: many } }, chat);
  const parts = renderTelegramText(recap, chat, { limit: 1000 });
  expect(parts.length).toBeGreaterThan(1);
  for (const part of parts) expect(part.length).toBeLessThanOrEqual(1000);
  expect(parts.join('\n')).toContain('…and 52 more');
  for (const part of parts) expect(part.startsWith('•') || /^[A-Z]/.test(part)).toBe(true);
});

test('splitting never breaks an emoji, even in a line longer than the limit', () => {
  const text = '😀'.repeat(3000);
  const parts = splitForTelegram(text, 4095);
  expect(parts.join('')).toBe(text);
  for (const part of parts) expect(part.length).toBeLessThanOrEqual(4095);
});
