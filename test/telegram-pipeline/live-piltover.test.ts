import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from 'telegram';
import type { ChatMessage, JobInput, JobResult, Summary, WeeklyMetrics } from '../../src/domain';
import { readSyncCursor } from '../../src/activities';
import { openExport } from '../../src/export';
import { computeWeeklyMetrics, lastCompletedWeek, weekOf } from '../../src/recap';
import { startSummarize } from '../../src/starters/jobs';
import { startRecap } from '../../src/starters/recap-schedules';
import { MAX_MESSAGE_CHARS } from '../../src/telegram';
import { runCli, type CliRun } from '../support/cli';
import { postConversation, writeConversationExport, type PostedMessage } from '../support/piltover-conversation';
import { piltoverGroup, piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { piltoverConfig, storedHistory, piltoverEnv, startPiltoverPipeline, type PiltoverPipeline } from './support/piltover-pipeline';

/**
 * tgpulse end to end on a real MTProto server (piltover): `tgpulse login` writes the session file, the real account
 * worker opens it (lease, limiter, gramjs) and Temporal runs summarizeChat over a live group. The key invariant: a
 * conversation posted to the server and extracted live gives the same digest and recap numbers as the same history
 * run offline from an export written from what was posted.
 */

jest.setTimeout(180_000);

const ACCOUNT = 'maya';
const TITLE = 'Cohort live';
const MESSAGES = 90;

let dir: string;
let people: PiltoverUser[];
let maya: PiltoverUser;
let omar: PiltoverUser;
let group: string;
let groupId: number;
let posted: PostedMessage[];
let created: Api.MessageService;
let login: CliRun;
let whoami: CliRun;
let pipeline: PiltoverPipeline;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-live-piltover-'));
  people = await Promise.all([piltoverUser('Maya', { lastName: 'Goldberg' }), piltoverUser('Omar'), piltoverUser('Lena', { lastName: 'Kim' }), piltoverUser('Kofi', { lastName: '' })]);
  [maya, omar] = people as [PiltoverUser, PiltoverUser];
  const g = await piltoverGroup(maya, TITLE, people.slice(1));
  group = `@${g.username}`;
  groupId = g.id;
  posted = await postConversation(people, group, { messages: MESSAGES });
  [created] = (await maya.client.getMessages(group, { reverse: true, limit: 1 })) as unknown as [Api.MessageService];

  const config = piltoverConfig(dir, ACCOUNT);
  const env = piltoverEnv(config);
  login = await runCli(['login', '--account', ACCOUNT, '--phone', maya.phone, '--code', '22222'], env);
  whoami = await runCli(['whoami', '--account', ACCOUNT], env);
  pipeline = await startPiltoverPipeline({ config, account: ACCOUNT, dir });
});

afterAll(async () => {
  await pipeline?.stop();
  await Promise.all((people ?? []).map((p) => p.close()));
});

async function run(input: JobInput): Promise<JobResult> {
  const handle = await startSummarize(pipeline.tw.client, { TEMPORAL_TASK_QUEUE: pipeline.tw.taskQueue }, input, 'live');
  return handle.result();
}


const summaryOf = (result: JobResult): Summary => JSON.parse(readFileSync(result.files.find((f) => f.endsWith('.json'))!, 'utf8')) as Summary;
/** What both sides must agree on: a digest's text and cited messages (links differ: a live public group has a username, its export does not). */
const digestNumbers = (s: Summary) => ({ stats: s.stats, sections: s.sections.map((sec) => ({ heading: sec.heading, points: sec.points.map((p) => ({ text: p.text, messageIds: p.messageIds })) })) });
/** Exports carry no usernames and no links to a public group's name: compare the rest. */
function recapNumbers(m: WeeklyMetrics): unknown {
  return JSON.parse(JSON.stringify(m, (key, value: unknown) => (key === 'username' || key === 'link' ? undefined : value)));
}

