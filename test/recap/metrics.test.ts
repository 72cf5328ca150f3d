import type { ChatMessage } from '../../src/domain';
import { ANSWERS_AFTER_MS, computeWeeklyMetrics, createWeekAccumulator, createWeeksAccumulator, weekRange } from '../../src/recap';
import { alice, bob, carol, CHAT_ID, dave, eve, handBuiltWeek } from './fixtures';

const options = { week: '2026-W43', zone: 'Europe/Berlin', memberCount: 20 };

describe('weekly metrics on a hand-built week (Europe/Berlin, clocks go back on Sunday)', () => {
  let metrics: Awaited<ReturnType<typeof computeWeeklyMetrics>>;
  beforeAll(async () => {
    metrics = await computeWeeklyMetrics(handBuiltWeek(), options);
  });

  test('the week spans Monday to Monday local time, 169 hours', () => {
    expect(metrics.week).toBe('2026-W43');
    expect(metrics.chatId).toBe(CHAT_ID);
    expect(metrics.start).toBe('2026-10-18T22:00:00.000Z');
    expect(metrics.end).toBe('2026-10-25T23:00:00.000Z');
  });

  test('messages count people only: no bots, no service messages, nothing outside the week', () => {
    // 100-105, 107, 108, 112-115: not 90 (week before), 106 (bot), 109-111 (service), 116 (next week).
    expect(metrics.messages).toBe(12);
  });

  test('per local day, Monday first; 02:30 and 23:30 on the 25-hour Sunday both fall on Sunday', () => {
    expect(metrics.perDay).toEqual([4, 2, 2, 0, 0, 1, 3]);
  });

  test('active members and their share of all members', () => {
    expect(metrics.activeMembers).toBe(5);
    expect(metrics.memberCount).toBe(20);
    expect(metrics.activeShare).toBe(0.25);
  });

  test('new members from join and invite actions (bots excluded), departed from remove actions', () => {
    expect(metrics.newMembers).toBe(2); // eve by link, gina invited; helper_bot not counted
    expect(metrics.departedMembers).toBe(1); // frank left
  });

  test('replies include replies to messages before the week; self-replies count as replies too', () => {
    expect(metrics.replies).toBe(4); // 101, 103, 108, 115
  });

  test('threads started: non-reply messages another member replied to', () => {
    // 100 (bob replied), 102 (alice), 114 (dave, just after the week); not 105 (only a bot replied), 107 (self-reply).
    expect(metrics.threadsStarted).toBe(3);
  });

  test('questions: asked, answered by someone else (even after the week), the unanswered kept with their text', () => {
    expect(metrics.questions.asked).toBe(3);
    expect(metrics.questions.ids).toEqual([102, 107, 114]);
    expect(metrics.questions.answered).toBe(2);
    expect(metrics.questions.unansweredIds).toEqual([107]);
    expect(metrics.questions.open).toEqual([expect.objectContaining({ messageId: 107, sender: carol, text: 'какой тариф выбрать для деплоя' })]);
  });

  test('median time to first reply by another member', () => {
    // 100 → 10 min, 102 → 30 min, 114 → 40 min.
    expect(metrics.medianFirstReplySeconds).toBe(1800);
  });

  test('demos by hashtag and by phrase + link, each with its id, sender and link', () => {
    expect(metrics.demos.map((d) => [d.messageId, d.sender?.id, d.link])).toEqual([
      [104, dave.id, 'https://demo.vercel.app'],
      [113, dave.id, 'https://landing.netlify.app'],
    ]);
  });

  test('blockers, marked unreplied when only a bot answered', () => {
    expect(metrics.blockers).toEqual([expect.objectContaining({ messageId: 105, sender: bob, replied: false })]);
  });

  test('top contributors by messages (ties in order of first message), helpers by questions answered', () => {
    expect(metrics.topContributors.map((c) => [c.peer.id, c.messages])).toEqual([
      [alice.id, 3],
      [bob.id, 3],
      [carol.id, 3],
      [dave.id, 2],
      [eve.id, 1],
    ]);
    expect(metrics.helpers.map((h) => [h.peer.id, h.answered])).toEqual([
      [alice.id, 1],
      [dave.id, 1],
    ]);
  });

  test('most reacted messages sum all emoji', () => {
    expect(metrics.mostReacted.map((r) => [r.messageId, r.reactions])).toEqual([
      [104, 7],
      [112, 3],
    ]);
  });
});

