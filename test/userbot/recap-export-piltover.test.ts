import type { Api } from 'telegram';
import { lastCompletedWeek } from '../../src/recap';
import { piltoverGroup, piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { chatMessages, documentName, startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/** `/recap` and `/export` from the userbot on a real MTProto server: what the owner's phone shows. */

jest.setTimeout(240_000);

const TITLE = 'Recap cohort';
let owner: PiltoverUser;
let friend: PiltoverUser;
let group: string;
const ids: number[] = [];
let stack: UserbotStack;

beforeAll(async () => {
  [owner, friend] = await Promise.all([piltoverUser('Rita'), piltoverUser('Sam')]);
  group = (await piltoverGroup(owner, TITLE, [friend])).username;
  for (const [i, line] of ['Who has the slides?', 'I do, sending now', '#demo my app is live: https://example.com/app'].entries()) {
    ids.push((await (i % 2 === 0 ? owner : friend).client.sendMessage(`@${group}`, { message: line })).id);
  }
  stack = await startUserbotStack({ owner, account: 'recapbot', allow: '' });
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([owner, friend].map((u) => u?.close()));
});

async function savedAfter(afterId: number): Promise<Api.Message[]> {
  return (await chatMessages(owner, 'me', 80)).filter((m) => m.id > afterId);
}

async function send(text: string): Promise<Api.Message> {
  return owner.client.sendMessage('me', { message: text });
}

async function download(m: Api.Message): Promise<string> {
  return ((await owner.client.downloadMedia(m, {})) as Buffer).toString('utf8');
}

describe('/recap in the conversation', () => {
  test('/recap <chat> last runs the weekly recap of the last completed week and posts it here', async () => {
    const before = lastCompletedWeek(new Date(), 'UTC');
    const sent = await send(`/recap @${group} last`);
    const status = await waitFor('the final status', async () => (await savedAfter(sent.id)).find((m) => m.message.startsWith('Run 1 done')), 120_000);
    const after = lastCompletedWeek(new Date(), 'UTC');
    // The week comes from the clock at the run's start: the test accepts either side of a week boundary.
    const week = /recap of (\d{4}-W\d\d) \(UTC\)/.exec(status.message)?.[1];
    expect([before, after]).toContain(week);
    expect(status.message).toMatch(new RegExp(`^Run 1 done: recap of ${week} \\(UTC\\) for "${TITLE}"`));
    // The group was created this week: nothing of it falls in the last completed week (said as no data when the
    // server tells the group's creation date, else as a week of no messages).
    expect(status.message).toMatch(/ \(0 messages\)\. It is below\.$|: the chat holds no messages from that week \(no data, not a quiet week\)\. It is below\.$/);
    // The recap itself: the infographic (with its caption), then the text.
    const posted = await waitFor('the recap posts', async () => {
      const list = (await savedAfter(sent.id)).filter((m) => m.id !== status.id && !m.message.startsWith('Run '));
      return list.some((m) => m.media) ? list : undefined;
    });
    expect(posted.map((m) => m.message).join('\n')).toContain(TITLE);
  });

  test('a week that has not ended yet fails with one line saying so', async () => {
    const sent = await send(`/recap @${group} 2099-W01`);
    const failed = await waitFor('the failure', async () => (await savedAfter(sent.id)).find((m) => / failed: /.test(m.message)), 90_000);
    expect(failed.message).toMatch(new RegExp(`^Run 2 \\(@${group}\\) failed: week 2099-W01 .* is not over yet in UTC`));
    expect(failed.message).not.toContain('\n');
  });
});

describe('/export in the conversation', () => {
  test('/export members sends the members as a CSV document', async () => {
    const sent = await send(`/export members @${group}`);
    const file = await waitFor('the CSV', async () => (await savedAfter(sent.id)).find((m) => documentName(m)?.endsWith('.csv')), 90_000);
    const status = (await savedAfter(sent.id)).find((m) => m.message.startsWith('Run 3 done'));
    expect(status?.message).toBe(`Run 3 done: 2 members of "${TITLE}" as CSV, in the file below.`);
    const csv = await download(file);
    expect(csv.split('\n')[0]).toMatch(/^id,username,first_name/);
    expect(csv).toContain(owner.username);
    expect(csv).toContain(friend.username);
  });

  test('/export messages sends the messages as JSONL whose ids are the group\'s', async () => {
    const sent = await send(`/export messages @${group}`);
    const file = await waitFor('the JSONL', async () => (await savedAfter(sent.id)).find((m) => documentName(m)?.endsWith('.jsonl')), 90_000);
    const lines = (await download(file)).trim().split('\n').map((l) => JSON.parse(l) as { id: number; text: string });
    for (const id of ids) expect(lines.map((l) => l.id)).toContain(id);
    expect(lines.find((l) => l.id === ids[1])?.text).toBe('I do, sending now');
  });

  test('an export of a chat that does not exist fails with one line; no file is sent', async () => {
    const sent = await send('/export members @no_such_group_zz9');
    const failed = await waitFor('the failure', async () => (await savedAfter(sent.id)).find((m) => / failed: /.test(m.message)), 90_000);
    expect(failed.message).toMatch(/^Run 5 \(@no_such_group_zz9\) failed: .+/);
    expect((await savedAfter(sent.id)).filter((m) => documentName(m))).toEqual([]);
  });
});
