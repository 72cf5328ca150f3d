import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { Api } from 'telegram';
import { startTemporal, type TemporalDevServer } from '../../src/devstack';
import { conversationWorkflowId } from '../../src/domain';
import { handleMessage, parseAllowlist, toCommand } from '../../src/starters/userbot';
import type { IncomingTelegramMessage } from '../../src/telegram';
import { conversationMessage, conversationStateQuery } from '../../src/workflows';
import { piltoverGroup, piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { testStack, uniqueName } from '../support/stack';
import { chatMessages, documentName, startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/**
 * The owner's conversation is one long-running workflow that continues as new when its history grows. On a
 * Temporal dev server of its own that suggests continue-as-new after a few events (instead of thousands), the
 * owner talks to the userbot on a real MTProto server (piltover) across many such boundaries: what they see in
 * their Saved Messages must not show where the boundaries were.
 */

jest.setTimeout(600_000);

const ACCOUNT = 'canpulse';
const TITLE = 'Continue-as-new cohort';
/**
 * Continue-as-new is suggested once a run's history has this many events. A fresh run has 3; one answered
 * message adds about 8; a job, long before its child finishes, more than 20. So a run answers one or two
 * messages before it continues as new, and every job is still running when the suggestion comes.
 */
const SUGGEST_AT = 12;
/** Messages sent back to back to the freshly started userbot. */
const FIRST = 5;
/** Messages the burst test sends back to back. */
const BURST = 10;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

let temporalServer: TemporalDevServer;
let owner: PiltoverUser;
let group: string;
let stack: UserbotStack;
let workflowId: string;

beforeAll(async () => {
  temporalServer = await startTemporal({
    logDir: join(testStack().logDir, uniqueName('temporal-can')),
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_AT },
  });
  owner = await piltoverUser('Ines');
  group = (await piltoverGroup(owner, TITLE)).username;
  for (const line of ['Kickoff on Monday', 'Who owns the deploy?', 'I do', 'Blocked: CI is red']) await owner.client.sendMessage(`@${group}`, { message: line });
  stack = await startUserbotStack({ owner, account: ACCOUNT, allow: '', temporalAddress: temporalServer.address });
  workflowId = conversationWorkflowId(ACCOUNT, stack.userbot.selfId);
});

afterAll(async () => {
  await stack?.stop();
  await owner?.close();
  await temporalServer?.stop();
});

/** Everything in the owner's Saved Messages after `afterId`, oldest first. */
const savedAfter = async (afterId: number): Promise<Api.Message[]> => (await chatMessages(owner, 'me', 400)).filter((m) => m.id > afterId);

/** The messages the owner sent, in order: everything else in Saved Messages is the userbot's. */
const sent: Api.Message[] = [];
async function send(text: string): Promise<Api.Message> {
  const m = await owner.client.sendMessage('me', { message: text });
  sent.push(m);
  return m;
}

/** The userbot's replies after `m` and before the owner's next message (each step waits for its answers). */
async function repliesTo(m: Api.Message): Promise<Api.Message[]> {
  const next = sent.find((s) => s.id > m.id)?.id ?? Infinity;
  const mine = new Set(sent.map((s) => s.id));
  return (await savedAfter(m.id)).filter((r) => r.id < next && !mine.has(r.id));
}

/** The run answering messages now. */
const currentRunId = async (): Promise<string> => (await stack.tw.client.workflow.getHandle(workflowId).describe()).runId;

/** Every run of the conversation so far, oldest first, with how each ended. */
async function runsOfConversation(): Promise<{ runId: string; status: string }[]> {
  const out: { runId: string; status: string; start: number }[] = [];
  for await (const w of stack.tw.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) out.push({ runId: w.runId, status: w.status.name, start: w.startTime.getTime() });
  return out.sort((a, b) => a.start - b.start).map(({ runId, status }) => ({ runId, status }));
}

/** Whether every run but the last is listed as closed (visibility catches up with the runs a little later). */
const ended = (runs: { status: string }[]): boolean => runs.slice(0, -1).every((r) => r.status !== 'RUNNING');

async function historyOf(runId: string): Promise<HistoryEvent[]> {
  return (await stack.tw.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
}

/**
 * Sends `/status` until the conversation has continued as new since `runId` (the run that was answering): the
 * next message then lands on a run that did not see the earlier ones. Each filler must be answered with `expected`.
 */
async function crossBoundary(runId: string, expected: string): Promise<Api.Message[]> {
  const fillers: Api.Message[] = [];
  for (let i = 0; (await currentRunId()) === runId; i++) {
    if (i >= 20) throw new Error(`no continue-as-new after ${i} messages: is limit.historyCount.suggestContinueAsNew set?`);
    const filler = await send('/status');
    fillers.push(filler);
    await waitFor(`the answer to /status #${i + 1}`, async () => (await repliesTo(filler)).find((r) => r.message === expected), 60_000);
  }
  return fillers;
}

/** Waits for a job message's two files (the job's last replies). */
async function jobFiles(m: Api.Message): Promise<Api.Message[]> {
  return waitFor('the job\'s two files', async () => {
    const files = (await repliesTo(m)).filter((r) => documentName(r));
    return files.length >= 2 ? files : undefined;
  }, 180_000);
}

/** A job's replies: one status message that ends "done", at least one summary text, the two files, nothing twice. */
function expectJobReplies(replies: Api.Message[], run: number): void {
  const files = replies.filter((r) => documentName(r));
  const texts = replies.filter((r) => !documentName(r));
  expect(files.map((f) => documentName(f)!.replace(/^.*\./, '')).sort()).toEqual(['json', 'md']);
  const status = texts.filter((r) => /^Run \d+\b/.test(r.message));
  expect(status.map((s) => s.message)).toEqual([expect.stringMatching(new RegExp(`^Run ${run} done: \\d+ messages read from "${TITLE}"`))]);
  const summary = texts.filter((r) => !status.includes(r));
  expect(summary.length).toBeGreaterThanOrEqual(1);
  expect(new Set(summary.map((r) => r.message)).size).toBe(summary.length);
  expect(summary.map((r) => r.message).join('\n')).toContain(TITLE);
}

/** The updates a run accepted: their ids (`message-<id>` from the listener) and where in its history. */
function acceptedUpdates(events: HistoryEvent[]): { updateId: string; at: number }[] {
  return events.flatMap((e, at) => {
    const updateId = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId;
    return updateId ? [{ updateId, at }] : [];
  });
}

const childOf = (events: HistoryEvent[], jobId: string): number => events.findIndex((e) => e.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId === jobId);

describe('the conversation continues as new on a real Temporal server, and the owner notices nothing', () => {
  const WAITING = () => `Nothing is running.\nWaiting for what to look for in https://t.me/${group} (or /go).`;
  let job1: Api.Message;
  let job1Id: string;
  /** The run that handled the first job's message. */
  let jobRunId: string;

  test('the first messages to a freshly started userbot, sent back to back, are each answered once', async () => {
    // Each reply makes the account look up the owner's chat; with a cold cache the first lookup reads the dialogs,
    // and the lookups that come while it reads must wait for it (they used to fail: "Chat … is not among this
    // account's chats", and the message was never answered).
    const first: Api.Message[] = [];
    for (let i = 1; i <= FIRST; i++) first.push(await send(`/first${i}`));
    const expected = first.map((m) => `I don't know ${m.message}. Send /help for the list of commands.`);
    const got = await waitFor('every answer to the first messages', async () => {
      const texts = (await savedAfter(first[0]!.id)).filter((r) => !sent.some((m) => m.id === r.id)).map((r) => r.message);
      return texts.length >= FIRST ? texts : undefined;
    }, 60_000);
    expect([...got].sort()).toEqual([...expected].sort());
  });

  test('a job running when continue-as-new is suggested finishes, sends its files once, and only then does the run continue as new', async () => {
    job1 = await send(`/summarize https://t.me/${group} who owns what`);
    job1Id = `${workflowId}-run-${job1.id}`;
    await jobFiles(job1);

    // The run that started the job: continue-as-new was suggested while the child ran, and the run continued as
    // new only after the files went out (its handler had to finish first).
    const { runs, jobRun } = await waitFor('the job\'s run to continue as new', async () => {
      const all = await runsOfConversation();
      for (const r of all) {
        const events = await historyOf(r.runId);
        if (childOf(events, job1Id) >= 0) return r.status === 'CONTINUED_AS_NEW' ? { runs: all, jobRun: { runId: r.runId, events } } : undefined;
      }
      return undefined;
    }, 60_000);
    jobRunId = jobRun.runId;
    const { events } = jobRun;
    const childStarted = childOf(events, job1Id);
    const childDone = events.findIndex((e) => e.childWorkflowExecutionCompletedEventAttributes?.workflowExecution?.workflowId === job1Id);
    const filesScheduled = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendSummaryFiles');
    const filesDone = events.findIndex((e, i) => i > filesScheduled && e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === events[filesScheduled]?.eventId?.toString());
    const suggested = events.findIndex((e, i) => i > childStarted && i < childDone && e.workflowTaskStartedEventAttributes?.suggestContinueAsNew === true);
    const continued = events.findIndex((e) => e.workflowExecutionContinuedAsNewEventAttributes);
    expect(childStarted).toBeGreaterThanOrEqual(0);
    expect(suggested).toBeGreaterThan(childStarted);
    expect(childDone).toBeGreaterThan(suggested);
    expect(filesDone).toBeGreaterThan(childDone);
    expect(continued).toBeGreaterThan(filesDone);
    expect(continued).toBe(events.length - 1);
    expect(runs.find((r) => r.runId === jobRun.runId)!.status).toBe('CONTINUED_AS_NEW');

    // The owner saw one status message, the summary and the two files: nothing cut, nothing twice.
    expectJobReplies(await repliesTo(job1), 1);
    // The job's child ran once.
    const childRuns = [];
    for await (const w of stack.tw.client.workflow.list({ query: `WorkflowId = '${job1Id}'` })) childRuns.push(w);
    expect(childRuns).toHaveLength(1);
  });

  test('a chat link sent before a boundary and the prompt after it start the job; /runs after it still lists the earlier run', async () => {
    const link = await send(`https://t.me/${group}`);
    await waitFor('the question', async () => (await repliesTo(link)).find((r) => r.message.startsWith('What should I look for')), 60_000);
    const linkRun = await currentRunId();
    // The waiting chat shows in /status on every run after the link's.
    const fillers = await crossBoundary(linkRun, WAITING());
    expect(fillers.length).toBeGreaterThanOrEqual(1);

    const prompt = await send('what is blocked');
    await jobFiles(prompt);
    expectJobReplies(await repliesTo(prompt), 2);
    const promptRun = await currentRunId();
    expect(promptRun).not.toBe(linkRun);

    await crossBoundary(promptRun, 'Nothing is running.');
    const runs = await send('/runs');
    const listed = await waitFor('/runs', async () => (await repliesTo(runs)).find((r) => r.message.startsWith('Run 2:')), 60_000);
    expect(listed.message).toMatch(new RegExp(`^Run 2: https://t.me/${group} "what is blocked" — done, \\d+ messages\nRun 1: https://t.me/${group} "who owns what" — done, \\d+ messages$`));
    // Each of those messages got exactly one answer.
    expect((await repliesTo(link)).map((r) => r.message)).toEqual([expect.stringMatching(/^What should I look for/)]);
    for (const f of fillers) expect((await repliesTo(f)).map((r) => r.message)).toEqual([WAITING()]);
    expect((await repliesTo(runs)).map((r) => r.message)).toEqual([listed.message]);
  });

  test('a message delivered again right after a boundary starts nothing and gets no second answer', async () => {
    await crossBoundary(await currentRunId(), 'Nothing is running.');
    const runAfterBoundary = await currentRunId();

    // The first job's message again, as a catch-up after a reconnect hands it on, through the listener: the new
    // run has seen no update yet, so only the handled ids it carried can tell it is old.
    const listener = { client: stack.tw.client, taskQueue: stack.tw.taskQueue, account: ACCOUNT, selfId: stack.userbot.selfId, allowlist: parseAllowlist('') };
    const again: IncomingTelegramMessage = { id: job1.id, chatUserId: stack.userbot.selfId, senderId: stack.userbot.selfId, out: true, text: job1.message };
    expect(await handleMessage(listener, again)).toBe('sent');
    // Had the job started again, /status would show it running.
    const barrier = await send('/status');
    expect((await waitFor('the barrier', async () => (await repliesTo(barrier))[0], 60_000)).message).toBe('Nothing is running.');

    // The same message id under another update id (a second listener, a restarted one): Temporal's own update id
    // check cannot stop it, the conversation must.
    const other = await stack.tw.client.workflow.getHandle(workflowId).startUpdate(conversationMessage, {
      args: [{ messageId: job1.id, command: toCommand({ text: job1.message }) }],
      updateId: uniqueName('redelivery'),
      waitForStage: 'ACCEPTED',
    });
    await other.result();
    const barrier2 = await send('/status');
    expect((await waitFor('the second barrier', async () => (await repliesTo(barrier2))[0], 60_000)).message).toBe('Nothing is running.');

    const runs = await send('/runs');
    const listed = await waitFor('/runs', async () => (await repliesTo(runs))[0], 60_000);
    expect(listed.message).toMatch(/^Run 2: .*\nRun 1: [^\n]*$/);
    // The first job's own answers are still one status message and two files; its child ran once.
    expect((await repliesTo(job1)).filter((r) => /^Run \d+\b/.test(r.message))).toHaveLength(1);
    expect((await repliesTo(job1)).filter((r) => documentName(r))).toHaveLength(2);
    const childRuns = [];
    for await (const w of stack.tw.client.workflow.list({ query: `WorkflowId = '${job1Id}'` })) childRuns.push(w);
    expect(childRuns).toHaveLength(1);
    // The redelivery reached a run that never saw the first delivery, and that run remembers the id.
    expect(runAfterBoundary).not.toBe(jobRunId);
    expect((await stack.tw.client.workflow.getHandle(workflowId).query(conversationStateQuery)).handled).toContain(job1.id);
  });

  test('a burst of messages sent back to back while continue-as-new is due: every answer once, and the run continues as new only after all of them', async () => {
    const burst: Api.Message[] = [];
    // Each gets its own answer ("I don't know /nopeN…"), so a lost or doubled one shows. Sent without waiting, they
    // are handled side by side while the run's history is already past the threshold.
    for (let i = 1; i <= BURST; i++) burst.push(await send(`/nope${i}`));
    const expected = burst.map((m) => `I don't know ${m.message}. Send /help for the list of commands.`);
    await waitFor('every answer to the burst', async () => {
      const texts = (await savedAfter(burst[0]!.id)).map((r) => r.message);
      return expected.every((e) => texts.includes(e)) ? texts : undefined;
    }, 120_000);
    const barrier = await send('/status');
    await waitFor('the barrier', async () => (await repliesTo(barrier))[0], 60_000);
    const texts = (await savedAfter(burst[0]!.id)).filter((r) => r.id < barrier.id && !sent.some((m) => m.id === r.id)).map((r) => r.message);
    expect([...texts].sort()).toEqual([...expected].sort());
    expect((await repliesTo(barrier)).map((r) => r.message)).toEqual(['Nothing is running.']);

    // Temporal's side: each message of the burst was taken in by exactly one run, and every run that took some
    // finished handling all of them before it continued as new.
    const burstUpdates = new Set(burst.map((m) => `message-${m.id}`));
    // Past the last run that took some of the burst, so that every such run has ended (visibility may lag behind
    // the newest run: describe names it).
    const lastTaker = async (): Promise<string> => {
      const ids = [...new Set([...(await runsOfConversation()).map((r) => r.runId), await currentRunId()])];
      let last: string | undefined;
      for (const id of ids) if (acceptedUpdates(await historyOf(id)).some((u) => burstUpdates.has(u.updateId))) last = id;
      return last!;
    };
    await crossBoundary(await lastTaker(), 'Nothing is running.');
    const runs = await waitFor('the burst\'s runs to be listed', async () => {
      const all = await runsOfConversation();
      return all.at(-1)?.runId === (await currentRunId()) && ended(all) ? all : undefined;
    });
    const takenBy = new Map<string, string[]>();
    for (const r of runs.slice(0, -1)) {
      const events = await historyOf(r.runId);
      const accepted = acceptedUpdates(events).filter((u) => burstUpdates.has(u.updateId));
      for (const u of accepted) takenBy.set(u.updateId, [...(takenBy.get(u.updateId) ?? []), r.runId]);
      if (accepted.length === 0) continue;
      const completed = events.flatMap((e, i) => (e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId ? [{ updateId: e.workflowExecutionUpdateCompletedEventAttributes.meta.updateId, at: i }] : []));
      const continued = events.findIndex((e) => e.workflowExecutionContinuedAsNewEventAttributes);
      expect(r.status).toBe('CONTINUED_AS_NEW');
      for (const u of accepted) expect(completed.find((c) => c.updateId === u.updateId)?.at ?? Infinity).toBeLessThan(continued);
    }
    expect([...burstUpdates].map((u) => takenBy.get(u)?.length ?? 0)).toEqual(burst.map(() => 1));
  });

  test('over all of it: the conversation continued as new several times, and every message was answered exactly once', async () => {
    // Visibility lags a little behind: wait until it lists the current run and every earlier one as closed.
    const runs = await waitFor('every run listed', async () => {
      const all = await runsOfConversation();
      return all.at(-1)?.runId === (await currentRunId()) && ended(all) ? all : undefined;
    });
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.slice(0, -1).map((r) => r.status)).toEqual(runs.slice(0, -1).map(() => 'CONTINUED_AS_NEW'));
    // Every message the owner sent got its answers; none was left unanswered and none answered twice.
    for (const m of sent) {
      const replies = await repliesTo(m);
      // Jobs answer with several messages (checked above); a burst's answers interleave (checked above).
      if (m.message.startsWith('/summarize') || m.message === 'what is blocked' || /^\/(nope|first)/.test(m.message)) continue;
      expect({ message: m.message, replies: replies.length }).toEqual({ message: m.message, replies: 1 });
    }
  });
});