describe('the accumulator', () => {
  test('gives the same answers when ids arrive out of order', async () => {
    const week = handBuiltWeek();
    const shuffled = [week[0]!, week[2]!, week[1]!, ...week.slice(3)];
    const inOrder = await computeWeeklyMetrics(week, options);
    const outOfOrder = await computeWeeklyMetrics(shuffled, options);
    expect(outOfOrder.threadsStarted).toBe(inOrder.threadsStarted);
    expect(outOfOrder.medianFirstReplySeconds).toBe(inOrder.medianFirstReplySeconds);
  });

  test('an empty week has zeros and nulls, not NaN', () => {
    const acc = createWeekAccumulator({ week: '2026-W43', zone: 'Europe/Berlin', chatId: 7 });
    const m = acc.finish();
    expect(m).toMatchObject({ chatId: 7, messages: 0, activeMembers: 0, activeShare: null, memberCount: null, medianFirstReplySeconds: null, perDay: [0, 0, 0, 0, 0, 0, 0] });
  });

  test('bots named by the caller or flagged by Telegram are not activity', async () => {
    const week: ChatMessage[] = [
      { id: 1, chatId: 1, date: '2026-10-20T10:00:00Z', sender: { id: 'user50', name: 'Quiet Bot' }, text: 'ping', reactions: [] },
      { id: 2, chatId: 1, date: '2026-10-20T10:01:00Z', sender: { id: 'user51', name: 'Live Bot', bot: true }, text: 'pong', reactions: [] },
      { id: 3, chatId: 1, date: '2026-10-20T10:02:00Z', sender: alice, text: 'hello', reactions: [] },
    ];
    const m = await computeWeeklyMetrics(week, { ...options, botIds: ['user50'] });
    expect(m.messages).toBe(1);
    expect(m.activeMembers).toBe(1);
  });

  test('a question asked inside a thread is conversation, not a question owed an answer', async () => {
    const week: ChatMessage[] = [
      { id: 1, chatId: 1, date: '2026-10-20T10:00:00Z', sender: alice, text: 'Shipped it https://x.example', reactions: [] },
      { id: 2, chatId: 1, date: '2026-10-20T10:01:00Z', sender: bob, text: 'wow, in two weeks?', replyToId: 1, reactions: [] },
      { id: 3, chatId: 1, date: '2026-10-20T10:02:00Z', sender: carol, text: 'Does anyone know a good CSV library?', reactions: [] },
    ];
    const m = await computeWeeklyMetrics(week, options);
    expect(m.questions.ids).toEqual([3]);
    expect(m.questions.unansweredIds).toEqual([3]);
  });

  test('a bad week or zone is refused before any message is read', () => {
    expect(() => createWeekAccumulator({ week: '2026-W60', zone: 'Europe/Berlin' })).toThrow(/2026-W60 does not exist/);
    expect(() => createWeekAccumulator({ week: '2026-W43', zone: 'Mars/Olympus' })).toThrow(/unknown time zone/);
  });

  test('a bad detector config is refused', () => {
    expect(() => createWeekAccumulator({ ...options, detectors: { demo: { hashtags: ['not a tag'] } } })).toThrow(/demo\.hashtags\.0/);
  });
});

