import {
  allHandlersFinished,
  CancellationScope,
  ChildWorkflowFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  isCancellation,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { JobSlotActivities, TelegramActivities, UserbotActivities } from '../activities';
import { accountTaskQueue, CONVERSATION_HELP, MAX_PROMPT_CHARS, type ConversationInput, type ConversationRun, type ConversationState, type ConversationUpdate, type JobProgress, type JobResult } from '../domain';
import { NON_RETRYABLE } from './extract-chat';
import { withFloodWaits } from './flood-wait';
import { jobSlotReply } from './job-slot-reply';
import { summarizeChat } from './summarize-chat';

/** One message from the user, sent by the listener with update-with-start. */
export const conversationMessage = defineUpdate<void, [ConversationUpdate]>('message');
/** The conversation's memory, for tests and operators. */
export const conversationStateQuery = defineQuery<ConversationState>('conversationState');

/** How many handled message ids the conversation remembers (ids only grow, so older ones cannot come back as new). */
const HANDLED_WINDOW = 500;
/** How many runs it keeps for /runs and /rerun. */
const RUNS_KEPT = 50;
const RUNS_SHOWN = 10;
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
 * One user's conversation with the userbot: a long-running workflow reached by update-with-start (one per account
 * and user). Each update is one message; a message id seen before is ignored, so a message delivered twice acts
 * once. It asks what to look for, starts `summarizeChat` as a child (which posts the status message and the
 * result text), then sends the Markdown and JSON files. Every reply goes out through the account worker's
 * activities (the limiter), never from the listener. It continues as new when its history grows, once every
 * handler has finished.
 */
export async function conversation(input: ConversationInput): Promise<void> {
  const state: ConversationState = input.carried ?? { runs: [], handled: [] };
  const self = workflowInfo().workflowId;
  const tg = proxyActivities<TelegramActivities & UserbotActivities>({
    taskQueue: accountTaskQueue(workflowInfo().taskQueue, input.account),
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
  });
  const scopes = new Map<number, CancellationScope>();
  // Redis only: quick, and retried until Redis answers (a job never starts without its slot).
  const slots = proxyActivities<JobSlotActivities>({
    taskQueue: accountTaskQueue(workflowInfo().taskQueue, input.account),
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  // Progress is best effort: a status that cannot be read is skipped, never a failed job.
  const peek = proxyActivities<UserbotActivities>({
    taskQueue: accountTaskQueue(workflowInfo().taskQueue, input.account),
    startToCloseTimeout: '10 seconds',
    retry: { maximumAttempts: 2 },
  });

  const reply = async (messageId: number, text: string): Promise<void> => {
    await withFloodWaits(() => tg.postToChat({ chat: input.replyTo, parts: [text], deliveryKey: `reply-${self}-${messageId}` }));
  };

  const running = () => state.runs.filter((r) => r.state === 'running');
  const findRun = (arg: string | undefined, pick: (r: ConversationRun) => boolean): ConversationRun | undefined => {
    if (arg === undefined) return [...state.runs].reverse().find(pick);
    const n = Number(arg.replace(/^#/, ''));
    return state.runs.find((r) => r.run === n);
  };

  async function runJob(messageId: number, chat: string, prompt: string | undefined): Promise<void> {
    const busy = running()[0];
    if (busy) {
      await reply(messageId, `Run ${busy.run} (${busy.chat}) is still going: wait for it, or stop it with /cancel ${busy.run}.`);
      return;
    }
    const jobId = `${self}-run-${messageId}`;
    // The job limits (per user per hour, per user at once, all users at once) live in Redis, on Redis's clock.
    const slot = await slots.claimJobSlot({ userId: input.userId, runId: jobId });
    if (!slot.ok) return reply(messageId, jobSlotReply(slot, new Date()));
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
      await CancellationScope.nonCancellable(() => slots.releaseJobSlot({ userId: input.userId, runId: jobId }));
    }
  }

  async function handle({ messageId, command }: ConversationUpdate): Promise<void> {
    switch (command.kind) {
      case 'help':
        return reply(messageId, CONVERSATION_HELP);
      case 'invalid':
        return reply(messageId, command.reply);
      case 'summarize':
        if (command.prompt !== undefined) return runJob(messageId, command.chat, command.prompt);
        state.pendingChat = command.chat;
        return reply(messageId, `What should I look for in ${command.chat}? Send it as a message, or /go for the default digest.`);
      case 'go':
      case 'text': {
        const chat = state.pendingChat;
        if (!chat) return reply(messageId, command.kind === 'go' ? 'Nothing to go on: send a chat link first.' : 'Send a chat link (or forward a message from the chat) to summarize it, or /help.');
        const prompt = command.kind === 'text' ? command.text.trim() : undefined;
        if (prompt && prompt.length > MAX_PROMPT_CHARS) return reply(messageId, `Your prompt has ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARS}: shorten it and send it again.`);
        delete state.pendingChat;
        return runJob(messageId, chat, prompt || undefined);
      }
      case 'status': {
        const now = running();
        const waiting = state.pendingChat ? `\nWaiting for what to look for in ${state.pendingChat} (or /go).` : '';
        return reply(messageId, (now.length === 0 ? 'Nothing is running.' : now.map((r) => `Run ${r.run}: ${r.chat} — running`).join('\n')) + waiting);
      }
      case 'runs': {
        const last = state.runs.slice(-RUNS_SHOWN).reverse();
        return reply(messageId, last.length === 0 ? 'No runs yet.' : last.map(describeRun).join('\n'));
      }
      case 'cancel': {
        const run = findRun(command.run, (r) => r.state === 'running');
        if (!run || run.state !== 'running') return reply(messageId, command.run ? `Run ${command.run} is not running: /runs lists them.` : 'Nothing is running.');
        scopes.get(run.run)?.cancel();
        return reply(messageId, `Stopping run ${run.run} (${run.chat})…`);
      }
      case 'rerun': {
        const run = findRun(command.run, () => true);
        if (!run) return reply(messageId, command.run ? `There is no run ${command.run}: /runs lists them.` : 'No run to repeat yet.');
        return runJob(messageId, run.chat, run.prompt);
      }
    }
  }

  setHandler(conversationStateQuery, () => state);
  setHandler(conversationMessage, async (update) => {
    if (state.handled.includes(update.messageId)) return;
    state.handled.push(update.messageId);
    if (state.handled.length > HANDLED_WINDOW) state.handled.splice(0, state.handled.length - HANDLED_WINDOW);
    await handle(update);
  });

  await condition(() => workflowInfo().continueAsNewSuggested && allHandlersFinished());
  await continueAsNew<typeof conversation>({ ...input, carried: state });
}

function describeRun(r: ConversationRun): string {
  const what = r.prompt ? ` "${r.prompt.length > 40 ? `${r.prompt.slice(0, 40)}…` : r.prompt}"` : '';
  const detail = r.state === 'done' ? `done, ${r.messages ?? 0} messages` : r.state === 'failed' ? `failed: ${r.error ?? ''}` : r.state;
  return `Run ${r.run}: ${r.chat}${what} — ${detail}`;
}

/** The innermost message of a failure, on one line: what the user can act on. */
function oneLine(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.slice(0, 300);
}
