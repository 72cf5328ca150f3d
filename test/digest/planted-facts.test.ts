import { buildDigest, DIGEST_ITEMS } from '../../src/digest';
import type { Summary } from '../../src/domain';
import { openExport } from '../../src/export';
import { generateCohort, type FactKind } from '../support/cohort-generator';
import { asAsync } from '../support/messages';
import { SAMPLE, BOT_ID, weekFacts } from '../recap-workflow/sample-facts';

const KINDS: FactKind[] = ['demo', 'blocker', 'decision', 'question'];
const cited = (s: Summary) => new Set(s.sections.flatMap((x) => x.points.flatMap((p) => p.messageIds)));
const section = (s: Summary, heading: string) => s.sections.find((x) => x.heading === heading)?.points ?? [];

describe.each([1, 2, 3])('a generated cohort of 600 messages (seed %i)', (seed) => {
  const cohort = generateCohort({ seed, messages: 600, weeks: 4 });
  let summary: Summary;
  beforeAll(async () => {
    summary = await buildDigest(cohort.chat, () => asAsync(cohort.messages));
  });

  test('the digest alone cites at least 70 % of the planted demos, blockers, decisions and open questions', () => {
    const ids = cited(summary);
    const planted = KINDS.flatMap((k) => cohort.facts[k]);
    expect(planted.length).toBeGreaterThanOrEqual(20);
    const hit = planted.filter((id) => ids.has(id)).length;
    expect(hit / planted.length).toBeGreaterThanOrEqual(0.7);
  });

  test('the bot is not a member, and none of its check-ins or leaderboards is cited as a question or a fact', () => {
    const bot = new Set(cohort.botPosts);
    for (const heading of ['Demos', 'Blockers', 'Decisions', 'Open questions', 'What people talked about']) {
      for (const p of section(summary, heading)) for (const id of p.messageIds) expect(bot.has(id)).toBe(false);
    }
    expect(section(summary, 'Most active members').map((p) => p.text).join('\n')).not.toMatch(/Cohort Bot/);
    const humans = new Set(cohort.messages.filter((m) => m.sender!.id !== cohort.botId).map((m) => m.sender!.id));
    expect(summary.stats.participants).toBe(humans.size);
  });

  test('no filler question outranks an old, +1\'d open question, though the filler is newer', () => {
    const order = section(summary, 'Open questions').map((p) => p.messageIds[0]!);
    expect(cohort.heavyOpen.length).toBeGreaterThan(0);
    const lastHeavy = Math.max(...cohort.heavyOpen.map((id) => order.indexOf(id)));
    expect(cohort.heavyOpen.every((id) => order.includes(id))).toBe(true);
    for (const id of cohort.filler) {
      const at = order.indexOf(id);
      if (at >= 0) expect(at).toBeGreaterThan(lastHeavy);
    }
    // Each open question says how long it has waited.
    for (const p of section(summary, 'Open questions')) expect(p.text).toMatch(/no reply for \d+ (minutes?|hours?|days?|weeks?)/);
  });

  test('every main thread is named by words of its own, not by stop words or names', () => {
    const threads = section(summary, 'What people talked about');
    expect(threads.length).toBeGreaterThanOrEqual(3);
    const byId = new Map(cohort.messages.map((m) => [m.id, m]));
    for (const p of threads) {
      const topic = p.text.slice(0, p.text.indexOf(':')).split(' · ');
      expect(topic.length).toBeGreaterThanOrEqual(2);
      // Each phrase occurs in the thread it names (the thread's messages reply into its first one).
      const root = p.messageIds[0]!;
      const text = cohort.messages
        .filter((m) => m.id === root || m.replyToId === root || (m.replyToId !== undefined && byId.get(m.replyToId)?.replyToId === root))
        .map((m) => m.text.toLowerCase())
        .join(' ');
      for (const phrase of topic) expect(text).toContain(phrase);
      expect(topic).not.toEqual(expect.arrayContaining(['the']));
    }
  });
});

test('the same seed gives the same chat, another seed another one', () => {
  expect(generateCohort({ seed: 4 }).messages).toEqual(generateCohort({ seed: 4 }).messages);
  expect(generateCohort({ seed: 5 }).messages).not.toEqual(generateCohort({ seed: 4 }).messages);
});

test('on the bundled sample the bot is no member, its posts are no questions, and the heaviest demos and every blocker are cited', async () => {
  const source = await openExport(SAMPLE);
  const summary = await buildDigest({ id: 1, title: 'Build Cohort #7', type: 'private_supergroup' }, () => source.messages({}), { botIds: [BOT_ID] });
  const hashtagDemos = new Set([...weekFacts('2026-W45').hashtagDemos, ...weekFacts('2026-W46').hashtagDemos]);
  // The demos listed are the sample's #demo posts (the heaviest of them), never the welcome post that explains #demo.
  const demos = section(summary, 'Demos').map((p) => p.messageIds[0]!);
  expect(demos).toHaveLength(DIGEST_ITEMS);
  for (const id of demos) expect(hashtagDemos.has(id)).toBe(true);
  expect(demos).not.toContain(2);
  const ids = cited(summary);
  const blockers: number[] = [];
  const bot = new Set<number>();
  for await (const m of source.messages({})) {
    if (m.sender?.id === BOT_ID) bot.add(m.id);
    if (/#blocker\b/i.test(m.text) && m.id !== 2) blockers.push(m.id);
  }
  expect(blockers.length).toBeGreaterThanOrEqual(5);
  for (const id of blockers) expect(ids.has(id)).toBe(true);
  expect(summary.stats.participants).toBe(29);
  const glance = section(summary, 'At a glance').map((p) => p.text).join('\n');
  expect(glance).toMatch(/from 29 people and 1 bot between 2026-11-02 and 2026-11-15 \(about \d+ a day\)/);
  expect(glance).toMatch(new RegExp(`${blockers.length} blockers \\(all answered\\)`));
  expect(section(summary, 'Open questions').length).toBeGreaterThan(0);
  for (const p of section(summary, 'Open questions')) expect(bot.has(p.messageIds[0]!)).toBe(false);
});
