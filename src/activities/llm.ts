import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { BadInputError, RemoteRefusedError, Summary, TransportError, type ChatInfo, type ChatMessage, type HistoryRef, type SummaryFinding, type SummaryStats, type TokenUsage } from '../domain';
import {
  addDropped,
  addUsage,
  chunkHistory,
  chunkPrompt,
  ContextLengthError,
  dataBudget,
  DEFAULT_SUMMARY_PROMPT,
  estimateJob,
  IdRanges,
  keepKnownIds,
  LlmClient,
  LlmOutputError,
  LlmSetupError,
  mergePrompt,
  mergeRoom,
  MIN_CHUNK_TOKENS,
  NO_DROPPED,
  NO_USAGE,
  renderDraft,
  ReplyTooLongError,
  TokenBudgetError,
  tokenCounterFor,
  type DroppedIds,
  type JobEstimate,
  type LlmSettings,
  type SummaryDraft,
  type TokenCounter,
} from '../llm';
import { readHistory, type ArtifactStore } from '../store';
import { withHeartbeats } from './heartbeat';

/** Failure types the LLM activities raise, for workflows to tell apart (`ApplicationFailure.type`). */
export type LlmFailureType =
  | 'LlmNotConfigured'
  | 'LlmSetup'
  | 'LlmContextLength'
  | 'LlmReplyTooLong'
  | 'LlmBadOutput'
  | 'LlmRateLimited'
  | 'LlmServerError'
  | 'LlmUnreachable'
  | 'TokenBudgetExceeded';

export interface LlmActivityDeps {
  store: ArtifactStore;
  /** Null when no endpoint is configured: every LLM activity then fails with `LlmNotConfigured`. */
  settings: LlmSettings | null;
}

export interface PlanLlmSummaryInput {
  jobId: string;
  history: HistoryRef;
  chat: ChatInfo;
  /** The user's request; the default summary request when absent. */
  prompt?: string;
}

/** What the plan says about a job. Small: it travels through workflow history. */
export interface LlmPlan {
  /** Chunk ids, oldest first. */
  chunks: string[];
  messages: number;
  /** Tokens of the whole transcript (the history as the model reads it). */
  historyTokens: number;
  estimate: JobEstimate;
  /** Tokens of partial summaries (as merge input) one merge call's context can take. */
  reduceBudgetTokens: number;
  /** Tokens of summary JSON one merge reply has room for: merges are grouped to fit it (see `LlmPartial.outTokens`). */
  mergeRoomTokens: number;
  concurrency: number;
  model: string;
}

/** A partial (or final) summary in the store and what making it cost. */
export interface LlmPartial {
  key: string;
  /** Tokens of the partial as merge input. */
  tokens: number;
  /** Tokens of the partial as summary JSON: what a merge reply needs to keep all of it. */
  outTokens: number;
  /** Points of the partial. */
  points: number;
  /** Usage of the call(s) that made it (zero when no call was needed). */
  usage: TokenUsage;
  /** Cited ids that were not among the messages the model was shown, dropped (`dropped` says why). */
  droppedIds: number;
  dropped: DroppedIds;
}

export interface ReduceSummariesInput {
  jobId: string;
  /** Keys of partial summaries, oldest first. */
  inputs: string[];
  /** The last merge writes the `Summary` (with total usage) instead of a partial. */
  final: boolean;
  /** Usage of every call before this one, for the final `Summary`. */
  usageSoFar?: TokenUsage;
  /** Ids dropped by every call before this one, for the final `Summary`. */
  droppedSoFar?: DroppedIds;
  /** Merge calls and rounds before this one, for the final `Summary`. */
  mergesSoFar?: { calls: number; rounds: number };
  /**
   * After a reply was cut at `LLM_MAX_OUTPUT_TOKENS`: divide the points the merge may keep by this (1 by default),
   * so the model compresses harder.
   */
  squeeze?: number;
}

interface StoredPlan {
  fingerprint: string;
  history: HistoryRef;
  chat: ChatInfo;
  prompt: string;
  stats: SummaryStats;
  model: string;
  /** Every message id of the history, as runs: an id outside them is invented. */
  historyIds: readonly (readonly [number, number])[];
}

