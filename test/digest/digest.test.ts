import { buildDigest } from '../../src/digest';
import { BadInputError, type ChatMessage, type Summary } from '../../src/domain';
import { asAsync, msg, testChat } from '../support/messages';

const history: ChatMessage[] = [
  msg(1, 'user1', 'Kickoff! Post your demos here'),
  msg(2, 'user2', 'How do I deploy the API to Fly?'),
  msg(3, 'user3', 'fly deploy, then set secrets', { replyToId: 2 }),
  msg(4, 'user1', 'Anyone tried Temporal schedules?'),
  msg(5, 'user4', 'Shipped my demo today https://dana.vercel.app', { reactions: [{ emoji: '🔥', count: 5 }, { emoji: '👏', count: 2 }] }),
  msg(6, 'user2', 'congrats!', { replyToId: 5 }),
  msg(7, 'user3', 'nice one', { replyToId: 5 }),
  msg(8, 'user4', 'thanks', { replyToId: 6 }),
  msg(9, 'user2', 'Where is the recording of Monday?'),
  msg(10, 'user2', 'bump, anyone?', { replyToId: 9 }), // a reply by the asker does not answer the question
  msg(11, 'user1', 'ok', { reactions: [{ emoji: '👍', count: 1 }] }),
  msg(12, 'user5', '', { service: { action: 'join_group_by_link' }, sender: { id: 'user5', name: 'Eve' } }),
  msg(13, 'user3', 'Can confirm, previews work now'),
  msg(14, 'user1', 'wow, in two weeks?', { replyToId: 5 }),
  msg(15, 'bot9', 'Daily check-in: what are you working on today?', { sender: { id: 'bot9', name: 'Cohort Bot' } }),
  msg(16, 'user3', "I'm stuck on the Stripe webhook: signatures never match"),
  msg(17, 'user1', "Decision: we'll use Fly for every demo app"),
  msg(18, 'user9', 'Any idea how the leaderboard counts?', { sender: { id: 'user9', name: 'Jane Abbot' } }),
];
const section = (s: Summary, h: string) => s.sections.find((x) => x.heading === h)?.points ?? [];
const texts = (s: Summary, h: string) => section(s, h).map((p) => p.text);

test('the digest counts exactly, lists what carries weight, and leaves the bot out', async () => {
  const summary = await buildDigest(testChat, () => asAsync(history));
  expect(summary.model).toBe('digest');
  // 17 ordinary messages; the bot's is one of them, but the bot is not one of the 5 people (Jane Abbot is).
  expect(summary.stats).toMatchObject({ messages: 17, participants: 5 });
  expect(summary.sections.map((s) => s.heading)).toEqual(['At a glance', 'What people talked about', 'Demos', 'Blockers', 'Decisions', 'Open questions', 'Most active members']);
  const glance = texts(summary, 'At a glance');
  // All within one day: no "between 2026-11-02 and 2026-11-02 (about 17 a day)".
  expect(glance[0]).toBe('17 messages from 5 people and 1 bot on 2026-11-02');
  expect(glance[1]).toBe('5 replies; 4 questions asked to the group, 3 still without a reply');
  expect(glance[2]).toBe('1 demo, 1 blocker (1 still without a reply), 1 decision');
  expect(glance[3]).toBe('1 joined, 0 left or were removed');

  expect(texts(summary, 'Most active members')).toEqual(['Ana: 5 messages', 'Boris: 4 messages', 'Chen: 4 messages', 'Dana: 2 messages', 'Jane Abbot: 1 message']);
  expect(section(summary, 'Demos')).toEqual([{ text: 'Dana: “Shipped my demo today https://dana.vercel.app” (7 reactions, 3 replies from 3 people)', messageIds: [5] }]);
  expect(section(summary, 'Blockers')).toEqual([{ text: "Chen: “I'm stuck on the Stripe webhook: signatures never match” (still open: no reply for 2 minutes)", messageIds: [16] }]);
  expect(section(summary, 'Decisions')[0]!.messageIds).toEqual([17]);

  // Top-level questions nobody else answered: not the answered one (2), not a statement opening with "Can" (13), not a
  // rhetorical reply (14), not the bot's check-in (15); a bump by the asker (10) answers nothing. The oldest has
  // waited longest and comes first, the newest last, not the other way round.
  const open = section(summary, 'Open questions');
  expect(open.map((p) => p.messageIds[0])).toEqual([4, 9, 18]);
  expect(open[0]!.text).toBe('Ana: “Anyone tried Temporal schedules?” (no reply for 14 minutes)');

  // Two conversations: the burst of top-level messages a minute apart (from the kickoff on), and the demo's thread.
  const threads = section(summary, 'What people talked about');
  expect(threads.map((p) => p.messageIds[0])).toEqual([1, 5]);
  expect(threads[1]!.text).toMatch(/: 5 messages from 4 people, on 2026-11-02; started by Dana: “Shipped my demo today/);
});

test('how long a question waited is measured to the end of the range passed in, not to the wall clock', async () => {
  const summary = await buildDigest(testChat, () => asAsync(history), { now: '2026-11-09T09:04:00Z' });
  expect(section(summary, 'Open questions')[0]!.text).toBe('Ana: “Anyone tried Temporal schedules?” (no reply for 7 days)');
});

test('configured bot ids and detector rules are honoured', async () => {
  const summary = await buildDigest(testChat, () => asAsync(history), { botIds: ['user9'], detectors: { useDefaults: false, decision: { hashtags: ['#decided'] } } });
  expect(summary.stats.participants).toBe(4);
  expect(texts(summary, 'Most active members').join('\n')).not.toMatch(/Jane Abbot/);
  expect(section(summary, 'Decisions')).toEqual([]);
  // A question mark still makes a question without the defaults, but a bot's post is never one.
  expect(section(summary, 'Open questions').map((p) => p.messageIds[0])).toEqual([4, 9]);
});

