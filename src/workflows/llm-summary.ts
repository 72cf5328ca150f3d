import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createLlmActivities, LlmFailureType, LlmPartial } from '../activities/llm';
import type { ChatInfo, HistoryRef, TokenUsage } from '../domain';
import { HEARTBEAT_TIMEOUT } from './heartbeat-timeout';

type LlmActivities = ReturnType<typeof createLlmActivities>;

/** Reading and chunking a long history takes a while; it calls no model. */
const planning = proxyActivities<LlmActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2s', maximumAttempts: 3 },
});

/**
 * Model calls. Rate limits and server errors come back with the server's `Retry-After` as `nextRetryDelay`;
 * without one, the backoff below. A slow local model can take minutes for a full context.
 */
const calling = proxyActivities<LlmActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 10 },
});

const CONTEXT_LENGTH: LlmFailureType = 'LlmContextLength';
const REPLY_TOO_LONG: LlmFailureType = 'LlmReplyTooLong';
/** A merge cut at the length limit is asked again for 1/2, 1/4, 1/8 of the points; then the setup is wrong. */
const MAX_SQUEEZE = 8;

export interface LlmSummarizeInput {
  jobId: string;
  history: HistoryRef;
  chat: ChatInfo;
  /** The user's request; the default summary request when absent. */
  prompt?: string;
}

export interface LlmSummarizeResult {
  /** The `Summary` JSON in the artifact store. */
  summaryKey: string;
  usage: TokenUsage;
  /** Cited ids that were not among the messages the model was shown: dropped, never linked. */
  droppedIds: number;
  /** The same, by why: ids of no message at all (invented), real ids outside the part the model was given. */
  dropped: { invented: number; outOfRange: number };
  /** Merge calls and rounds it took. */
  merges: { calls: number; rounds: number };
  /** What the plan estimated, for comparing with `usage`. */
  estimatedTokens: number;
  chunks: number;
}

/**
 * Summarizes a stored history with the configured LLM, whatever its length: plan (chunk and estimate, refusing a
 * job over `MAX_TOKENS_PER_JOB`), summarize chunks in parallel (at most `LLM_CONCURRENCY` at a time), then merge
 * the partial summaries in rounds, each merge sized by what its answer can hold. A chunk the endpoint refuses as too
 * long, or whose summary is cut at the length limit, is split and summarized again; a merge cut at the length limit
 * is asked for fewer points; every chunk's findings reach the result whatever the merges keep. Runs inside a workflow (`summarizeChat` calls it); only keys and
 * numbers pass through its history.
 */
/** The ids a summary dropped, in one line for a run's notes (the summary itself says the same in its own notes). */
export function droppedIdsNote(dropped: { invented: number; outOfRange: number }, where: string): string | undefined {
  const parts: string[] = [];
  if (dropped.invented > 0) parts.push(`${dropped.invented} message id(s) that do not exist`);
  if (dropped.outOfRange > 0) parts.push(`${dropped.outOfRange} real id(s) outside the part of ${where} it was given`);
  return parts.length ? `The model cited ${parts.join(' and ')}; they were dropped, not linked.` : undefined;
}

export async function llmSummarize(input: LlmSummarizeInput): Promise<LlmSummarizeResult> {
  const plan = await planning.planLlmSummary(input);
  const { jobId } = input;
  let usage: TokenUsage = { promptTokens: 0, completionTokens: 0, calls: 0, costUsd: 0 };
  let dropped = { invented: 0, outOfRange: 0 };
  const merges = { calls: 0, rounds: 0 };
  const count = (p: LlmPartial) => {
    usage = add(usage, p.usage);
    dropped = { invented: dropped.invented + p.dropped.invented, outOfRange: dropped.outOfRange + p.dropped.outOfRange };
    return p;
  };
  // A reply cut at the length limit was paid for, though not used.
  const countCut = (cut: { usage?: TokenUsage }) => {
    if (cut.usage) usage = add(usage, cut.usage);
  };

  // Map. A chunk refused as too long, or whose summary was cut at the length limit, becomes smaller chunks,
  // summarized in its place so order is kept.
  const summarize = async (chunk: string): Promise<LlmPartial[]> => {
    try {
      return [count(await calling.summarizeChunk({ jobId, chunk }))];
    } catch (err) {
      const refused = contextRefusal(err);
      const cut = replyCut(err);
      if (!refused && !cut) throw err;
      if (cut) countCut(cut);
      const pieces = await planning.splitChunk({ jobId, chunk, ...(refused ? { contextTokens: refused.contextTokens, reason: 'context' as const } : { reason: 'reply' as const }) });
      // One after another, so a split never exceeds the concurrency the user set.
      const out: LlmPartial[] = [];
      for (const piece of pieces) out.push(...(await summarize(piece)));
      return out;
    }
  };
  let level = (await pool(plan.chunks, plan.concurrency, summarize)).flat();

  // One merge call; a reply cut at the length limit is asked again for fewer points.
  const reduce = async (inputs: LlmPartial[], final: boolean): Promise<LlmPartial> => {
    for (let squeeze = 1; ; squeeze *= 2) {
      try {
        const extra = final ? { usageSoFar: usage, droppedSoFar: dropped, mergesSoFar: merges } : {};
        return count(await calling.reduceSummaries({ jobId, inputs: inputs.map((p) => p.key), final, ...extra, ...(squeeze > 1 ? { squeeze } : {}) }));
      } catch (err) {
        const cut = replyCut(err);
        if (!cut) throw err;
        countCut(cut);
        if (squeeze >= MAX_SQUEEZE) throw mergeTooLong();
      }
    }
  };

  // Reduce, round after round, until one merge takes everything that is left. Every merge is sized by what its
  // reply can hold (plan.mergeRoomTokens) as well as by the context, so only merges of partials that are each full
  // already must compress, and they are told how much.
  let budget = plan.reduceBudgetTokens;
  for (;;) {
    const groups = packGroups(level, budget, plan.mergeRoomTokens);
    if (groups.length === 1) {
      try {
        const final = await reduce(groups[0]!, true);
        return { summaryKey: final.key, usage, droppedIds: dropped.invented + dropped.outOfRange, dropped, merges: merged(merges, groups[0]!), estimatedTokens: plan.estimate.tokens, chunks: plan.chunks.length };
      } catch (err) {
        if (!contextRefusal(err)) throw err;
        budget = shrink(budget, groups[0]!);
        continue;
      }
    }
    let calls = 0;
    const merge = async (group: LlmPartial[]): Promise<LlmPartial[]> => {
      if (group.length === 1) return group;
      try {
        const out = [await reduce(group, false)];
        calls++;
        return out;
      } catch (err) {
        if (!contextRefusal(err)) throw err;
        budget = shrink(budget, group);
        const half = Math.ceil(group.length / 2);
        return [...(await merge(group.slice(0, half))), ...(await merge(group.slice(half)))];
      }
    };
    const next = (await pool(groups, plan.concurrency, merge)).flat();
    if (next.length >= level.length) throw tooLongToMerge();
    merges.calls += calls;
    if (calls > 0) merges.rounds++;
    level = next;
  }
}

