import { Api } from 'telegram';
import { MAX_PROMPT_CHARS } from '../../src/domain';
import { piltoverGroup, piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { chatMessages, startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/**
 * `/ask` without an LLM on a real MTProto server: the owner asks in Saved Messages and gets the group's messages
 * that best match the question, ranked, each linked; what the owner's phone shows is what is checked.
 */

jest.setTimeout(180_000);

const ACCOUNT = 'askbot';
const TITLE = 'Ask cohort';

let owner: PiltoverUser;
let friend: PiltoverUser;
let group: string;
/** The group's messages as the server numbered them: text → id. */
const posted = new Map<string, number>();
let stack: UserbotStack;

beforeAll(async () => {
  [owner, friend] = await Promise.all([piltoverUser('Asker'), piltoverUser('Helper')]);
  group = (await piltoverGroup(owner, TITLE, [friend])).username;
  const lines = ['Who can review the deploy script?', 'I can, after lunch', 'The demo is on Friday at 15:00', 'Blocked: the staging database is down', 'Fixed staging, it was the disk', 'Lunch at noon anyone?'];
  for (const [i, line] of lines.entries()) posted.set(line, (await (i % 2 === 0 ? owner : friend).client.sendMessage(`@${group}`, { message: line })).id);
  stack = await startUserbotStack({ owner, account: ACCOUNT, allow: '' });
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([owner, friend].map((u) => u?.close()));
});

async function savedAfter(afterId: number): Promise<Api.Message[]> {
  return (await chatMessages(owner, 'me', 60)).filter((m) => m.id > afterId);
}

/** Sends `text` to Saved Messages and waits for the userbot's reply that `match` picks. */
async function ask(text: string, match: (m: Api.Message) => boolean, ms = 60_000): Promise<{ sent: Api.Message; reply: Api.Message }> {
  const sent = await owner.client.sendMessage('me', { message: text });
  const reply = await waitFor(`the reply to ${text.slice(0, 40)}`, async () => (await savedAfter(sent.id)).find(match), ms);
  return { sent, reply };
}

/** The `t.me/<group>/<id>` links of a text, as message ids. */
function linkedIds(text: string): number[] {
  return [...text.matchAll(new RegExp(`https://t\\.me/${group}/(\\d+)`, 'g'))].map((m) => Number(m[1]));
}

describe('/ask without an LLM on a real MTProto server', () => {
  test('answers with the best-matching messages, ranked, each linked to its real message, and says it is a no-model answer', async () => {
    const { sent, reply } = await ask(`/ask https://t.me/${group} Who fixed the staging disk?`, (m) => m.message.startsWith('No-model answer'));
    expect(reply.message).toContain('no LLM endpoint is configured');
    const ids = linkedIds(reply.message);
    // Every link points at a message the group really has; the best match (all three words) comes first.
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect([...posted.values()]).toContain(id);
    expect(ids[0]).toBe(posted.get('Fixed staging, it was the disk'));
    expect(ids).toContain(posted.get('Blocked: the staging database is down'));
    // Messages without any of the question's words are not offered.
    expect(ids).not.toContain(posted.get('The demo is on Friday at 15:00'));
    // The status message, edited in place, ends saying where the answer came from.
    const status = await waitFor('the final status', async () => (await savedAfter(sent.id)).find((m) => m.message.startsWith('Run 1 done')));
    expect(status.message).toBe(`Run 1 done: 7 messages read from "${TITLE}"; the messages that best match your question are below.`);
    const runs = await ask('/runs', (m) => m.message.startsWith('Run 1:'));
    expect(runs.reply.message).toMatch(new RegExp(`^Run 1: ask https://t.me/${group} "Who fixed the staging disk\\?" — done, 7 messages$`));
  });

  test('a question none of the messages speaks to gets a one-line no-match answer, not a made-up list', async () => {
    const { reply } = await ask(`/ask https://t.me/${group} zebras xylophones`, (m) => m.message.startsWith('No-model answer'));
    expect(reply.message).toBe(`No-model answer: none of the 7 messages of "${TITLE}" uses the words of “zebras xylophones” (zebras, xylophones). Try other words, or /summarize the chat.`);
    expect(linkedIds(reply.message)).toEqual([]);
  });

  test('no question, an overlong one, or a chat that does not exist: one line saying what to do', async () => {
    const empty = await ask(`/ask https://t.me/${group}`, (m) => m.message.startsWith('Say what you want to know'));
    expect(empty.reply.message).toBe('Say what you want to know: /ask <link or @username> <your question>.');
    // Over the limit, but still a message Telegram takes (4,096 characters).
    const long = await ask(`/ask https://t.me/${group} ${'why '.repeat(1005)}`, (m) => m.message.startsWith('Your question has'));
    expect(long.reply.message).toMatch(new RegExp(`^Your question has \\d+ characters; the limit is ${MAX_PROMPT_CHARS}: shorten it and send it again\\.$`));
    const missing = await ask('/ask https://t.me/no_such_group_here where is it?', (m) => / failed: /.test(m.message));
    expect(missing.reply.message).toMatch(/^Run \d+ \(https:\/\/t\.me\/no_such_group_here\) failed: .+/);
    expect(missing.reply.message).not.toContain('\n');
  });
});
