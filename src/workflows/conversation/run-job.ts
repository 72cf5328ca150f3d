import { CancellationScope, ChildWorkflowFailure, condition, isCancellation, startChild } from '@temporalio/workflow';
import type { ConversationRun, JobProgress, JobResult } from '../../domain';
import { withFloodWaits } from '../flood-wait';
import { summarizeChat } from '../summarize-chat';
import { oneLine, runningRuns, type ConversationContext } from './context';

/** How many runs a conversation keeps for /runs and /rerun. */
const RUNS_KEPT = 50;
/**
 * At most one status edit this often (Telegram frowns on rapid edits; each one also costs a limiter token). After
 * the first minute the status is read less often, so a job of many hours keeps this workflow's history small.
 */
const STATUS_EVERY_MS = 3000;
const STATUS_LATER_MS = 60_000;
const STATUS_FAST_POLLS = 20;

const PHASES: Record<string, string> = { starting: 'starting', extracting: 'reading messages', waiting: 'waiting', summarizing: 'summarizing', delivering: 'posting the result', done: 'finishing', failed: 'failed' };

/** A job's status line: phase, messages read, and during a flood wait when Telegram lets us go on (UTC). */
function statusText(run: ConversationRun, progress: JobProgress): string {
  const head = `Run ${run.run}: ${run.chat} — ${PHASES[progress.phase] ?? progress.phase}, ${progress.messages} messages read`;
  return progress.resumesAt ? `${head}. Telegram asked us to wait until ${progress.resumesAt.slice(11, 16)} UTC.` : `${head}…`;
}

/**
 * Starts a `summarizeChat` job as a child for message `messageId`, one at a time per conversation: it keeps the
 * run in the conversation's memory, edits one status message while the job runs, sends the Markdown and JSON files
 * when it is done, and says why when it fails or is cancelled.
 */
export async function runJob(ctx: ConversationContext, messageId: number, chat: string, prompt: string | undefined): Promise<void> {
  const { input, state, self, tg, peek, scopes, reply } = ctx;
  const busy = runningRuns(state)[0];
  if (busy) {
    await reply(messageId, `Run ${busy.run} (${busy.chat}) is still going: wait for it, or stop it with /cancel ${busy.run}.`);
    return;
  }
  const jobId = `${self}-run-${messageId}`;
  const run: ConversationRun = { run: (state.runs.at(-1)?.run ?? 0) + 1, jobId, chat, ...(prompt ? { prompt } : {}), state: 'running' };
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
  await withFloodWaits(() => tg.postStatus({ chat: input.replyTo, statusKey, text: shown }));
  let finished = false;
  const watcher = (async () => {
    for (let poll = 0; !(await condition(() => finished, poll < STATUS_FAST_POLLS ? STATUS_EVERY_MS : STATUS_LATER_MS)); poll++) {
      const progress = await peek.jobProgress({ jobId }).catch(() => null);
      if (progress && !finished) await showStatus(statusText(run, progress));
    }
  })();
  const scope = new CancellationScope();
  scopes.set(run.run, scope);
  try {
    const result: JobResult = await scope.run(async () => {
      const child = await startChild(summarizeChat, {
        workflowId: jobId,
        args: [{ source: { kind: 'telegram', account: input.account, chat }, ...(prompt ? { prompt } : {}), delivery: { kind: 'telegram', account: input.account, chat: input.replyTo } }],
      });
      return child.result();
    });
    run.messages = result.messages;
    finished = true;
    await watcher;
    await showStatus(`Run ${run.run} done: ${result.messages} messages read from "${result.chat.title}". The summary is below.`);
    await withFloodWaits(() => tg.sendSummaryFiles({ jobId, chat: input.replyTo, chatInfo: result.chat, deliveryKey: `files-${jobId}` }));
    run.state = 'done';
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