interface StoredChunk {
  id: string;
  /** "3 of 12", "3.2 of 12" after a split. */
  part: string;
  parts: number;
  text: string;
  tokens: number;
  messageIds: number[];
  citableIds: number[];
}

/** A map-level point, before the final summary says whether it cites it. */
type Finding = Omit<SummaryFinding, 'inSummary'>;

interface StoredPartial extends LlmPartial {
  draft: SummaryDraft;
  /** Every map-level finding under this partial, oldest first: merges carry them all up, whatever they keep. */
  findings: Finding[];
  /** Parts (map partials) under this partial. */
  parts: number;
}

const JOB_ID = /^[A-Za-z0-9._-]+$/;

/**
 * The LLM summary activities: plan (chunk and estimate), summarize a chunk (map), split a chunk the model refused
 * as too long, and merge partial summaries (reduce). Text stays in the artifact store; what they return is keys
 * and numbers. Results are stored under content-derived keys, so a retried activity returns what it already paid
 * for instead of calling the model again.
 */
export function createLlmActivities(deps: LlmActivityDeps) {
  const { store } = deps;
  const client = deps.settings ? new LlmClient(deps.settings) : null;
  const counter: TokenCounter | null = deps.settings ? tokenCounterFor(deps.settings.model) : null;

  function configured(): { settings: LlmSettings; client: LlmClient; count: TokenCounter } {
    if (!deps.settings || !client || !counter) {
      throw ApplicationFailure.create({
        message: 'no LLM endpoint is configured: set OPENAI_BASE_URL (and OPENAI_API_KEY if the endpoint needs one), or leave the prompt out for the digest',
        type: 'LlmNotConfigured' satisfies LlmFailureType,
        nonRetryable: true,
      });
    }
    return { settings: deps.settings, client, count: counter };
  }

  const base = (jobId: string) => {
    if (!JOB_ID.test(jobId)) throw new BadInputError(`invalid job id ${JSON.stringify(jobId)}`, 'job ids are letters, digits, . _ -');
    return `jobs/${jobId}/llm`;
  };
  const readJson = async <T>(key: string): Promise<T> => JSON.parse((await store.get(key)).toString('utf8')) as T;
  const readPlan = (jobId: string) => readJson<StoredPlan>(`${base(jobId)}/plan.json`);
  const chunkKey = (jobId: string, plan: StoredPlan, id: string) => `${base(jobId)}/${plan.fingerprint}/chunks/${id}.json`;

  function mapPromptTokens(count: TokenCounter, request: string, chatTitle: string): number {
    const p = chunkPrompt({ request, chatTitle, transcript: '', part: 999, parts: 999 });
    return count(p.system) + count(p.user);
  }
  function reducePromptTokens(count: TokenCounter, request: string, chatTitle: string): number {
    const p = mergePrompt({ request, chatTitle, partials: '', final: true, points: 99_999, maxPoints: 9_999 });
    return count(p.system) + count(p.user);
  }

  async function loadMessages(history: HistoryRef, only?: ReadonlySet<number>): Promise<ChatMessage[]> {
    const out: ChatMessage[] = [];
    for await (const m of readHistory(store, history)) if (!only || only.has(m.id)) out.push(m);
    return out;
  }

  async function writeChunks(jobId: string, plan: StoredPlan, chunks: StoredChunk[]): Promise<void> {
    for (const c of chunks) await store.put(chunkKey(jobId, plan, c.id), JSON.stringify(c));
  }

  return {
    /**
     * Reads the history, cuts it into chunks that fit the model's context, stores them, and estimates the job.
     * Refuses (non-retryable `TokenBudgetExceeded`, with the estimate) a job above `MAX_TOKENS_PER_JOB`.
     */
    async planLlmSummary(input: PlanLlmSummaryInput): Promise<LlmPlan> {
      return asFailure(async () => {
        const { settings, count } = configured();
        const prompt = input.prompt?.trim() || DEFAULT_SUMMARY_PROMPT;
        const messages = await loadMessages(input.history);
        const mapPrompt = mapPromptTokens(count, prompt, input.chat.title);
        const budget = dataBudget(settings, mapPrompt);
        if (budget < MIN_CHUNK_TOKENS) {
          throw new LlmSetupError(
            `LLM_CONTEXT_TOKENS (${settings.contextTokens}) leaves ${Math.max(0, budget)} tokens for chat text once the reply (LLM_MAX_OUTPUT_TOKENS ${settings.maxOutputTokens}) and the prompt are in`,
            'raise LLM_CONTEXT_TOKENS to the model\'s context, lower LLM_MAX_OUTPUT_TOKENS, or shorten the prompt',
          );
        }
        const fingerprint = createHash('sha256')
          .update(JSON.stringify([settings.model, settings.contextTokens, settings.maxOutputTokens, prompt, input.history, input.chat]))
          .digest('hex')
          .slice(0, 12);
        const plan: StoredPlan = {
          fingerprint,
          history: input.history,
          chat: input.chat,
          prompt,
          stats: statsOf(messages),
          model: settings.model,
          historyIds: IdRanges.of(messages.map((m) => m.id)).runs,
        };
        const chunks = chunkHistory(messages, count, budget);
        const stored = chunks.map((c, i): StoredChunk => ({ id: String(i + 1).padStart(6, '0'), part: String(i + 1), parts: chunks.length, ...c }));
        const reduceBudget = dataBudget(settings, reducePromptTokens(count, prompt, input.chat.title));
        const estimate = estimateJob({
          chunkTokens: chunks.map((c) => c.tokens),
          mapPromptTokens: mapPrompt,
          reducePromptTokens: reducePromptTokens(count, prompt, input.chat.title),
          // Merges are sized by what their reply can hold: at worst, pairs of full partials.
          reduceBudget: Math.min(reduceBudget, mergeRoom(settings)),
          settings,
        });
        if (estimate.tokens > settings.maxTokensPerJob) throw new TokenBudgetError(estimate.tokens, settings.maxTokensPerJob, estimate.calls);
        await writeChunks(input.jobId, plan, stored);
        await store.put(`${base(input.jobId)}/plan.json`, JSON.stringify(plan));
        return {
          chunks: stored.map((c) => c.id),
          messages: messages.length,
          historyTokens: chunks.reduce((sum, c) => sum + c.tokens, 0),
          estimate,
          reduceBudgetTokens: reduceBudget,
          mergeRoomTokens: mergeRoom(settings),
          concurrency: settings.concurrency,
          model: settings.model,
        };
      });
    },

    /** The map step: one chunk summarized for the user's request, ids checked against the chunk. */
    async summarizeChunk(input: { jobId: string; chunk: string }): Promise<LlmPartial> {
      return asFailure(async () => {
        const { client, count } = configured();
        const plan = await readPlan(input.jobId);
        const key = `${base(input.jobId)}/${plan.fingerprint}/partials/${input.chunk}.json`;
        const done = await store.tryGet(key);
        if (done) return publicPart(JSON.parse(done.toString('utf8')) as StoredPartial);
        const chunk = await readJson<StoredChunk>(chunkKey(input.jobId, plan, input.chunk));
        const reply = await heartbeating(() =>
          client.summarize(chunkPrompt({ request: plan.prompt, chatTitle: plan.chat.title, transcript: chunk.text, part: chunk.part, parts: chunk.parts }), signal()),
        );
        const kept = keepKnownIds(reply.draft, new Set(chunk.citableIds), historyHas(plan));
        const findings = kept.draft.sections.flatMap((s) => s.points.map((p): Finding => ({ part: chunk.part, heading: s.heading, text: p.text, messageIds: p.messageIds })));
        // Ids the model wrote in an unreadable form are counted as invented: they name no message.
        const dropped = addDropped(kept.dropped, { invented: reply.unreadableIds, outOfRange: 0 });
        const partial = stored(key, kept.draft, reply.usage, dropped, findings, 1, count);
        await store.put(key, JSON.stringify(partial));
        return publicPart(partial);
      });
    },

    /**
     * Splits a chunk the endpoint refused as too long into smaller ones (half its size, or what fits the context
     * the server reported). Fails non-retryably when even small chunks are refused: the configured context is wrong.
     */
    async splitChunk(input: { jobId: string; chunk: string; contextTokens?: number; reason?: 'context' | 'reply' }): Promise<string[]> {
      return asFailure(async () => {
        const { settings, count } = configured();
        const plan = await readPlan(input.jobId);
        const chunk = await readJson<StoredChunk>(chunkKey(input.jobId, plan, input.chunk));
        let target = Math.floor(chunk.tokens / 2);
        if (input.contextTokens && input.contextTokens < settings.contextTokens) {
          target = Math.min(target, dataBudget(settings, mapPromptTokens(count, plan.prompt, plan.chat.title), input.contextTokens));
        }
        if (target < MIN_CHUNK_TOKENS && input.reason === 'reply') {
          throw new LlmSetupError(
            `model ${settings.model} could not fit its summary of a ${chunk.tokens}-token part of the chat in LLM_MAX_OUTPUT_TOKENS (${settings.maxOutputTokens}), even after the part was split`,
            'raise LLM_MAX_OUTPUT_TOKENS, or ask for something shorter in the prompt',
          );
        }
        if (target < MIN_CHUNK_TOKENS) {
          throw new LlmSetupError(
            `the LLM endpoint refused a ${chunk.tokens}-token chunk as too long for model ${settings.model}, although LLM_CONTEXT_TOKENS is ${settings.contextTokens}`,
            'set LLM_CONTEXT_TOKENS to the context the server really gives the model (for Ollama, its num_ctx)',
          );
        }
        const messages = await loadMessages(plan.history, new Set(chunk.messageIds));
        const pieces = chunkHistory(messages, count, target);
        const stored = pieces.map((p, i): StoredChunk => ({ ...p, id: `${chunk.id}.${i + 1}`, part: `${chunk.part}.${i + 1}`, parts: chunk.parts }));
        await writeChunks(input.jobId, plan, stored);
        return stored.map((c) => c.id);
      });
    },

    /**
     * The reduce step: merges partial summaries into one, keeping only ids the partials cited (so every id of the
     * result was checked against the history). The final merge writes the `Summary`. One input needs no call.
     */
    async reduceSummaries(input: ReduceSummariesInput): Promise<LlmPartial> {
      return asFailure(async () => {
        configured();
        const plan = await readPlan(input.jobId);
        const digest = createHash('sha256').update(JSON.stringify([input.inputs, input.final, input.squeeze ?? 1])).digest('hex').slice(0, 16);
        const key = `${base(input.jobId)}/${plan.fingerprint}/merge-${digest}.json`;
        const merged = await mergeOnce(key, input, plan);
        if (!input.final) return publicPart(merged);
        const summary = finalSummary(plan, merged, input);
        const summaryKey = `${base(input.jobId)}/${plan.fingerprint}/summary-${digest}.json`;
        await store.put(summaryKey, JSON.stringify(summary, null, 2));
        return { ...publicPart(merged), key: summaryKey };
      });
    },
  };

  /** Merges partials with one call (none for a single partial), or returns the merge a previous attempt stored. */
  async function mergeOnce(key: string, input: ReduceSummariesInput, plan: StoredPlan): Promise<StoredPartial> {
    const done = await store.tryGet(key);
    if (done) return JSON.parse(done.toString('utf8')) as StoredPartial;
    const { settings, client, count } = configured();
    const parts = await Promise.all(input.inputs.map((k) => readJson<StoredPartial>(k)));
    let draft: SummaryDraft = parts[0]?.draft ?? { title: '', sections: [] };
    let usage = NO_USAGE;
    let dropped = NO_DROPPED;
    if (parts.length > 1) {
      const partials = parts.map((p, i) => `## Part ${i + 1}\n${renderDraft(p.draft)}`).join('\n\n');
      // What the reply has room for, in points of the size the partials' points have: when the partials hold more,
      // the model is told to choose, rather than be cut at the length limit.
      const points = parts.reduce((sum, p) => sum + p.points, 0);
      const outTokens = parts.reduce((sum, p) => sum + p.outTokens, 0);
      const perPoint = Math.max(1, outTokens / Math.max(1, points));
      // After a cut reply, fewer points than before, even when the partials' points seemed to fit.
      const squeeze = input.squeeze ?? 1;
      const maxPoints = Math.max(1, Math.floor(Math.min(mergeRoom(settings) / perPoint, squeeze > 1 ? points : Infinity) / squeeze));
      const reply = await heartbeating(() => client.summarize(mergePrompt({ request: plan.prompt, chatTitle: plan.chat.title, partials, final: input.final, points, maxPoints }), signal()));
      // The merge saw only the partials, so only ids they cite (each already checked against its chunk) may stay.
      const cited = new Set(parts.flatMap((p) => p.draft.sections.flatMap((s) => s.points.flatMap((pt) => pt.messageIds))));
      const kept = keepKnownIds(reply.draft, cited, historyHas(plan));
      draft = kept.draft;
      usage = reply.usage;
      dropped = addDropped(kept.dropped, { invented: reply.unreadableIds, outOfRange: 0 });
    }
    const findings = parts.flatMap((p) => p.findings);
    const merged = stored(key, draft, usage, dropped, findings, parts.reduce((sum, p) => sum + p.parts, 0), count);
    await store.put(key, JSON.stringify(merged));
    return merged;
  }
}

