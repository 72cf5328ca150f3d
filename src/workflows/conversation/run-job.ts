import { CancellationScope, ChildWorkflowFailure, condition, isCancellation, patched } from '@temporalio/workflow';
import type { ConversationJob, ConversationRun, JobProgress } from '../../domain';
import { bestEffortStatus } from '../best-effort-status';
import { withFloodWaits } from '../flood-wait';
import { jobSlotReply } from '../job-slot-reply';
import { askJob } from './ask';
import { oneLine, runningRuns, type ConversationContext } from './context';
import { estimateRemainingMs, etaText, type ProgressSample } from './eta';
import { exportJob } from './export';
import type { JobOutcome } from './job-child';
import { recapJob } from './recap';
import { summaryJob } from './summarize';

/** How many runs a conversation keeps for /runs and /rerun. */
const RUNS_KEPT = 50;
/**
 * At most one status edit this often (Telegram frowns on rapid edits; each one also costs a limiter token). After
 * the first minute the status is read less often, so a job of many hours keeps this workflow's history small.
 */
const STATUS_EVERY_MS = 3000;
const STATUS_LATER_MS = 60_000;
const STATUS_FAST_POLLS = 20;

const PHASES: Record<string, string> = { starting: 'starting', extracting: 'reading messages', waiting: 'waiting', summarizing: 'summarizing', computing: 'computing the week', rendering: 'drawing the recap', delivering: 'posting the result', done: 'finishing', failed: 'failed' };

/** A job's status line: phase, messages read, an ETA when one can be given, a flood wait's end (UTC). */
function statusText(run: ConversationRun, progress: JobProgress, eta: string | undefined): string {
  const head = `Run ${run.run}: ${run.chat} — ${PHASES[progress.phase] ?? progress.phase}, ${progress.messages} messages read`;
  if (progress.resumesAt) return `${head}. Telegram asked us to wait until ${progress.resumesAt.slice(11, 16)} UTC.`;
  return eta ? `${head}, ${eta}…` : `${head}…`;
}

/** Two runs read the same thing when they are the same job on the same chat (and week). */
function sameRead(a: ConversationJob, b: ConversationJob): boolean {
  if (a.kind === 'export' && b.kind === 'export') return a.what === b.what && a.chat === b.chat;
  if (a.kind === 'recap' && b.kind === 'recap') return a.chat === b.chat && a.week !== undefined && a.week === b.week;
  // A summary and an answer read the whole chat alike.
  const whole = (j: ConversationJob) => j.kind === 'summarize' || j.kind === 'ask';
  return whole(a) && whole(b) && a.chat === b.chat;
}

/** What an earlier finished read of the same thing counted: the expected count for the ETA (chats only grow). */
function expectedCount(ctx: ConversationContext, job: ConversationJob): number | undefined {
  const earlier = [...ctx.state.runs].reverse().find((r) => r.state === 'done' && r.messages !== undefined && sameRead(r.job ?? { kind: 'summarize', chat: r.chat }, job));
  return earlier?.messages;
}

function runnerOf(ctx: ConversationContext, run: ConversationRun, job: ConversationJob): Promise<JobOutcome> {
  switch (job.kind) {
    case 'summarize':
      return summaryJob(ctx, run, job);
    case 'ask':
      return askJob(ctx, run, job);
    case 'recap':
      return recapJob(ctx, run, job);
    case 'export':
      return exportJob(ctx, run, job);
  }
}

/**
 * Runs a job as a child workflow for message `messageId`, one at a time per conversation: it keeps the run in the
 * conversation's memory, edits one status message while the job runs (with an ETA when an earlier read of the same
 * chat gives the count to expect), and then shows the outcome; it says why when the job fails or is cancelled.
 */
export async function runJob(ctx: ConversationContext, messageId: number, job: ConversationJob): Promise<void> {
  const jobId = `${ctx.self}-run-${messageId}`;
  const slot = await ctx.slots.claimJobSlot({ userId: ctx.input.userId, runId: jobId });
  if (!slot.ok) {
    // Jobs at once: name the run that holds this user's slot when it is this conversation's.
    const busy = slot.reason === 'running' ? runningRuns(ctx.state)[0] : undefined;
    await ctx.reply(messageId, busy ? `Run ${busy.run} (${busy.chat}) is still going: wait for it, or stop it with /cancel ${busy.run}.` : jobSlotReply(slot, new Date()));
    return;
  }
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await CancellationScope.nonCancellable(() => ctx.slots.releaseJobSlot({ userId: ctx.input.userId, runId: jobId }));
  };
  try {
    await runClaimed(ctx, messageId, job, jobId, release);
  } finally {
    await release();
  }
}

