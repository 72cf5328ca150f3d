import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatInfo, ChatMessage, Peer, WeeklyMetrics } from '../../src/domain';
import { BadInputError } from '../../src/domain';
import { renderMarkdown, renderTelegramText } from '../../src/deliver';
import {
  buildRecapDigest,
  compareWeeks,
  computeWeeklyMetrics,
  createWeeksAccumulator,
  formatHistoryTable,
  loadTrend,
  loadWeeklyMetrics,
  renderInfographicSvg,
  saveWeeklyMetrics,
  weekMetricsKey,
} from '../../src/recap';
import { LocalArtifactStore } from '../../src/store';
import { alice, bob, carol, CHAT_ID, dave, eve, frank, gina, handBuiltWeek } from './fixtures';

// 2026-W43 in Europe/Berlin runs from 18 Oct 22:00 UTC to 25 Oct 23:00 UTC (clocks go back on the Sunday).
const W43 = { week: '2026-W43', zone: 'Europe/Berlin' };
const W43_END = Date.parse('2026-10-25T23:00:00Z');
const chat: ChatInfo = { id: CHAT_ID, title: 'Founders Autumn', type: 'private_supergroup' };

function msg(id: number, date: string, sender: Peer, text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, chatId: CHAT_ID, date, sender, text, reactions: [], ...extra };
}

function section(m: WeeklyMetrics, heading: string, earlier: (WeeklyMetrics | null)[] = []): string[] {
  return buildRecapDigest(m, chat, earlier).sections.find((s) => s.heading === heading)?.points.map((p) => p.text) ?? [];
}

/**
 * Monday morning a real question that six people +1'd with a reaction, nobody answered; then, from Wednesday on,
 * 40 one-line questions from the busiest members, none answered either.
 */
function oldQuestionAndFiller(): ChatMessage[] {
  const out: ChatMessage[] = [
    msg(200, '2026-10-19T08:00:00Z', carol, 'How do I rotate the webhook signing secret on Render without downtime for the paying users?', {
      reactions: [{ emoji: '👍', count: 6 }],
    }),
  ];
  const busy = [alice, bob, dave, eve];
  for (let i = 0; i < 40; i++) {
    const at = new Date(Date.parse('2026-10-21T08:00:00Z') + i * 2 * 3_600_000).toISOString();
    out.push(msg(300 + i, at, busy[i % busy.length]!, `lol why ${i}?`));
  }
  return out;
}