function stored(key: string, draft: SummaryDraft, usage: TokenUsage, dropped: DroppedIds, findings: Finding[], parts: number, count: TokenCounter): StoredPartial {
  return {
    key,
    tokens: count(renderDraft(draft)),
    outTokens: count(JSON.stringify(draft)),
    points: draft.sections.reduce((sum, s) => sum + s.points.length, 0),
    usage,
    droppedIds: dropped.invented + dropped.outOfRange,
    dropped,
    draft,
    findings,
    parts,
  };
}

/** Whether an id is a message of the plan's history. */
function historyHas(plan: StoredPlan): (id: number) => boolean {
  const ranges = IdRanges.fromRuns(plan.historyIds);
  return (id) => ranges.has(id);
}

/**
 * The `Summary` of the last merge: its points, every finding with whether the points cite it, how the findings were
 * merged, the ids dropped by every call, and notes saying so in words.
 */
function finalSummary(plan: StoredPlan, merged: StoredPartial, input: ReduceSummariesInput): Summary {
  const cited = new Set(merged.draft.sections.flatMap((s) => s.points.flatMap((p) => p.messageIds)));
  const findings: SummaryFinding[] = merged.findings.map((f) => ({ ...f, inSummary: f.messageIds.some((id) => cited.has(id)) }));
  const inSummary = findings.filter((f) => f.inSummary).length;
  const mergeCalls = (input.mergesSoFar?.calls ?? 0) + (merged.usage.calls > 0 ? 1 : 0);
  const rounds = (input.mergesSoFar?.rounds ?? 0) + (merged.usage.calls > 0 ? 1 : 0);
  const droppedIds = addDropped(input.droppedSoFar ?? NO_DROPPED, merged.dropped);
  const merge = { parts: merged.parts, findings: findings.length, inSummary, leftOut: findings.length - inSummary, mergeCalls, rounds };
  return Summary.parse({
    title: merged.draft.title || plan.chat.title,
    sections: merged.draft.sections,
    stats: plan.stats,
    model: plan.model,
    usage: addUsage(input.usageSoFar ?? NO_USAGE, merged.usage),
    findings,
    merge,
    droppedIds,
    notes: summaryNotes(merge, droppedIds),
  });
}

