import { readHistoryPage } from '../../src/store';
import { progressQuery } from '../../src/workflows';
import { piltoverGroup, piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { chatMessages, documentName, startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/**
 * /cancel and /rerun on piltover, and a status message deleted mid-job, with the account's limiter slowed to one
 * request every two seconds so that an extraction of a few requests is still running when the owner acts.
 */

jest.setTimeout(180_000);

const TITLE = 'Long chat';
const MESSAGES = 320;

let owner: PiltoverUser;
let group: string;
let stack: UserbotStack;

beforeAll(async () => {
  owner = await piltoverUser('Maya');
  const g = await piltoverGroup(owner, TITLE);
  group = g.username;
  for (let i = 0; i < MESSAGES; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, MESSAGES - i) }, (_, k) => owner.client.sendMessage(`@${group}`, { message: `note ${i + k}` })));
  }
  stack = await startUserbotStack({ owner, account: 'slow', allow: '', ratePerSecond: 0.5 });
});

afterAll(async () => {
  await stack?.stop();
  await owner?.close();
});

const savedAfter = async (afterId: number) => (await chatMessages(owner, 'me', 60)).filter((m) => m.id > afterId);

/** How many history pages a job has stored so far. */
async function storedPages(jobPrefix: string): Promise<number> {
  let n = 0;
  for (;; n++) {
    try {
      await readHistoryPage(stack.store, jobPrefix, n);
    } catch {
      return n;
    }
  }
}

test('/cancel mid-extraction stops the job and its Telegram calls; /rerun runs it again to the end', async () => {
  const start = await owner.client.sendMessage('me', { message: `/summarize https://t.me/${group} what was noted` });
  const jobId = `conversation-slow-${stack.userbot.selfId}-run-${start.id}`;
  // Four history requests at one every two seconds, then the job's own replies: cancel as soon as it reads (on a
  // fast machine, waiting to see a status text could miss it).
  const job = stack.tw.client.workflow.getHandle(jobId);
  await waitFor('the job to read', () => job.query(progressQuery).then((p) => (p.phase === 'extracting' ? true : undefined), () => undefined), 60_000);
  const cancel = await owner.client.sendMessage('me', { message: '/cancel' });
  const cancelled = await waitFor('the cancellation', async () => (await savedAfter(cancel.id)).find((m) => m.message.endsWith('cancelled.')));
  expect(cancelled.message).toBe(`Run 1 (https://t.me/${group}) cancelled.`);
  // The history was never read to the end (it is stored in one page once it is), and is not later: no more
  // history is read for it, and no result is posted.
  expect(await storedPages(`jobs/${jobId}/history`)).toBe(0);
  expect((await job.describe()).status.name).toBe('CANCELLED');
  await new Promise((r) => setTimeout(r, 3000));
  expect(await storedPages(`jobs/${jobId}/history`)).toBe(0);
  expect((await savedAfter(start.id)).filter((m) => documentName(m))).toEqual([]);

  const rerun = await owner.client.sendMessage('me', { message: '/rerun 1' });
  const files = await waitFor('the rerun files', async () => {
    const docs = (await savedAfter(rerun.id)).filter((m) => documentName(m));
    return docs.length >= 2 ? docs : undefined;
  }, 120_000);
  expect(files).toHaveLength(2);
  const runs = await owner.client.sendMessage('me', { message: '/runs' });
  const listed = await waitFor('/runs', async () => (await savedAfter(runs.id)).find((m) => m.message.startsWith('Run 2:')));
  expect(listed.message.split('\n')).toEqual([
    expect.stringMatching(new RegExp(`^Run 2: https://t.me/${group} "what was noted" — done, ${MESSAGES + 1} messages$`)),
    `Run 1: https://t.me/${group} "what was noted" — cancelled`,
  ]);
});

test('the owner deletes the status message mid-job: the job still delivers, and the conversation goes on', async () => {
  const start = await owner.client.sendMessage('me', { message: `/summarize https://t.me/${group} anything new` });
  const status = await waitFor('the status message', async () => (await savedAfter(start.id)).find((m) => /^Run 3\b/.test(m.message)), 60_000);
  // Deleted while the job reads (one request every 2 s): its next edits are refused for good.
  await owner.client.deleteMessages('me', [status.id], { revoke: true });
  const files = await waitFor('the result files', async () => {
    const docs = (await savedAfter(start.id)).filter((m) => documentName(m));
    return docs.length >= 2 ? docs : undefined;
  }, 120_000);
  expect(files.map((m) => documentName(m)!.replace(/^.*\./, '')).sort()).toEqual(['json', 'md']);
  expect((await savedAfter(start.id)).filter((m) => m.message.startsWith(`${TITLE}: digest`))).toHaveLength(1);
  // The conversation still answers, and remembers the run as done.
  const runs = await owner.client.sendMessage('me', { message: '/runs' });
  const listed = await waitFor('/runs', async () => (await savedAfter(runs.id)).find((m) => m.message.startsWith('Run 3:')));
  expect(listed.message.split('\n')[0]).toMatch(new RegExp(`^Run 3: https://t.me/${group} "anything new" — done, ${MESSAGES + 1} messages$`));
});
