import type { Api } from 'telegram';
import { limiterKeys } from '../../src/limiter';
import { piltoverGroup, piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { chatMessages, documentName, startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/**
 * The job limits on a real MTProto server: with one job an hour allowed, the owner's second job is refused with the
 * time it may start (one hour after the first started, on Redis's clock), and nothing is started for it.
 */

jest.setTimeout(180_000);

const ACCOUNT = 'limits';

let owner: PiltoverUser;
let group: string;
let stack: UserbotStack;

beforeAll(async () => {
  owner = await piltoverUser('Lima');
  group = (await piltoverGroup(owner, 'Limits cohort')).username;
  for (const line of ['Kickoff on Monday', 'Who owns the deploy?', 'I do']) await owner.client.sendMessage(`@${group}`, { message: line });
  stack = await startUserbotStack({ owner, account: ACCOUNT, allow: '', jobLimits: { perHour: 1 } });
});

afterAll(async () => {
  await stack?.stop();
  await owner?.close();
});

async function savedAfter(afterId: number): Promise<Api.Message[]> {
  return (await chatMessages(owner, 'me', 60)).filter((m) => m.id > afterId);
}

test('the second job in an hour is refused with the time it may start; no job is started for it', async () => {
  const first = await owner.client.sendMessage('me', { message: `/summarize https://t.me/${group} who owns what` });
  await waitFor('the first job\'s files', async () => ((await savedAfter(first.id)).filter((m) => documentName(m)).length >= 2 ? true : undefined), 90_000);

  const second = await owner.client.sendMessage('me', { message: `/summarize https://t.me/${group} anything else` });
  const refused = await waitFor('the refusal', async () => (await savedAfter(second.id)).find((m) => m.message.startsWith('You have started')));
  // The first job's start, as Redis's clock recorded it; the next may start an hour later.
  const started = await stack.redis.zrange(limiterKeys(stack.config.REDIS_KEY_PREFIX).jobStarts(String(owner.id)), '0', '-1', 'WITHSCORES');
  expect(started).toHaveLength(2);
  const at = new Date(Number(started[1]) + 3_600_000).toISOString();
  const when = `${at.slice(0, 10) === new Date(Number(started[1])).toISOString().slice(0, 10) ? '' : `${at.slice(0, 10)} `}${at.slice(11, 16)} UTC`;
  expect(refused.message).toBe(`You have started as many jobs this hour as you may. You can start another job at ${when}.`);

  // Nothing ran for it: /runs still lists the one job, and no status message or file followed the refusal.
  const runs = await owner.client.sendMessage('me', { message: '/runs' });
  const listed = await waitFor('/runs', async () => (await savedAfter(runs.id)).find((m) => m.message.startsWith('Run ')));
  expect(listed.message.split('\n')).toHaveLength(1);
  expect(listed.message).toMatch(/^Run 1: /);
  expect((await savedAfter(second.id)).filter((m) => documentName(m) || /^Run 2/.test(m.message))).toEqual([]);
  // The first job gave its slot back when it ended.
  expect(await stack.redis.zcard(limiterKeys(stack.config.REDIS_KEY_PREFIX).jobsRunning(String(owner.id)))).toBe(0);
});