/** The merge and the dropped ids in words, for the reader of the summary. */
export function summaryNotes(merge: { parts: number; findings: number; inSummary: number; leftOut: number; mergeCalls: number; rounds: number }, dropped: DroppedIds): string[] {
  const notes: string[] = [];
  const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  if (merge.parts > 1) {
    notes.push(
      `Merged ${plural(merge.findings, 'finding')} from ${plural(merge.parts, 'part')} of the chat in ${plural(merge.mergeCalls, 'merge call')} (${plural(merge.rounds, 'round')}); ` +
        (merge.leftOut > 0
          ? `${plural(merge.leftOut, 'finding')} did not fit and ${merge.leftOut === 1 ? 'is' : 'are'} left out of the points above, but kept with ${merge.leftOut === 1 ? 'its' : 'their'} message ids in the JSON result ("findings").`
          : 'every one is cited above, and all are in the JSON result ("findings").'),
    );
  }
  const parts: string[] = [];
  if (dropped.invented > 0) parts.push(`${plural(dropped.invented, 'message id')} the model invented (no such message in the history)`);
  if (dropped.outOfRange > 0) parts.push(`${plural(dropped.outOfRange, 'real message id')} outside the part of the chat the model was given`);
  if (parts.length) notes.push(`Dropped ${parts.join(' and ')}: never linked.`);
  return notes;
}

