import type { ChatMessage, Peer } from '../../src/domain';

export const CHAT_ID = 1_987_654_321;

export const alice: Peer = { id: 'user1', name: 'Alice Archer', username: 'alice' };
export const bob: Peer = { id: 'user2', name: 'Bob Brown' };
export const carol: Peer = { id: 'user3', name: 'Карина Смирнова' };
export const dave: Peer = { id: 'user4', name: 'Dave Diaz' };
export const eve: Peer = { id: 'user5', name: 'Eve Evans' };
export const frank: Peer = { id: 'user6', name: 'Frank Fox' };
export const gina: Peer = { id: 'user7', name: 'Gina Gray' };
export const standupBot: Peer = { id: 'user90', name: 'Standup', username: 'standup_bot' };
export const helperBot: Peer = { id: 'user91', name: 'Helper', username: 'Helper_Bot' };

function msg(id: number, date: string, sender: Peer | undefined, text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { id, chatId: CHAT_ID, date, sender, text, reactions: [], ...extra };
}

/**
 * Week 2026-W43 in Europe/Berlin: Monday 19 Oct 00:00 CEST (18 Oct 22:00 UTC) to Monday 26 Oct 00:00 CET (25 Oct
 * 23:00 UTC), 169 hours, as clocks go back on Sunday 25 Oct. The expected answers are worked out in metrics.test.ts.
 */
export function handBuiltWeek(): ChatMessage[] {
  return [
    msg(90, '2026-10-18T21:59:00Z', alice, 'Anyone around on Sunday night?'), // 23:59 CEST Sunday: the week before
    msg(100, '2026-10-19T07:00:00Z', alice, 'Good morning all'),
    msg(101, '2026-10-19T07:10:00Z', bob, 'morning!', { replyToId: 100 }),
    msg(102, '2026-10-19T08:00:00Z', carol, 'How do I configure the webhook secret?'),
    msg(103, '2026-10-19T08:30:00Z', alice, 'Use the env var', { replyToId: 102 }),
    msg(104, '2026-10-20T10:00:00Z', dave, '#demo my bot is live https://demo.vercel.app', {
      links: ['https://demo.vercel.app'],
      reactions: [
        { emoji: '🔥', count: 5 },
        { emoji: '👏', count: 2 },
      ],
    }),
    msg(105, '2026-10-20T12:00:00Z', bob, "I'm stuck on the Stripe webhook"),
    msg(106, '2026-10-20T12:30:00Z', standupBot, 'Have you tried restarting?', { replyToId: 105 }),
    msg(107, '2026-10-21T09:00:00Z', carol, 'какой тариф выбрать для деплоя'),
    msg(108, '2026-10-21T09:05:00Z', carol, 'нашла сама', { replyToId: 107 }),
    msg(109, '2026-10-22T15:00:00Z', eve, '', { service: { action: 'join_group_by_link' } }),
    msg(110, '2026-10-22T15:01:00Z', alice, '', { service: { action: 'invite_members', members: [gina, helperBot] } }),
    msg(111, '2026-10-23T18:00:00Z', frank, '', { service: { action: 'remove_members', members: [frank] } }),
    msg(112, '2026-10-24T10:00:00Z', eve, 'Hi! Excited to be here', { reactions: [{ emoji: '❤', count: 3 }] }),
    msg(113, '2026-10-25T01:30:00Z', dave, 'Shipped the landing page https://landing.netlify.app'), // 02:30 CET, after the clocks went back
    msg(114, '2026-10-25T22:30:00Z', bob, 'Where are the slides?'), // 23:30 CET Sunday: still this week
    msg(115, '2026-10-25T22:45:00Z', alice, 'late answer to your Sunday question', { replyToId: 90 }),
    msg(116, '2026-10-25T23:10:00Z', dave, 'in the shared drive', { replyToId: 114 }), // 00:10 Monday: next week
  ];
}
