import type { Api } from 'telegram';
import { createLimiter } from '../../src/limiter';
import { createRecapSchedule, describeRecapSchedule, listRecapSchedules, recapScheduleId } from '../../src/starters/recap-schedules';
import { uniqueName } from '../support/stack';
import { piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { chatMessages, startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/** `/schedules` and `/limits` from the userbot on a real MTProto server. */

jest.setTimeout(180_000);

const ACCOUNT = 'schedbot';
let owner: PiltoverUser;
let stack: UserbotStack;
const cohort = uniqueName('Cohort');

beforeAll(async () => {
  owner = await piltoverUser('Uma');
  stack = await startUserbotStack({ owner, account: ACCOUNT, allow: '' });
  const input = { cohort: { name: cohort, source: { kind: 'telegram' as const, account: ACCOUNT, chat: '@somecohort' }, zone: 'Europe/Berlin' }, delivery: { kind: 'telegram' as const, account: ACCOUNT, chat: '@somecohort' } };
  await createRecapSchedule(stack.tw.client, { input, cron: '0 9 * * MON', taskQueue: stack.tw.taskQueue });
  // Another account's schedule is not this user's.
  await createRecapSchedule(stack.tw.client, { input: { ...input, cohort: { ...input.cohort, name: `${cohort} other`, source: { ...input.cohort.source, account: 'someoneelse' } }, delivery: { kind: 'files', dir: '/tmp' } }, cron: '0 9 * * MON', taskQueue: stack.tw.taskQueue });
  // Temporal lists schedules from its visibility store, a moment behind.
  await waitFor('the schedules listed', async () => ((await listRecapSchedules(stack.tw.client)).filter((s) => s.name.startsWith(cohort)).length === 2 ? true : undefined));
});

afterAll(async () => {
  for (const name of [cohort, `${cohort} other`]) await stack?.tw.client.schedule.getHandle(recapScheduleId(name)).delete().catch(() => undefined);
  await stack?.stop();
  await owner?.close();
});

async function command(text: string, match: (m: Api.Message) => boolean): Promise<Api.Message> {
  const sent = await owner.client.sendMessage('me', { message: text });
  return waitFor(`the reply to ${text}`, async () => (await chatMessages(owner, 'me', 40)).filter((m) => m.id > sent.id).find(match), 60_000);
}

describe('/schedules', () => {
  const id = recapScheduleId(cohort);

  test("lists this account's recap schedules with their next run in their own zone", async () => {
    const list = await command('/schedules', (m) => m.message.startsWith('Recap schedules of account'));
    expect(list.message).toContain(`• ${id} — "${cohort}", 0 9 * * MON Europe/Berlin: next run Mon `);
    expect(list.message).toMatch(/next run Mon \d{4}-\d\d-\d\d 09:00 Europe\/Berlin/);
    expect(list.message).not.toContain(`${cohort} other`);
  });

  test('pause and resume one by its id; the schedule really changes', async () => {
    const paused = await command(`/schedules pause ${id}`, (m) => m.message.startsWith('Paused') || m.message.startsWith('No recap'));
    expect(paused.message).toBe(`Paused ${id} ("${cohort}"): no recap runs until /schedules resume ${id}.`);
    expect((await describeRecapSchedule(stack.tw.client, cohort)).paused).toBe(true);
    const listed = await command('/schedules', (m) => m.message.startsWith('Recap schedules of account'));
    expect(listed.message).toContain(`• ${id} — "${cohort}", 0 9 * * MON Europe/Berlin: PAUSED (paused from the userbot)`);
    const resumed = await command(`/schedules resume ${id}`, (m) => m.message.startsWith('Resumed'));
    expect(resumed.message).toMatch(new RegExp(`^Resumed ${id} \\("${cohort}"\\): next run Mon .* Europe/Berlin\\.$`));
    expect((await describeRecapSchedule(stack.tw.client, cohort)).paused).toBe(false);
  });

  test("a schedule that is not this account's, or does not exist, is refused in one line and left alone", async () => {
    const other = recapScheduleId(`${cohort} other`);
    const refused = await command(`/schedules pause ${other}`, (m) => m.message.startsWith('No recap schedule'));
    expect(refused.message).toBe(`No recap schedule "${other}" uses account "${ACCOUNT}": /schedules lists them.`);
    expect((await describeRecapSchedule(stack.tw.client, `${cohort} other`)).paused).toBe(false);
  });
});

describe('/limits', () => {
  test("shows what is left of today's quotas, when they reset, and the calls made", async () => {
    // Three direct messages sent by this account today, through the same limiter keys the userbot uses.
    const limiter = createLimiter({ redis: stack.redis, prefix: stack.config.REDIS_KEY_PREFIX, ratePerSecond: 50, burst: 8 });
    for (let i = 0; i < 3; i++) await limiter.safeCall(ACCOUNT, 'dm', 'messages.SendMessage', () => Promise.resolve(1));
    const limits = await command('/limits', (m) => m.message.startsWith('Telegram limits'));
    const lines = limits.message.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Telegram limits of account "${ACCOUNT}", today \\(\\d{4}-\\d\\d-\\d\\d UTC\\):$`));
    expect(limits.message).toMatch(/^• Direct messages: 17 of 20 left \(3 used; MAX_DM_PER_DAY\); resets at 00:00 UTC \(in (\d+ h )?\d+ min\)$/m);
    expect(limits.message).toMatch(/^• Joins: \d+ of \d+ left/m);
    expect(limits.message).toContain('• No account pause in force.');
  });
});