function publicPart(p: StoredPartial): LlmPartial {
  return { key: p.key, tokens: p.tokens, outTokens: p.outTokens, points: p.points, usage: p.usage, droppedIds: p.droppedIds, dropped: p.dropped };
}

/**
 * Heartbeats while a model call is out: an activity hears of a cancellation (`tgpulse cancel`) only in the answer
 * to a heartbeat, and the call's abort signal then stops the request at once.
 */
async function heartbeating<T>(call: () => Promise<T>): Promise<T> {
  const ctx = asyncLocalStorage.getStore();
  if (!ctx) return call();
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), 1000);
  try {
    return await call();
  } finally {
    clearInterval(timer);
  }
}

function signal(): AbortSignal | undefined {
  // Outside a Temporal activity (a direct call in a script or test) there is nothing to cancel.
  return asyncLocalStorage.getStore()?.cancellationSignal;
}

function statsOf(messages: readonly ChatMessage[]): SummaryStats {
  const senders = new Set<string>();
  for (const m of messages) if (m.sender && !m.service) senders.add(m.sender.id);
  return { messages: messages.length, participants: senders.size, firstDate: messages[0]?.date, lastDate: messages[messages.length - 1]?.date };
}

/**
 * Runs an activity body and turns tgpulse errors into Temporal failures: rate limits and server errors retry after
 * the server's `Retry-After`; setup, budget and output errors do not retry and say what to change; a context-length
 * refusal is its own type, which the workflow answers by splitting the chunk.
 */
