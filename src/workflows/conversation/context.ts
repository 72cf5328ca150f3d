import { CancellationScope, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { JobSlotActivities, TelegramActivities, UserbotActivities } from '../../activities';
import { accountTaskQueue, type ConversationInput, type ConversationJob, type ConversationRun, type ConversationState } from '../../domain';
import { NON_RETRYABLE } from '../extract-chat';
import { withFloodWaits } from '../flood-wait';
import { HEARTBEAT_TIMEOUT } from '../heartbeat-timeout';

/**
 * What every command handler of a conversation shares: its input, its memory, the account's activities and the
 * one way to answer. Built once per run of the workflow; handlers get it as their first argument.
 */
export interface ConversationContext {
  input: ConversationInput;
  state: ConversationState;
  /** This conversation's workflow id: job ids and delivery keys derive from it. */
  self: string;
  /** The account's activities (replies, files, reads), retried; every Telegram call passes the account's limiter. */
  tg: TelegramActivities & UserbotActivities;
  /** The same activities for best-effort reads (a job's progress): short timeout, two attempts. */
  peek: UserbotActivities;
  /** The job limits (per user per hour, per user at once, all users at once), in Redis on Redis's clock. */
  slots: JobSlotActivities;
  /** Cancellation scopes of the running jobs, by run number (for /cancel). */
  scopes: Map<number, CancellationScope>;
  /** Answers message `messageId` with `text`, once (the delivery key is the message's). */
  reply(messageId: number, text: string): Promise<void>;
  /** Runs `job` for message `messageId` as a child workflow (see `runJob`): one at a time, with a status message. */
  runJob(messageId: number, job: ConversationJob): Promise<void>;
}

/** The patch id of replies sent in the order of their messages. */
const ORDERED_REPLIES = 'conversation-ordered-replies';

/**
 * Builds a conversation's context over its input and state. Call it inside the workflow function. `runJob` is
 * passed in, so the command handlers reach it through the context and never import the job runner.
 */
export function createContext(input: ConversationInput, state: ConversationState, runJob: (ctx: ConversationContext, messageId: number, job: ConversationJob) => Promise<void>): ConversationContext {
  const self = workflowInfo().workflowId;
  const taskQueue = accountTaskQueue(workflowInfo().taskQueue, input.account);
  // Replies go out through the reply account's worker (a bot in bot mode); reads, progress and slots stay on the account's.
  const tg = proxyActivities<TelegramActivities & UserbotActivities>({
    taskQueue: accountTaskQueue(workflowInfo().taskQueue, input.replyAccount ?? input.account),
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
  });
  // Progress is best effort: a status that cannot be read is skipped, never a failed job.
  const peek = proxyActivities<UserbotActivities>({ taskQueue, startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 2 } });
  // Redis only: quick, and retried until Redis answers (a job never starts without its slot).
  const slots = proxyActivities<JobSlotActivities>({ taskQueue, startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } });
  const send = async (messageId: number, text: string): Promise<void> => {
    await withFloodWaits(() => tg.postToChat({ chat: input.replyTo, parts: [text], deliveryKey: `reply-${self}-${messageId}` }));
  };
  // Handlers run side by side: without a queue, two messages handled together (a catch-up) could be answered in
  // the wrong order. Each reply waits for the one before it. Patched: conversations started before keep replaying.
  let previous: Promise<unknown> = Promise.resolve();
  const reply = (messageId: number, text: string): Promise<void> => {
    if (!patched(ORDERED_REPLIES)) return send(messageId, text);
    const sent = previous.then(() => send(messageId, text));
    previous = sent.catch(() => undefined);
    return sent;
  };
  const ctx: ConversationContext = { input, state, self, tg, peek, slots, scopes: new Map(), reply, runJob: (messageId, job) => runJob(ctx, messageId, job) };
  return ctx;
}

/** The runs still going. */
export function runningRuns(state: ConversationState): ConversationRun[] {
  return state.runs.filter((r) => r.state === 'running');
}

/** The run the user named (`3` or `#3`), or without a name the newest one that `pick` accepts. */
export function findRun(state: ConversationState, arg: string | undefined, pick: (r: ConversationRun) => boolean): ConversationRun | undefined {
  if (arg === undefined) return [...state.runs].reverse().find(pick);
  const n = Number(arg.replace(/^#/, ''));
  return state.runs.find((r) => r.run === n);
}

/** The innermost message of a failure, on one line: what the user can act on. */
export function oneLine(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.slice(0, 300);
}