describe('open questions are picked by weight, not recency', () => {
  test('an old unanswered question with +1s outranks recent filler and is in the recap with how long it waited', async () => {
    const m = await computeWeeklyMetrics(oldQuestionAndFiller(), W43);
    expect(m.questions.unansweredIds).toHaveLength(41);
    // Bounded: the heaviest 30, the old question first, and 11 of the fillers left out.
    expect(m.questions.open).toHaveLength(30);
    expect(m.questions.open[0]).toMatchObject({ messageId: 200, status: 'open', waitedSeconds: (W43_END - Date.parse('2026-10-19T08:00:00Z')) / 1000 });
    const points = section(m, 'Open questions');
    expect(points[0]).toBe('Карина Смирнова: How do I rotate the webhook signing secret on Render without downtime for the paying users? (no reply for 6 d 15 h)');
    expect(points).toContain('…and 22 more');
  });

  test('waits are measured to the time passed in, never later than the week’s end, and never to the wall clock', async () => {
    const early = await computeWeeklyMetrics(oldQuestionAndFiller(), { ...W43, now: Date.parse('2026-10-22T08:00:00Z') });
    expect(early.questions.open.find((q) => q.messageId === 200)?.waitedSeconds).toBe(3 * 86_400);
    const late = await computeWeeklyMetrics(oldQuestionAndFiller(), { ...W43, now: Date.parse('2027-06-01T00:00:00Z') });
    expect(late.questions.open[0]?.waitedSeconds).toBe((W43_END - Date.parse('2026-10-19T08:00:00Z')) / 1000);
  });

  test('a bad time for the waits is refused with what to pass', async () => {
    await expect(computeWeeklyMetrics([], { ...W43, now: Number.NaN })).rejects.toThrow(BadInputError);
    await expect(computeWeeklyMetrics([], { ...W43, now: Number.NaN })).rejects.toThrow(/bad time for the week's waits.*milliseconds since the epoch/);
  });

  test('an answered question is not listed, and a question raised as a blocker is listed once, as a blocker', async () => {
    const m = await computeWeeklyMetrics(
      [
        msg(500, '2026-10-19T08:00:00Z', alice, 'Which region should we deploy the API to?'),
        msg(501, '2026-10-19T09:00:00Z', bob, 'Frankfurt, closest to most of you', { replyToId: 500 }),
        msg(502, '2026-10-20T08:00:00Z', dave, 'Stuck on CORS errors from the Vercel preview, any idea?'),
      ],
      W43,
    );
    expect(m.questions.unansweredIds).toEqual([502]);
    expect(m.questions.open).toEqual([]);
    expect(section(m, 'Blockers')).toEqual([expect.stringMatching(/^Dave Diaz: Stuck on CORS errors .* \(still open: no reply for 5 d 15 h\)$/)]);
  });
});

describe('blockers by weight, with where each stands', () => {
  test('open, answered and solved blockers say so, the ones still open first', async () => {
    const m = await computeWeeklyMetrics(
      [
        msg(400, '2026-10-19T08:00:00Z', bob, "I'm stuck on the Stripe webhook signature check, it keeps failing with a 400"),
        msg(401, '2026-10-20T08:00:00Z', carol, 'Stuck on deploying to Fly, the build fails at the Docker step', { reactions: [{ emoji: '😢', count: 2 }] }),
        msg(402, '2026-10-20T08:10:00Z', alice, 'Which base image? Try node:20-slim', { replyToId: 401 }),
        msg(403, '2026-10-21T08:00:00Z', dave, 'Blocked on the OAuth redirect mismatch with Google login'),
        msg(404, '2026-10-21T08:05:00Z', alice, 'Check the callback URL in the console', { replyToId: 403 }),
        msg(405, '2026-10-21T08:30:00Z', dave, 'fixed, that was it 🙏', { replyToId: 404 }),
      ],
      W43,
    );
    expect(m.blockers.map((b) => [b.messageId, b.status])).toEqual(
      expect.arrayContaining([
        [400, 'open'],
        [401, 'answered'],
        [403, 'resolved'],
      ]),
    );
    const points = section(m, 'Blockers');
    expect(points[0]).toBe("Bob Brown: I'm stuck on the Stripe webhook signature check, it keeps failing with a 400 (still open: no reply for 6 d 15 h)");
    expect(points.slice(1)).toEqual(
      expect.arrayContaining([
        'Карина Смирнова: Stuck on deploying to Fly, the build fails at the Docker step (answered, not marked solved)',
        'Dave Diaz: Blocked on the OAuth redirect mismatch with Google login (solved)',
      ]),
    );
    expect(section(m, 'Highlights')).toContain('3 blockers raised, 1 still without a reply.');
  });
});

/** A week with two decisions (one only under the cohort's own hashtag), a conventions post and a question about a decision. */
function decisionWeek(): ChatMessage[] {
  return [
    msg(600, '2026-10-19T08:00:00Z', alice, 'We decided to go with Postgres on Supabase for the shared database'),
    msg(601, '2026-10-19T08:20:00Z', bob, 'makes sense, the free tier is enough for now', { replyToId: 600 }),
    msg(602, '2026-10-19T09:00:00Z', gina, 'Reminder: post #demo when you ship and #decision when your team settles something'),
    msg(603, '2026-10-20T10:00:00Z', dave, 'Have we decided to use Stripe or Paddle?'),
    msg(604, '2026-10-21T10:00:00Z', eve, '#settled weekly demos move to Thursday evenings'),
  ];
}

describe('decisions', () => {
  let dir: string;
  let store: LocalArtifactStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'recap-decisions-'));
    store = new LocalArtifactStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a decision is counted with the cohort’s detector settings, stored with the week and shown in the recap text', async () => {
    const byDefault = await computeWeeklyMetrics(decisionWeek(), W43);
    // The conventions post names #decision but decides nothing; a question about a decision is not one.
    expect(byDefault.decisions?.map((d) => d.messageId)).toEqual([600]);

    const m = await computeWeeklyMetrics(decisionWeek(), { ...W43, detectors: { decision: { hashtags: ['settled'] } } });
    // Heaviest first: the one someone replied to leads.
    expect(m.decisions?.map((d) => d.messageId)).toEqual([600, 604]);
    expect(m.decisions?.[0]).toMatchObject({ sender: alice, text: 'We decided to go with Postgres on Supabase for the shared database', replied: true });

    await saveWeeklyMetrics(store, m);
    const stored = await loadWeeklyMetrics(store, CHAT_ID, '2026-W43');
    expect(stored?.decisions?.map((d) => d.messageId)).toEqual([600, 604]);

    const recap = buildRecapDigest(stored!, chat);
    // The conventions post's #demo still counts as a demo (as before); decisions come after it.
    expect(recap.sections.map((s) => s.heading)).toEqual(['Highlights', 'Demos', 'Decisions', 'Open questions', 'Shout-outs']);
    expect(section(stored!, 'Highlights')).toContain('2 decisions made.');
    expect(recap.sections[2]!.points).toEqual([
      { text: 'Alice Archer: We decided to go with Postgres on Supabase for the shared database', messageIds: [600] },
      { text: 'Eve Evans: #settled weekly demos move to Thursday evenings', messageIds: [604] },
    ]);
    expect(renderMarkdown(recap, chat)).toContain(`## Decisions\n\n- Alice Archer: We decided to go with Postgres on Supabase for the shared database ([link](https://t.me/c/${CHAT_ID}/600))`);
    expect(renderTelegramText(recap, chat, { limit: 4096 }).join('\n')).toContain('DECISIONS\n• Alice Archer: We decided to go with Postgres');
    expect(renderInfographicSvg({ metrics: stored!, title: chat.title, trend: [{ week: '2026-W43', metrics: stored! }] })).toContain('1 replies · 1 threads · 2 decisions');
  });

  test('a week with decisions against the week before shows the change, and so does a week with none after one with some', async () => {
    const acc = createWeeksAccumulator({ weeks: ['2026-W42', '2026-W43', '2026-W44'], zone: 'Europe/Berlin' });
    const history = [
      msg(700, '2026-10-13T09:00:00Z', alice, "Let's go with weekly demo days on Fridays"),
      msg(701, '2026-10-19T09:00:00Z', bob, 'We decided to drop the mobile app for now'),
      msg(702, '2026-10-20T09:00:00Z', carol, 'Decision: the landing page ships in English first'),
      msg(703, '2026-10-21T09:00:00Z', dave, 'We agreed on Tuesday office hours'),
      msg(704, '2026-10-27T09:00:00Z', frank, 'quiet week, heads down on the MVP'),
    ];
    for (const m of history) acc.add(m);
    const [w42, w43, w44] = acc.finish();

    const change = compareWeeks(w43!, [w42!]).find((c) => c.key === 'decisions');
    expect(change).toMatchObject({ current: 3, previous: 1, delta: 2, percent: 200, direction: 'better' });
    expect(section(w43!, 'Highlights', [w42!])).toContain('3 decisions made (+200% vs last week).');
    expect(section(w44!, 'Highlights', [w42!, w43!])).toContain('0 decisions made (−100% vs last week).');

    for (const m of [w42!, w43!]) await saveWeeklyMetrics(store, m);
    const table = formatHistoryTable(await loadTrend(store, CHAT_ID, '2026-W43', 2)).split('\n');
    expect(table[0]).toMatch(/Blockers\s+Decisions$/);
    expect(table[2]).toMatch(/^2026-W42\s.*\s1$/);
    expect(table[3]).toMatch(/^2026-W43\s.*\s3$/);
    expect(table.at(-1)).toContain('decisions +200%');
  });

  test('a week stored before decisions and blocker statuses existed still loads, reads as unknown, and is not compared', async () => {
    const current = await computeWeeklyMetrics(handBuiltWeek().concat(decisionWeek().slice(0, 2)), W43);
    // What an older tgpulse stored for the week before: no decisions, blockers without a status or a wait.
    const { decisions: _, ...old } = { ...current, week: '2026-W42', start: '2026-10-11T22:00:00.000Z', end: '2026-10-18T22:00:00.000Z' };
    const oldJson = JSON.parse(JSON.stringify(old)) as Record<string, unknown> & { blockers: Record<string, unknown>[]; questions: { open: Record<string, unknown>[] } };
    for (const item of [...oldJson.blockers, ...oldJson.questions.open]) {
      delete item.status;
      delete item.waitedSeconds;
    }
    await store.put(weekMetricsKey(CHAT_ID, '2026-W42'), JSON.stringify(oldJson));

    const loaded = await loadWeeklyMetrics(store, CHAT_ID, '2026-W42');
    expect(loaded).not.toBeNull();
    expect(loaded!.decisions).toBeUndefined();
    expect(loaded!.messages).toBe(current.messages);

    const changes = new Map(compareWeeks(current, [loaded]).map((c) => [c.key, c]));
    expect(changes.get('decisions')).toMatchObject({ current: 1, previous: null, delta: null, direction: 'unknown' });
    expect(changes.get('messages')).toMatchObject({ delta: 0, direction: 'same' });
    expect(section(current, 'Highlights', [loaded])).toContain('1 decision made.');

    // The old week's own recap says nothing about decisions and tells its blockers' state from `replied`.
    expect(buildRecapDigest(loaded!, chat).sections.map((s) => s.heading)).not.toContain('Decisions');
    expect(section(loaded!, 'Highlights').join(' ')).not.toContain('decision');
    expect(section(loaded!, 'Blockers')).toEqual(["Bob Brown: I'm stuck on the Stripe webhook (no reply yet)"]);
    const oldCard = renderInfographicSvg({ metrics: loaded!, title: chat.title, trend: [{ week: '2026-W42', metrics: loaded! }] });
    expect(oldCard).toContain('1 without a reply');
    expect(oldCard).not.toContain('decision');

    await saveWeeklyMetrics(store, current);
    const table = formatHistoryTable(await loadTrend(store, CHAT_ID, '2026-W43', 2)).split('\n');
    expect(table[2]).toMatch(/^2026-W42\s.*\s—$/);
    expect(table[3]).toMatch(/^2026-W43\s.*\s1$/);
  });
});