async function asFailure<T>(body: () => Promise<T>): Promise<T> {
  try {
    // A model call can take minutes: heartbeats let a dead worker's call be retried within seconds.
    return await withHeartbeats(body);
  } catch (err) {
    // Cancelled (`tgpulse cancel`): the aborted request's error as it is, so the worker reports the step cancelled.
    if (signal()?.aborted) throw err;
    throw toLlmFailure(err);
  }
}

/** The Temporal failure for an error of the LLM activities. Exported for tests. */
export function toLlmFailure(err: unknown): unknown {
  const fail = (type: LlmFailureType, message: string, nonRetryable: boolean, extra: { details?: unknown[]; nextRetryDelay?: number } = {}) =>
    ApplicationFailure.create({ message, type, nonRetryable, ...extra });
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof TokenBudgetError) return fail('TokenBudgetExceeded', err.message, true, { details: [{ estimatedTokens: err.estimatedTokens, limit: err.limit }] });
  if (err instanceof ReplyTooLongError) return fail('LlmReplyTooLong', err.message, true, { details: [{ usage: err.usage }] });
  if (err instanceof ContextLengthError) return fail('LlmContextLength', err.message, true, { details: [{ contextTokens: err.contextTokens ?? null }] });
  if (err instanceof LlmOutputError) return fail('LlmBadOutput', err.message, true);
  if (err instanceof BadInputError) return fail('LlmSetup', err.message, true);
  if (err instanceof RemoteRefusedError) {
    const delay = err.retryAfterSeconds !== undefined ? { nextRetryDelay: Math.ceil(err.retryAfterSeconds * 1000) } : {};
    return fail(err.code === 'rate_limited' ? 'LlmRateLimited' : 'LlmServerError', err.message, false, delay);
  }
  if (err instanceof TransportError) return fail('LlmUnreachable', err.message, false);
  return err;
}
