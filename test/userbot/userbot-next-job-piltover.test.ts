import type { Api } from 'telegram';
import { limiterKeys } from '../../src/limiter';
import { piltoverGroup, piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { chatMessages, documentName, startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/**
 * One job at a time per user, on a real MTProto server: the owner who starts the next job the moment the status says
 * "done" (its files may still be on their way, at one request a second) gets that job, not "your other jobs are still running".
 */

jest.setTimeout(180_000);

let owner: PiltoverUser;
let group: string;
let stack: UserbotStack;

beforeAll(async () => {
  owner = await piltoverUser('Nadia');
  group = (await piltoverGroup(owner, 'Next job cohort')).username;
  for (const line of ['Kickoff on Monday', 'Who owns the deploy?', 'I do', 'Blocked: CI is red']) await owner.client.sendMessage(`@${group}`, { message: line });
  stack = await startUserbotStack({ owner, account: 'nextjob', allow: '', jobLimits: { atOnce: 1 }, ratePerSecond: 1 });
});

afterAll(async () => {
  await stack?.stop();
  await owner?.close();
});

const savedAfter = async (afterId: number): Promise<Api.Message[]> => (await chatMessages(owner, 'me', 60)).filter((m) => m.id > afterId);

test('a job started as soon as the last one says "done" runs, and both deliver their files', async () => {
  const first = await owner.client.sendMessage('me', { message: `/summarize https://t.me/${group} who owns what` });
  // The status message is edited in place; poll fast so the next job goes out right as "done" shows.
  const done = await waitFor('"Run 1 done"', async () => (await savedAfter(first.id)).find((m) => /^Run 1 done\b/.test(m.message)), 90_000);
  // No model is set up here: the user who gave a prompt is told it went unused.
  expect(done.message).toBe('Run 1 done: 5 messages read from "Next job cohort". The summary is below. No model is set up (OPENAI_BASE_URL), so your prompt was not used: this is the no-model digest.');
  const second = await owner.client.sendMessage('me', { message: `/summarize https://t.me/${group} what is blocked` });

  const after = await waitFor('both jobs\' files', async () => {
    const seen = await savedAfter(first.id);
    const refused = seen.some((m) => /still running|still going/.test(m.message));
    return refused || seen.filter((m) => documentName(m)).length >= 4 ? seen : undefined;
  }, 120_000);
  expect(after.filter((m) => /still running|still going/.test(m.message))).toEqual([]);
  expect(after.some((m) => m.id > second.id && /^Run 2 done\b/.test(m.message))).toBe(true);
  // Each job sent its Markdown and JSON file once (the names end in the job's id).
  const names = after.map((m) => documentName(m)).filter((n): n is string => n !== undefined);
  const jobs = [...new Set(names.map((n) => n.replace(/\.\w+$/, '')))];
  expect(jobs).toHaveLength(2);
  expect([...names].sort()).toEqual(jobs.flatMap((j) => [`${j}.json`, `${j}.md`]).sort());
  expect(await stack.redis.zcard(limiterKeys(stack.config.REDIS_KEY_PREFIX).jobsRunning(String(owner.id)))).toBe(0);
});
