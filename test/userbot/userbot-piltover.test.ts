import { Api } from 'telegram';
import { conversationWorkflowId } from '../../src/domain';
import { handleMessage, parseAllowlist, userbotIgnoredMessages } from '../../src/starters/userbot';
import { piltoverGroup, piltoverUser, receivedFrom, resolveUser, type PiltoverUser } from '../support/piltover-users';
import { chatMessages, documentName, startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/**
 * The userbot on a real MTProto server (piltover): the owner talks to it from their phone (a second session of the
 * account) in Saved Messages, an allowlisted friend in a direct message, a stranger too. What each of them sees in
 * their own client is what is checked.
 */

jest.setTimeout(180_000);

const ACCOUNT = 'pulse';
const TITLE = 'Userbot cohort';

let owner: PiltoverUser;
let friend: PiltoverUser;
let stranger: PiltoverUser;
let group: string;
let stack: UserbotStack;

beforeAll(async () => {
  [owner, friend, stranger] = await Promise.all([piltoverUser('Maya'), piltoverUser('Friend'), piltoverUser('Stranger')]);
  const g = await piltoverGroup(owner, TITLE, [friend]);
  group = g.username;
  const lines = ['Who can review the deploy script?', 'I can, after lunch', 'The demo is on Friday at 15:00', 'Blocked: the staging database is down', 'Fixed staging, it was the disk'];
  for (const [i, line] of lines.entries()) await (i % 2 === 0 ? owner : friend).client.sendMessage(`@${group}`, { message: line });
  stack = await startUserbotStack({ owner, account: ACCOUNT, allow: `@${friend.username}` });
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([owner, friend, stranger].map((u) => u?.close()));
});

/** What the userbot posted in the owner's Saved Messages after `afterId` (the owner's phone sees them as its own). */
async function savedAfter(afterId: number): Promise<Api.Message[]> {
  return (await chatMessages(owner, 'me', 60)).filter((m) => m.id > afterId);
}

// piltover may hand a user the owner's entity from a group update with an access hash that only works there: each
// user resolves the owner by username itself, as a new contact would.
const ownerAs = new Map<PiltoverUser, Api.User>();
async function ownerEntity(user: PiltoverUser): Promise<Api.User> {
  let entity = ownerAs.get(user);
  if (!entity) {
    entity = await resolveUser(user.client, owner.username);
    ownerAs.set(user, entity);
  }
  return entity;
}

/** `user` writes to the account in a direct message. */
async function dm(user: PiltoverUser, message: string): Promise<Api.Message> {
  return user.client.sendMessage(await ownerEntity(user), { message });
}

/** Replies `user` got in its direct chat with the account. */
async function repliesTo(user: PiltoverUser): Promise<Api.Message[]> {
  return receivedFrom(user.client, await ownerEntity(user));
}

describe('the userbot on a real MTProto server', () => {
  test('owner: a chat link → asks what to look for → /go → one status message, the digest text, the Markdown and JSON files', async () => {
    const link = await owner.client.sendMessage('me', { message: `https://t.me/${group}` });
    const asked = await waitFor('the question', async () => (await savedAfter(link.id)).find((m) => m.message.startsWith('What should I look for')));
    expect(asked.message).toBe(`What should I look for in https://t.me/${group}? Send it as a message, or /go for the default digest.`);

    const go = await owner.client.sendMessage('me', { message: '/go' });
    const files = await waitFor('both files', async () => {
      const docs = (await savedAfter(go.id)).filter((m) => documentName(m));
      return docs.length >= 2 ? docs : undefined;
    }, 60_000);
    const after = await savedAfter(go.id);
    // One status message, edited in place to its last state; then the digest text; then exactly two files.
    const status = after.filter((m) => /^(Run 1|Summariz|Summary of)/.test(m.message));
    expect(status).toHaveLength(1);
    expect(status[0]!.message).toBe(`Run 1 done: 6 messages read from "${TITLE}". The summary is below.`);
    const texts = after.filter((m) => !documentName(m) && m !== status[0]);
    expect(texts.length).toBeGreaterThanOrEqual(1);
    expect(texts.map((m) => m.message).join('\n')).toContain(TITLE);
    // No Markdown escapes leak into Telegram text.
    expect(texts.map((m) => m.message).join('\n')).not.toMatch(/\\[_*[\]()~`>#+\-=|{}.!]/);
    expect(files.map((m) => documentName(m)!.replace(/^.*\./, '')).sort()).toEqual(['json', 'md']);
    const md = (await owner.client.downloadMedia(files.find((m) => documentName(m)!.endsWith('.md'))!, {})) as Buffer;
    expect(md.toString('utf8')).toContain(TITLE);
    const json = JSON.parse(((await owner.client.downloadMedia(files.find((m) => documentName(m)!.endsWith('.json'))!, {})) as Buffer).toString('utf8')) as { stats: { messages: number } };
    expect(json.stats.messages).toBeGreaterThanOrEqual(5);

    // /runs shows it done, with the messages read.
    const runs = await owner.client.sendMessage('me', { message: '/runs' });
    const listed = await waitFor('/runs', async () => (await savedAfter(runs.id)).find((m) => m.message.startsWith('Run 1:')));
    expect(listed.message).toMatch(new RegExp(`^Run 1: https://t.me/${group} — done, \\d+ messages$`));

    // A catch-up sees the userbot's own replies in Saved Messages (getDifference returns them): none of them may
    // come back as the owner's next command.
    await stack.userbot.catchUp();
    const barrier = await owner.client.sendMessage('me', { message: '/status' });
    await waitFor('the barrier', async () => (await savedAfter(barrier.id)).find((m) => m.message.startsWith('Nothing is running')));
    expect((await savedAfter(link.id)).filter((m) => m.message.startsWith('Send a chat link') || m.message.startsWith('Nothing to go on'))).toEqual([]);
  });

  test('an allowlisted friend gets /help in their direct chat; a bad link gets one line saying what to do', async () => {
    await dm(friend, '/help');
    const help = await waitFor('/help', async () => (await repliesTo(friend)).find((m) => m.message.includes('/summarize <chat>')));
    expect(help.message).toContain('/cancel [run]');

    await dm(friend, 'https://t.me/+12');
    const bad = await waitFor('the bad link line', async () => (await repliesTo(friend)).find((m) => m.message.includes('t.me/+12')));
    expect(bad.message).not.toContain('\n');
    expect(bad.message).toMatch(/phone number link, not a chat/);

    await dm(friend, '/frobnicate');
    const unknown = await waitFor('the unknown command line', async () => (await repliesTo(friend)).find((m) => m.message.includes('/frobnicate')));
    expect(unknown.message).toBe("I don't know /frobnicate. Send /help for the list of commands.");
  });

  test("a stranger's messages start nothing and get no reply; they are counted", async () => {
    const before = (await userbotIgnoredMessages.get()).values.find((v) => v.labels.reason === 'stranger')?.value ?? 0;
    await stranger.client.sendMessage(`@${owner.username}`, { message: `/summarize https://t.me/${group}` });
    await dm(stranger, '/help');
    await waitFor('the stranger counted twice', async () => {
      const now = (await userbotIgnoredMessages.get()).values.find((v) => v.labels.reason === 'stranger')?.value ?? 0;
      return now >= before + 2 ? now : undefined;
    });
    // A friend's message sent after them is answered: the userbot was listening, and still said nothing to the stranger.
    await dm(friend, '/status');
    await waitFor('the friend answered', async () => (await repliesTo(friend)).find((m) => m.message.startsWith('Nothing is running')));
    expect(await repliesTo(stranger)).toEqual([]);
    await expect(stack.tw.client.workflow.getHandle(conversationWorkflowId(ACCOUNT, String(stranger.id))).describe()).rejects.toThrow(/not found/i);
  });

  test('a message handed on twice (a redelivery) acts once', async () => {
    const sent = await dm(friend, '/runs');
    await waitFor('the first answer', async () => (await repliesTo(friend)).find((m) => m.id > sent.id && m.message === 'No runs yet.'));
    // The same message again, as a catch-up after a reconnect would hand it on, with the id the account sees (a
    // private chat's ids are per user: the friend's copy has another).
    const friendAsOwnerSees = (await owner.client.invoke(new Api.contacts.ResolveUsername({ username: friend.username }))).users[0]!;
    const inbox = await owner.client.getMessages(friendAsOwnerSees, { limit: 20 });
    const received = inbox.find((m) => !m.out && m.message === '/runs' && m.date === sent.date)!;
    const listener = { client: stack.tw.client, taskQueue: stack.tw.taskQueue, account: ACCOUNT, selfId: stack.userbot.selfId, allowlist: parseAllowlist(`@${friend.username}`) };
    const again = { id: received.id, chatUserId: String(friend.id), senderId: String(friend.id), senderUsername: friend.username, out: false, text: '/runs' };
    await handleMessage(listener, again);
    await handleMessage(listener, again);
    const barrier = await dm(friend, '/status');
    await waitFor('the barrier', async () => (await repliesTo(friend)).find((m) => m.id > barrier.id && m.message.startsWith('Nothing is running')));
    expect((await repliesTo(friend)).filter((m) => m.id > sent.id && m.message === 'No runs yet.')).toHaveLength(1);
  });

  test('messages sent while the userbot was down are answered once when it starts again', async () => {
    await stack.stopUserbot();
    const first = await dm(friend, '/status');
    const second = await dm(friend, '/help');
    await stack.startAgain();
    await waitFor('both answers', async () => {
      const replies = (await repliesTo(friend)).filter((m) => m.id > second.id);
      return replies.some((m) => m.message.startsWith('Nothing is running')) && replies.some((m) => m.message.includes('/summarize <chat>')) ? replies : undefined;
    });
    // A watchdog tick (and the same messages as live updates, had any arrived) hand nothing on twice.
    await stack.userbot.catchUp();
    const barrier = await dm(friend, '/runs');
    await waitFor('the barrier', async () => (await repliesTo(friend)).find((m) => m.id > barrier.id));
    const replies = (await repliesTo(friend)).filter((m) => m.id > first.id);
    expect(replies.filter((m) => m.message.startsWith('Nothing is running'))).toHaveLength(1);
    expect(replies.filter((m) => m.message.includes('/summarize <chat>'))).toHaveLength(1);
  });
});
