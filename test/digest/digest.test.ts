import { buildDigest } from '../../src/digest';
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
  msg(13, 'user3', 'Can confirm, previews work now'),
  msg(14, 'user1', 'wow, in two weeks?', { replyToId: 5 }),
  msg(15, 'bot9', 'Daily check-in: what are you working on today?', { sender: { id: 'bot9', name: 'Cohort Bot', username: 'cohort7_bot' } }),
];

test('the digest counts, ranks and links what a group owner looks for', async () => {
  const summary = await buildDigest(testChat, () => asAsync(history));
  expect(summary.model).toBe('digest');
  expect(summary.stats).toMatchObject({ messages: 14, participants: 4 });
  const section = (h: string) => summary.sections.find((s) => s.heading === h)!;

  expect(section('At a glance').points.map((p) => p.text).join('\n')).toMatch(/14 messages from 4 people/);
  expect(section('At a glance').points.map((p) => p.text).join('\n')).toMatch(/1 joined/);

  const active = section('Most active members').points;
  // Ties are broken by name, so the list is stable from run to run.
  expect(active.map((p) => p.text)).toEqual(['Ana: 4 messages', 'Boris: 4 messages', 'Chen: 3 messages', 'Dana: 2 messages']);
  expect(active.map((p) => p.text)).not.toContain('Cohort Bot: 1 message');

  const replied = section('Most replied-to messages').points;
  expect(replied[0]).toEqual({ text: 'Dana: “Shipped my demo today” (3 replies)', messageIds: [5] });
  expect(replied.map((p) => p.messageIds[0])).toEqual([5, 2, 6]);

  const reacted = section('Most reacted messages').points;
  expect(reacted[0]!.messageIds).toEqual([5]);
  expect(reacted[0]!.text).toMatch(/7 reactions/);

  // Top-level questions nobody else answered, newest first: not the answered one (2), not a statement that opens
  // with "Can" (13), not a rhetorical reply (14), not the bot's check-in (15); a bump by the asker (10) answers nothing.
  const open = section('Questions without a reply').points.map((p) => p.messageIds[0]);
  expect(open).toEqual([9, 4]);
});

test('an empty range says so instead of inventing numbers', async () => {
  const summary = await buildDigest(testChat, () => asAsync([]));
  expect(summary.sections).toHaveLength(1);
  expect(summary.sections[0]!.points[0]!.text).toBe('No messages in the requested range.');
});