/** The merge counts once the final merge is done (it makes a call only when it has more than one input). */
function merged(before: { calls: number; rounds: number }, last: LlmPartial[]): { calls: number; rounds: number } {
  return last.length > 1 ? { calls: before.calls + 1, rounds: before.rounds + 1 } : before;
}

function replyCut(err: unknown): { usage?: TokenUsage } | undefined {
  if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure) || err.cause.type !== REPLY_TOO_LONG) return undefined;
  const detail = err.cause.details?.[0] as { usage?: TokenUsage } | undefined;
  return { usage: detail?.usage };
}

function mergeTooLong(): ApplicationFailure {
  return ApplicationFailure.create({
    message: `the model kept writing past LLM_MAX_OUTPUT_TOKENS when merging, even when asked for 1/${MAX_SQUEEZE} of the points: raise LLM_MAX_OUTPUT_TOKENS, or use a model that keeps to a requested length`,
    type: REPLY_TOO_LONG,
    nonRetryable: true,
  });
}

function contextRefusal(err: unknown): { contextTokens?: number } | undefined {
  if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure) || err.cause.type !== CONTEXT_LENGTH) return undefined;
  const detail = err.cause.details?.[0] as { contextTokens?: number | null } | undefined;
  return { contextTokens: detail?.contextTokens ?? undefined };
}

/** A smaller merge budget after a refusal: half of what the refused group held, so the next grouping differs. */
function shrink(budget: number, refused: LlmPartial[]): number {
  if (refused.length < 2) throw tooLongToMerge();
  return Math.min(budget, Math.floor(refused.reduce((sum, p) => sum + p.tokens, 0) / 2));
}

function tooLongToMerge(): ApplicationFailure {
  return ApplicationFailure.create({
    message: 'the partial summaries are too long to merge within the model\'s context: lower LLM_MAX_OUTPUT_TOKENS, or set LLM_CONTEXT_TOKENS to the model\'s real context',
    type: 'LlmSetup' satisfies LlmFailureType,
    nonRetryable: true,
  });
}

/**
 * Consecutive groups of partials whose merge input fits `budget` (the context) and whose points fit `room` (what
 * one merge reply can hold), at least two per group (a merge of one would not progress): two partials that are
 * each full already are merged all the same, and the merge is told to compress.
 */
export function packGroups(partials: LlmPartial[], budget: number, room = Number.POSITIVE_INFINITY): LlmPartial[][] {
  const groups: LlmPartial[][] = [];
  let current: LlmPartial[] = [];
  let used = 0;
  let usedOut = 0;
  for (const p of partials) {
    if (current.length >= 2 && (used + p.tokens > budget || usedOut + p.outTokens > room)) {
      groups.push(current);
      current = [];
      used = 0;
      usedOut = 0;
    }
    current.push(p);
    used += p.tokens;
    usedOut += p.outTokens;
  }
  if (current.length) groups.push(current);
  // A lone partial at the end joins the group before it rather than waiting a whole round.
  if (groups.length > 1 && groups[groups.length - 1]!.length === 1) {
    const last = groups.pop()!;
    groups[groups.length - 1]!.push(...last);
  }
  return groups;
}

/** Runs `fn` over `items` with at most `limit` at a time, results in item order. Deterministic, so workflow-safe. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const runner = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, runner));
  return out;
}

function add(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    calls: a.calls + b.calls,
    costUsd: (a.costUsd ?? 0) + (b.costUsd ?? 0),
  };
}
