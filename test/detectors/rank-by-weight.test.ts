import { EngagementTracker, rankByWeight, textFingerprint, type WeighedCandidate } from '../../src/detectors';
import type { ChatMessage } from '../../src/domain';
import { msg } from '../support/messages';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const candidate = (c: Partial<WeighedCandidate> & { id: number }): WeighedCandidate => ({
  at: NOW - DAY,
  senderId: `user${c.id}`,
  replies: 0,
  repliers: 0,
  reactions: 0,
  chars: 80,
  senderMessages: 10,
  ...c,
});

describe('rankByWeight', () => {
  test('an old, described, +1\'d open question outranks newer filler from the most active member', () => {
    const heavy = candidate({ id: 1, at: NOW - 20 * DAY, chars: 150, reactions: 3, senderMessages: 12 });
    const filler = candidate({ id: 2, at: NOW - 3_600_000, chars: 12, senderMessages: 90 });
    const oldFiller = candidate({ id: 3, at: NOW - 20 * DAY, chars: 12, senderMessages: 90 });
    const ranked = rankByWeight('question', [filler, oldFiller, heavy], { now: NOW, openOnly: true });
    expect(ranked.map((c) => c.id)).toEqual([1, 3, 2]);
    expect(ranked[0]).toMatchObject({ status: 'open', waitedMs: 20 * DAY });
  });

  test('among equals the one waiting longer comes first; the order does not depend on the input order', () => {
    const a = candidate({ id: 1, at: NOW - 2 * DAY });
    const b = candidate({ id: 2, at: NOW - 9 * DAY });
    expect(rankByWeight('question', [a, b], { now: NOW }).map((c) => c.id)).toEqual([2, 1]);
    expect(rankByWeight('question', [b, a], { now: NOW }).map((c) => c.id)).toEqual([2, 1]);
  });

  test('demos weigh by replies, distinct people and reactions, not by date', () => {
    const loved = candidate({ id: 1, at: NOW - 10 * DAY, replies: 6, repliers: 5, reactions: 18 });
    const busyPair = candidate({ id: 2, replies: 6, repliers: 1 });
    const fresh = candidate({ id: 3, at: NOW });
    expect(rankByWeight('demo', [fresh, busyPair, loved], { now: NOW }).map((c) => c.id)).toEqual([1, 2, 3]);
  });

  test('says which are open, answered or resolved, and keeps only open ones when asked', () => {
    const open = candidate({ id: 1 });
    const answered = candidate({ id: 2, replies: 2, repliers: 1 });
    const resolved = candidate({ id: 3, replies: 1, repliers: 1, resolved: true });
    const all = rankByWeight('blocker', [open, answered, resolved], { now: NOW });
    expect(Object.fromEntries(all.map((c) => [c.id, c.status]))).toEqual({ 1: 'open', 2: 'answered', 3: 'resolved' });
    expect(all.find((c) => c.id === 2)!.waitedMs).toBe(0);
    expect(rankByWeight('blocker', [open, answered, resolved], { now: NOW, openOnly: true }).map((c) => c.id)).toEqual([1]);
    // An unheard blocker comes before one that already got help.
    expect(all[0]!.id).toBe(1);
  });

  test('the same text posted again makes one entry, the heaviest of them', () => {
    const again = [candidate({ id: 1, fingerprint: 7 }), candidate({ id: 2, fingerprint: 7, reactions: 4 }), candidate({ id: 3, fingerprint: 8 })];
    expect(rankByWeight('blocker', again, { now: NOW }).map((c) => c.id)).toEqual([2, 3]);
    expect(textFingerprint('Wifi is  NOT working')).toBe(textFingerprint('wifi is not working'));
    expect(textFingerprint('wifi is not working')).not.toBe(textFingerprint('wifi is working'));
  });

  test('a limit keeps the heaviest; a candidate from after `now` has waited nothing', () => {
    const many = Array.from({ length: 20 }, (_, i) => candidate({ id: i + 1, reactions: i }));
    expect(rankByWeight('decision', many, { now: NOW, limit: 3 }).map((c) => c.id)).toEqual([20, 19, 18]);
    expect(rankByWeight('question', [candidate({ id: 1, at: NOW + DAY })], { now: NOW })[0]!.waitedMs).toBe(0);
    expect(rankByWeight('question', [], { now: NOW })).toEqual([]);
  });
});

describe('EngagementTracker', () => {
  const feed = (history: ChatMessage[], kinds: Record<number, Array<'question' | 'blocker' | 'demo'>>, bots: string[] = []) => {
    const t = new EngagementTracker();
    for (const m of history) t.observe(m, kinds[m.id] ?? [], bots.includes(m.sender!.id));
    return t;
  };

  test('counts replies from others anywhere in the thread, distinct people, reactions; not the asker, not bots', () => {
    const t = feed(
      [
        msg(1, 'user1', '#blocker deploys fail on Fly', { reactions: [{ emoji: '👍', count: 2 }] }),
        msg(2, 'user2', 'check the region', { replyToId: 1 }),
        msg(3, 'user1', 'which one?', { replyToId: 2 }),
        msg(4, 'user3', 'ams works for me', { replyToId: 3 }),
        msg(5, 'bot', 'Reminder: office hours', { replyToId: 1 }),
        msg(6, 'user2', 'or try a bigger machine', { replyToId: 1 }),
      ],
      { 1: ['blocker'] },
      ['bot'],
    );
    expect(t.candidates('blocker')).toEqual([{ id: 1, at: Date.parse(msg(1, 'user1', '').date), senderId: 'user1', replies: 3, repliers: 2, reactions: 2, chars: 28, senderMessages: 2, fingerprint: textFingerprint('#Blocker  deploys fail on FLY') }]);
    expect(t.rootOf(4)).toBe(1);
    expect(t.tally('blocker')).toEqual({ total: 1, open: 0 });
  });

  test('the asker saying it works marks it resolved; a bump by the asker leaves it open', () => {
    const t = feed(
      [
        msg(1, 'user1', 'Stripe webhook signatures never match, stuck', {}),
        msg(2, 'user2', 'use the raw body', { replyToId: 1 }),
        msg(3, 'user1', 'THAT was it, works now ✅', { replyToId: 2 }),
        msg(4, 'user3', 'Where is the recording?'),
        msg(5, 'user3', 'bump', { replyToId: 4 }),
      ],
      { 1: ['blocker'], 4: ['question'] },
    );
    expect(t.candidates('blocker')[0]).toMatchObject({ replies: 1, resolved: true });
    expect(t.candidates('question')[0]).toMatchObject({ replies: 0 });
    expect(t.candidates('question')[0]!.resolved).toBeUndefined();
    expect(t.tally('question')).toEqual({ total: 1, open: 1 });
  });

  test('a bot post is never a candidate and never counts as a member\'s message', () => {
    const t = feed([msg(1, 'bot', 'What will you ship today?')], { 1: ['question'] }, ['bot']);
    expect(t.candidates('question')).toEqual([]);
    expect(t.messagesBy('bot')).toBe(0);
    expect(t.isBotSender('bot')).toBe(true);
  });
});
