import { buildDigest, looksLikeQuestion } from '../../src/digest';
import type { ChatMessage } from '../../src/domain';
import { asAsync, msg, testChat } from '../support/messages';

const history: ChatMessage[] = [
  msg(1, 'user1', 'Kickoff! Post your demos here'),
  msg(2, 'user2', 'How do I deploy the API to Fly?'),
  msg(3, 'user3', 'fly deploy, then set secrets', { replyToId: 2 }),
  msg(4, 'user1', 'Anyone tried Temporal schedules?'),
  msg(5, 'user4', 'Shipped my demo today', { reactions: [{ emoji: '🔥', count: 5 }, { emoji: '👏', count: 2 }] }),
  msg(6, 'user2', 'congrats!', { replyToId: 5 }),
  msg(7, 'user3', 'nice one', { replyToId: 5 }),
  msg(8, 'user4', 'thanks', { replyToId: 6 }),
  msg(9, 'user2', 'Where is the recording of Monday?'),
  msg(10, 'user2', 'bump, anyone?', { replyToId: 9 }), // a reply by the asker does not answer the question
  msg(11, 'user1', 'ok', { reactions: [{ emoji: '👍', count: 1 }] }),
  msg(12, 'user5', '', { service: { action: 'join_group_by_link' }, sender: { id: 'user5', name: 'Eve' } }),
];

test('the digest counts, ranks and links what a group owner looks for', async () => {
  const summary = await buildDigest(testChat, () => asAsync(history));
  expect(summary.model).toBe('digest');
  expect(summary.stats).toMatchObject({ messages: 11, participants: 4 });
  const section = (h: string) => summary.sections.find((s) => s.heading === h)!;

  expect(section('At a glance').points.map((p) => p.text).join('\n')).toMatch(/11 messages from 4 people/);
  expect(section('At a glance').points.map((p) => p.text).join('\n')).toMatch(/1 joined/);

  const active = section('Most active members').points;
  expect(active[0]!.text).toBe('Boris: 4 messages');
  expect(active.map((p) => p.text.split(':')[0])).toEqual(['Boris', 'Ana', 'Chen', 'Dana']);

  const replied = section('Most replied-to messages').points;
  expect(replied[0]).toEqual({ text: 'Dana: “Shipped my demo today” (2 replies)', messageIds: [5] });
  expect(replied.map((p) => p.messageIds[0])).toEqual([5, 2, 6]);

  const reacted = section('Most reacted messages').points;
  expect(reacted[0]!.messageIds).toEqual([5]);
  expect(reacted[0]!.text).toMatch(/7 reactions/);

  const open = section('Questions without a reply').points.map((p) => p.messageIds[0]);
  expect(open).toEqual([10, 9, 4]);
  expect(open).not.toContain(2);
});

test('an empty range says so instead of inventing numbers', async () => {
  const summary = await buildDigest(testChat, () => asAsync([]));
  expect(summary.sections).toHaveLength(1);
  expect(summary.sections[0]!.points[0]!.text).toBe('No messages in the requested range.');
});

test.each([
  ['How do I deploy?', true],
  ['anyone around', true],
  ['Подскажите, как настроить вебхук', true],
  ['Shipped it.', false],
  ['ok?', false],
])('looksLikeQuestion(%j) is %s', (text, expected) => {
  expect(looksLikeQuestion(text)).toBe(expected);
});