describe('several weeks in one pass', () => {
  const zone = 'Europe/Berlin';
  const at = (iso: string, id: number, sender = alice, text = 'hello', extra: Partial<ChatMessage> = {}): ChatMessage => ({ id, chatId: CHAT_ID, date: iso, sender, text, reactions: [], ...extra });
  // Three weeks (W43..W45) with a question late on W43's Sunday answered on W44's Monday, one answered 3 days after
  // W43 ended (too late to count for W43), and traffic in each week.
  const history: ChatMessage[] = [
    at('2026-10-19T08:00:00Z', 1, alice, 'first of W43'),
    at('2026-10-25T21:00:00Z', 2, bob, 'How do I deploy the worker?'),
    at('2026-10-26T08:00:00Z', 3, carol, 'with docker compose', { replyToId: 2 }),
    at('2026-10-23T09:00:00Z', 4, dave, 'What is the demo day date?'),
    at('2026-10-29T09:00:00Z', 5, eve, 'the 13th', { replyToId: 4 }),
    at('2026-11-03T10:00:00Z', 6, alice, 'W45 says hi'),
  ].sort((a, b) => a.date.localeCompare(b.date));

  test('each week gets the numbers it gets when computed alone over the history a recap of it reads', async () => {
    const weeks = ['2026-W43', '2026-W44', '2026-W45'];
    const acc = createWeeksAccumulator({ weeks, zone, span: { first: null, last: null } });
    for (const m of history) acc.add(m);
    const together = acc.finish();
    expect(together.map((m) => m.week)).toEqual(weeks);
    for (const week of weeks) {
      // Alone, a recap reads up to two days after its week (ANSWERS_AFTER_MS).
      const end = weekRange(week, zone).end.getTime() + ANSWERS_AFTER_MS;
      const alone = await computeWeeklyMetrics(history.filter((m) => Date.parse(m.date) < end), { week, zone, span: { first: null, last: null } });
      expect(together.find((m) => m.week === week)).toEqual(alone);
    }
    const w43 = together[0]!;
    expect(w43.questions).toMatchObject({ asked: 2, answered: 1, unansweredIds: [4] });
    expect(together[1]!.messages).toBe(2);
  });

  test('weeks come out oldest first whatever order they are asked in, each once', () => {
    const acc = createWeeksAccumulator({ weeks: ['2026-W45', '2026-W43', '2026-W45'], zone });
    expect(acc.ranges.map((r) => r.week)).toEqual(['2026-W43', '2026-W45']);
  });
});

describe('what a week leaves out or counts once', () => {
  const zone = 'Europe/Berlin';
  const week = '2026-W43';
  const at = (id: number, sender = alice, text = 'hello', extra: Partial<ChatMessage> = {}): ChatMessage => ({ id, chatId: CHAT_ID, date: `2026-10-2${id % 5}T10:00:0${id % 10}Z`, sender, text, reactions: [], ...extra });

  test('the same demo posted twice (same link, or same sender and text) is one demo; different demos with other links stay', async () => {
    const m = await computeWeeklyMetrics(
      [
        at(1, alice, '#demo Habit tracker v1 https://habits.app/'),
        at(2, bob, '#demo my take on it: https://www.HABITS.app'), // the same link, written differently
        at(3, carol, '#demo Barber bot'),
        at(4, carol, '#demo   Barber bot'), // posted again
        at(5, dave, '#demo Habit tracker v1 https://habits.app/pricing'),
        at(5, dave, '#demo Habit tracker v1 https://habits.app/pricing (edited)'), // the same message, seen again
      ].sort((a, b) => a.date.localeCompare(b.date)),
      { week, zone },
    );
    expect(m.demos.map((d) => d.text).sort()).toEqual(['#demo Barber bot', '#demo Habit tracker v1 https://habits.app/', '#demo Habit tracker v1 https://habits.app/pricing']);
  });

  test("bots' messages are counted as left out, so the recap can say bots were excluded only when they were", async () => {
    const withBot = await computeWeeklyMetrics([at(1), at(2, { id: 'user99', name: 'Standup', username: 'standup_bot' }, 'daily check-in'), at(3, bob)], { week, zone });
    expect([withBot.messages, withBot.botMessages]).toEqual([2, 1]);
    const configured = await computeWeeklyMetrics([at(1), at(2, bob)], { week, zone, botIds: ['user2'] });
    expect([configured.messages, configured.botMessages]).toEqual([1, 1]);
    expect((await computeWeeklyMetrics([at(1), at(2, bob)], { week, zone })).botMessages).toBe(0);
  });

  test('a long message is cut at a word, not inside one', async () => {
    const long = `#demo ${'word '.repeat(45)}supercalifragilistic tail`;
    const m = await computeWeeklyMetrics([at(1, alice, long)], { week, zone });
    const text = m.demos[0]!.text;
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text).toMatch(/ word…$/);
  });
});