/**
 * {@link runJob} once the job has its slot. `release` gives the slot back as soon as the status says "done": a user
 * who starts the next job on seeing it must not be told the last one is still running while its files go out.
 */
async function runClaimed(ctx: ConversationContext, messageId: number, job: ConversationJob, jobId: string, release: () => Promise<void>): Promise<void> {
  const { input, state, tg, peek, scopes, reply } = ctx;
  const { chat } = job;
  const prompt = job.kind === 'summarize' ? job.prompt : job.kind === 'ask' ? job.question : undefined;
  const run: ConversationRun = { run: (state.runs.at(-1)?.run ?? 0) + 1, jobId, chat, ...(prompt ? { prompt } : {}), job, state: 'running' };
  const expected = expectedCount(ctx, job);
  state.runs.push(run);
  if (state.runs.length > RUNS_KEPT) state.runs.splice(0, state.runs.length - RUNS_KEPT);
  // One status message per job (summarizeChat edits the same one, by its status key), edited at most every
  // STATUS_EVERY_MS and only when its text changes; every edit goes through the account's limiter.
  const statusKey = `status-${jobId}`;
  let shown = `Run ${run.run}: reading ${chat}…`;
  const showStatus = async (text: string) => {
    if (text === shown) return;
    shown = text;
    await withFloodWaits(() => tg.postStatus({ chat: input.replyTo, statusKey, text }));
  };
  try {
    await withFloodWaits(() => tg.postStatus({ chat: input.replyTo, statusKey, text: shown }));
  } catch (err) {
    // Nothing was started: the run must not stay "running" in /status and /runs.
    run.state = 'failed';
    run.error = oneLine(err);
    throw err;
  }
  let finished = false;
  const watcher = (async () => {
    let first: ProgressSample | undefined;
    for (let poll = 0; !(await condition(() => finished, poll < STATUS_FAST_POLLS ? STATUS_EVERY_MS : STATUS_LATER_MS)); poll++) {
      const progress = await peek.jobProgress({ jobId }).catch(() => null);
      if (!progress || finished) continue;
      // Workflow time is replay-safe: Date.now() inside a workflow is the time of the current task.
      const sample = { atMs: Date.now(), read: progress.messages };
      let eta: string | undefined;
      if (progress.phase === 'extracting' && !progress.resumesAt) {
        first ??= sample;
        const remaining = estimateRemainingMs(first, sample, expected);
        eta = remaining === undefined ? undefined : etaText(remaining);
      } else {
        // A wait or another phase: the rate measured before it says nothing of what follows.
        first = undefined;
      }
      // A failed edit (the status message deleted) must not end the watch: a failure left here would be an
      // unhandled rejection, which stalls the whole conversation.
      await bestEffortStatus(() => showStatus(statusText(run, progress, eta)));
    }
  })();
  const scope = new CancellationScope();
  scopes.set(run.run, scope);
  try {
    const outcome = await scope.run(() => runnerOf(ctx, run, job));
    run.messages = outcome.messages;
    // Done before the status says so: a /runs sent on seeing "done" must not answer "running".
    run.state = 'done';
    finished = true;
    await watcher;
    await release();
    // The result goes out even when the status cannot say "done" (its message deleted). Runs from before this
    // replay as they ran: a failed final edit failed the run.
    if (patched('conversation-status-best-effort')) await bestEffortStatus(() => showStatus(outcome.status));
    else await showStatus(outcome.status);
    await outcome.after?.();
  } catch (err) {
    if (isCancellation(err) || (err instanceof ChildWorkflowFailure && isCancellation(err.cause))) {
      run.state = 'cancelled';
      await CancellationScope.nonCancellable(() => reply(messageId, `Run ${run.run} (${chat}) cancelled.`));
      return;
    }
    run.state = 'failed';
    run.error = oneLine(err);
    await reply(messageId, `Run ${run.run} (${chat}) failed: ${run.error}`);
  } finally {
    finished = true;
    scopes.delete(run.run);
    await CancellationScope.nonCancellable(() => watcher);
  }
}