test('main threads are named by keyphrases in any language, without stop words', async () => {
  const at = (i: number) => new Date(Date.UTC(2026, 10, 2, 9, 0) + i * 3_600_000).toISOString();
  const thread = (root: number, from: string[], lines: string[]): ChatMessage[] =>
    lines.map((text, i) => msg(root + i, from[i % from.length]!, text, { date: at(root + i), ...(i ? { replyToId: root } : {}) }));
  const chat = [
    ...thread(1, ['user1', 'user2', 'user3'], [
      'How do you handle Postgres connection pooling on serverless functions?',
      'The Supabase pooler in transaction mode fixed connection pooling for me',
      'Connection pooling with PgBouncer works, but prepared statements break',
      'pooler it is, thanks for the connection pooling tips',
    ]),
    ...thread(20, ['user2', 'user4'], [
      'Как вы настраиваете вебхуки для Telegram бота на Cloudflare Workers?',
      'Вебхуки на Cloudflare Workers работают отлично и бесплатно',
      'Я тоже держу вебхуки на Workers, деплой за минуту',
    ]),
    ...thread(40, ['user3', 'user1'], ['東京でデータベースの移行をしています', 'データベースの移行は週末に終わりますか', 'はい、データベースの移行は日曜日です']),
  ];
  const summary = await buildDigest(testChat, () => asAsync(chat));
  const topics = new Map(section(summary, 'What people talked about').map((p) => [p.messageIds[0], p.text.slice(0, p.text.indexOf(':')).split(' · ')]));
  expect(topics.get(1)).toContain('connection pooling');
  expect(topics.get(20)!.join(' ')).toMatch(/вебхук|cloudflare workers/);
  expect(topics.get(40)!.join(' ')).toMatch(/データベース/);
  for (const words of topics.values()) for (const w of words) expect(['the', 'for', 'и', 'на', 'の', 'は', 'thanks']).not.toContain(w);
});

test('in a chat where nobody uses replies, bursts of conversation are the threads, each named by its own words', async () => {
  const at = (hour: number, minute: number) => new Date(Date.UTC(2026, 10, 2, hour, minute)).toISOString();
  const lines = (hour: number, from: string[], texts: string[]) => texts.map((text, i) => ({ hour, minute: i * 3, from: from[i % from.length]!, text }));
  const chat = [
    ...lines(9, ['user1', 'user2', 'user3'], ['Stripe Connect payouts for the marketplace, Express or Standard?', 'Express payouts, Stripe hosts onboarding', 'Standard means you handle payouts disputes', 'Express payouts it is']),
    ...lines(15, ['user2', 'user4'], ['Kanji flashcards need stroke order animations', 'KanjiVG has stroke order data for every kanji', 'stroke order animations from KanjiVG look great']),
  ].map((l, i) => msg(i + 1, l.from, l.text, { date: at(l.hour, l.minute) }));
  const summary = await buildDigest(testChat, () => asAsync(chat));
  const threads = section(summary, 'What people talked about');
  expect(threads.map((p) => p.messageIds[0])).toEqual([1, 5]);
  expect(threads[0]!.text).toMatch(/payouts/);
  expect(threads[0]!.text).toMatch(/: 4 messages from 3 people, on 2026-11-02; started by Ana/);
  expect(threads[1]!.text).toMatch(/stroke order|kanji/);
  expect(threads[1]!.text).not.toMatch(/payouts/);
});

test('a range of a few hours reads as one day, replies agree in number', async () => {
  const short = [msg(1, 'user1', 'Anyone up for a call?', { date: '2022-09-16T08:00:00Z' }), msg(2, 'user2', 'me', { date: '2022-09-16T13:10:00Z', replyToId: 1 })];
  const summary = await buildDigest(testChat, () => asAsync(short));
  expect(texts(summary, 'At a glance').slice(0, 2)).toEqual(['2 messages from 2 people on 2022-09-16, over 5 hours', '1 reply; 1 question asked to the group, answered']);
});

test('a blocker asked as a question is listed once, as a blocker', async () => {
  const stuck = [msg(1, 'user1', 'Stuck on the Fly deploy: the health check times out, any idea?'), msg(2, 'user2', 'Where are the slides?')];
  const summary = await buildDigest(testChat, () => asAsync(stuck));
  expect(section(summary, 'Blockers').map((p) => p.messageIds[0])).toEqual([1]);
  expect(section(summary, 'Open questions').map((p) => p.messageIds[0])).toEqual([2]);
  expect(texts(summary, 'At a glance')[1]).toBe('0 replies; 2 questions asked to the group, 2 still without a reply');
});

test('bad settings are refused before the history is read, saying what to pass', async () => {
  let reads = 0;
  const counted = () => {
    reads++;
    return asAsync(history);
  };
  await expect(buildDigest(testChat, counted, { now: 'last friday' })).rejects.toThrow(BadInputError);
  await expect(buildDigest(testChat, counted, { now: 'last friday' })).rejects.toThrow(/"last friday" is not a date/);
  await expect(buildDigest(testChat, counted, { detectors: { decision: { phrases: ['x'] } } })).rejects.toThrow(/decision\.phrases\.0/);
  expect(reads).toBe(0);
});

test('an empty range says so instead of inventing numbers', async () => {
  const summary = await buildDigest(testChat, () => asAsync([]));
  expect(summary.sections).toHaveLength(1);
  expect(summary.sections[0]!.points[0]!.text).toBe('No messages in the requested range.');
});