describe('tgpulse on a real MTProto server', () => {
  test('tgpulse login (phone, code) writes the session; whoami reads it', () => {
    expect(login.stderr).toBe('');
    expect(login.stdout).toMatch(new RegExp(`^Logged in as Maya Goldberg \\(@${maya.username}\\)\\. Account "maya" saved to .*maya\\.session`));
    expect(whoami.stdout).toContain(`id       user${maya.id}`);
    expect(whoami.stdout).toContain(`username @${maya.username}`);
  });

  test('live extraction and an export of the same conversation give the same digest and recap numbers', async () => {
    const live = await run({ source: { kind: 'telegram', account: ACCOUNT, chat: group }, delivery: { kind: 'files', dir: join(dir, 'live') } });
    const exportPath = join(dir, 'result.json');
    writeConversationExport(exportPath, { id: groupId, title: TITLE, created, owner: maya }, posted);
    const offline = await run({ source: { kind: 'export', path: exportPath }, delivery: { kind: 'files', dir: join(dir, 'export') } });

    // The posts and the group's "created" service message.
    expect(live.messages).toBe(MESSAGES + 1);
    expect(offline.messages).toBe(MESSAGES + 1);
    expect(live.chat).toMatchObject({ id: groupId, title: TITLE, type: 'public_supergroup' });
    expect(digestNumbers(summaryOf(live))).toEqual(digestNumbers(summaryOf(offline)));

    const liveHistory = await storedHistory(pipeline.store, live.jobId);
    const exportHistory: ChatMessage[] = [];
    for await (const m of (await openExport(exportPath)).messages()) exportHistory.push(m);
    expect(liveHistory.map((m) => m.id)).toEqual(exportHistory.map((m) => m.id));
    const week = weekOf(new Date(posted[0]!.sent.date * 1000), 'UTC');
    const [liveWeek, exportWeek] = await Promise.all([computeWeeklyMetrics(liveHistory, { week, zone: 'UTC' }), computeWeeklyMetrics(exportHistory, { week, zone: 'UTC' })]);
    expect(recapNumbers(liveWeek)).toEqual(recapNumbers(exportWeek));
    // The conversation has what the numbers are about, so the equality means something.
    expect(liveWeek.messages).toBeGreaterThan(0);
    expect(liveWeek.replies).toBeGreaterThan(5);
    expect(liveWeek.questions.asked).toBeGreaterThan(3);
    expect(liveWeek.questions.answered).toBeGreaterThan(0);
    expect(liveWeek.questions.unansweredIds.length).toBeGreaterThan(0);
    expect(liveWeek.threadsStarted).toBeGreaterThan(0);
    expect(liveWeek.demos.length).toBeGreaterThan(0);
    expect(liveWeek.mostReacted.length).toBeGreaterThan(0);
    expect(liveHistory.filter((m) => m.edited).length).toBe(posted.filter((p) => p.edited).length);
  });

  test('--post-to: the summary lands in the group, in parts of at most 4096 characters under a status message', async () => {
    const before = ((await omar.client.getMessages(group, { limit: 1 })) as Api.Message[])[0]!.id;
    const result = await run({ source: { kind: 'telegram', account: ACCOUNT, chat: group }, delivery: { kind: 'telegram', account: ACCOUNT, chat: group } });
    const after = ((await omar.client.getMessages(group, { minId: before, limit: 100 })) as Api.Message[]).reverse();
    expect(after.every((m) => m.senderId?.toString() === String(maya.id))).toBe(true);
    const [status, ...parts] = after;
    expect(status!.message).toMatch(new RegExp(`^Summary of "${TITLE}" \\(\\d+ history entries\\): ${parts.length} message\\(s\\) below\\.$`));
    expect(parts.length).toBeGreaterThanOrEqual(1);
    for (const p of parts) expect(p.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(parts.map((p) => p.message).join('\n')).toContain(`https://t.me/${group.slice(1)}/`);
    expect(result.notes).toContain(`Posted ${parts.length} message(s) to ${group} as account "${ACCOUNT}".`);
  });

  test('incremental sync picks up new messages and edits, and moves its cursor to the newest', async () => {
    const sync = (label: string) => run({ source: { kind: 'telegram', account: ACCOUNT, chat: group, sync: true }, delivery: { kind: 'files', dir: join(dir, label) } });
    const first = await sync('sync-1');
    const cursor = await readSyncCursor(pipeline.store, ACCOUNT, groupId);
    const newest = ((await omar.client.getMessages(group, { limit: 1 })) as Api.Message[])[0]!;
    expect(cursor).toMatchObject({ lastId: newest.id });

    const added = [await omar.client.sendMessage(group, { message: 'A new question after the sync?' }), await maya.client.sendMessage(group, { message: 'And a new answer' })];
    const target = posted.find((p) => p.by === omar && !p.edited)!;
    await omar.client.editMessage(group, { message: target.sent.id, text: 'corrected after the first sync' });
    const second = await sync('sync-2');
    const history = await storedHistory(pipeline.store, second.jobId);
    const ids = history.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of added) expect(history.find((m) => m.id === a.id)).toMatchObject({ text: a.message });
    // Everything here was posted within the 48 h trailing window, so the edit is read again.
    expect(history.find((m) => m.id === target.sent.id)).toMatchObject({ text: 'corrected after the first sync', edited: expect.any(String) });
    expect(second.messages).toBe(first.messages + added.length);
    expect(await readSyncCursor(pipeline.store, ACCOUNT, groupId)).toMatchObject({ lastId: added[1]!.id });
  });

  test('exportMembers writes every member to CSV; exportMessages writes the history to JSONL, honouring since to the millisecond', async () => {
    const start = <R>(workflow: string, args: unknown): Promise<R> =>
      pipeline.tw.client.workflow.start(workflow, { taskQueue: pipeline.tw.taskQueue, workflowId: `${workflow}-${Date.now()}`, args: [args] }).then((h) => h.result() as Promise<R>);
    const csv = join(dir, 'members.csv');
    const members = await start<{ members: number }>('exportMembers', { account: ACCOUNT, chat: group, path: csv });
    expect(members.members).toBe(people.length);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(people.length + 1);
    for (const p of people) expect(rows.some((r) => r.includes(`user${p.id}`) && r.includes(p.username))).toBe(true);

    const jsonl = join(dir, 'messages.jsonl');
    const all = [...((await omar.client.getMessages(group, { limit: 1000 })) as Api.Message[])].map((m) => m.id).sort((a, b) => a - b);
    const exported = await start<{ messages: number }>('exportMessages', { account: ACCOUNT, chat: group, path: jsonl });
    const lines = readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ChatMessage);
    expect(exported.messages).toBe(all.length);
    expect(lines.map((m) => m.id)).toEqual(all);
    // Half a second after the second of the 40th post: the posts of that second are left out.
    const cut = posted[40]!.sent.date * 1000 + 500;
    const since = await start<{ messages: number }>('exportMessages', { account: ACCOUNT, chat: group, path: join(dir, 'since.jsonl'), since: new Date(cut).toISOString() });
    expect(since.messages).toBe(lines.filter((m) => Date.parse(m.date) >= cut).length);
    expect(since.messages).toBeLessThan(lines.filter((m) => Date.parse(m.date) >= cut - 500).length);
  });

  test('a weekly recap of the live group is posted into it: the infographic with the opening as caption, then the rest', async () => {
    // A week is recapped once it is over, and piltover dates every post now: the live group's last completed week
    // is empty, so this proves the recap's delivery on a real server (upload, caption, parts); its numbers over
    // live messages are the invariant's.
    const week = lastCompletedWeek(new Date(posted[0]!.sent.date * 1000), 'UTC');
    const last = ((await omar.client.getMessages(group, { limit: 1 })) as Api.Message[])[0]!.id;
    const result = await (
      await startRecap(pipeline.tw.client, pipeline.tw.taskQueue, { cohort: { name: `live-${groupId}`, source: { kind: 'telegram', account: ACCOUNT, chat: group }, zone: 'UTC' }, week, delivery: { kind: 'telegram', account: ACCOUNT, chat: group } })
    )
      .result()
      .catch((err: { cause?: { message?: string; cause?: { message?: string } } }) => {
        throw new Error(`recap failed: ${err.cause?.message} / ${err.cause?.cause?.message}`);
      });
    const inGroup = [...((await omar.client.getMessages(group, { minId: last, limit: 100 })) as Api.Message[])].reverse();
    expect(inGroup.map((m) => m.id)).toEqual(result.posted);
    expect(inGroup.every((m) => m.senderId?.toString() === String(maya.id))).toBe(true);
    const [picture, ...rest] = inGroup;
    expect(picture!.media).toBeTruthy();
    expect(picture!.message).toMatch(new RegExp(`^Weekly recap · ${TITLE} · ${week}`));
    expect(picture!.message.length).toBeLessThanOrEqual(1024);
    expect(rest.every((m) => !m.media && m.message.length <= MAX_MESSAGE_CHARS)).toBe(true);
    expect(result).toMatchObject({ week, chatId: groupId, chatTitle: TITLE, messages: 0 });
  });
});
