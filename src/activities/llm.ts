import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { BadInputError, RemoteRefusedError, Summary, TransportError, type ChatInfo, type ChatMessage, type HistoryRef, type SummaryStats, type TokenUsage } from '../domain';
import {
  addUsage,
  chunkHistory,
  chunkPrompt,
  ContextLengthError,
  dataBudget,
  DEFAULT_SUMMARY_PROMPT,
  estimateJob,
  keepKnownIds,
  LlmClient,
  LlmOutputError,
  LlmSetupError,
  mergePrompt,
  MIN_CHUNK_TOKENS,
  NO_USAGE,
  renderDraft,
  TokenBudgetError,
  tokenCounterFor,
  type JobEstimate,
  type LlmSettings,
  type SummaryDraft,
  type TokenCounter,
} from '../llm';
import { readHistory, type ArtifactStore } from '../store';

/** Failure types the LLM activities raise, for workflows to tell apart (`ApplicationFailure.type`). */
export type LlmFailureType =
  | 'LlmNotConfigured'
  | 'LlmSetup'
  | 'LlmContextLength'
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
  /** Tokens of partial summaries one merge call can take. */
  reduceBudgetTokens: number;
  concurrency: number;
  model: string;
}

/** A partial (or final) summary in the store and what making it cost. */
export interface LlmPartial {
  key: string;
  /** Tokens of the partial as merge input. */
  tokens: number;
  /** Usage of the call(s) that made it (zero when no call was needed). */
  usage: TokenUsage;
  /** Cited ids that were not among the messages the model was shown, dropped. */
  droppedIds: number;
}

export interface ReduceSummariesInput {
  jobId: string;
  /** Keys of partial summaries, oldest first. */
  inputs: string[];
  /** The last merge writes the `Summary` (with total usage) instead of a partial. */
  final: boolean;
  /** Usage of every call before this one, for the final `Summary`. */
  usageSoFar?: TokenUsage;
}

interface StoredPlan {
  fingerprint: string;
  history: HistoryRef;
  chat: ChatInfo;
  prompt: string;
  stats: SummaryStats;
  model: string;
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

interface StoredPartial extends LlmPartial {
  draft: SummaryDraft;
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
    const p = mergePrompt({ request, chatTitle, partials: '', final: true });
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
        const plan: StoredPlan = { fingerprint, history: input.history, chat: input.chat, prompt, stats: statsOf(messages), model: settings.model };
        const chunks = chunkHistory(messages, count, budget);
        const stored = chunks.map((c, i): StoredChunk => ({ id: String(i + 1).padStart(6, '0'), part: String(i + 1), parts: chunks.length, ...c }));
        const reduceBudget = dataBudget(settings, reducePromptTokens(count, prompt, input.chat.title));
        const estimate = estimateJob({
          chunkTokens: chunks.map((c) => c.tokens),
          mapPromptTokens: mapPrompt,
          reducePromptTokens: reducePromptTokens(count, prompt, input.chat.title),
          reduceBudget,
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
        const reply = await client.summarize(
          chunkPrompt({ request: plan.prompt, chatTitle: plan.chat.title, transcript: chunk.text, part: chunk.part, parts: chunk.parts }),
          signal(),
        );
        const kept = keepKnownIds(reply.draft, new Set(chunk.citableIds));
        const partial: StoredPartial = { key, tokens: count(renderDraft(kept.draft)), usage: reply.usage, droppedIds: kept.droppedIds + reply.unreadableIds, draft: kept.draft };
        await store.put(key, JSON.stringify(partial));
        return publicPart(partial);
      });
    },

    /**
     * Splits a chunk the endpoint refused as too long into smaller ones (half its size, or what fits the context
     * the server reported). Fails non-retryably when even small chunks are refused: the configured context is wrong.
     */
    async splitChunk(input: { jobId: string; chunk: string; contextTokens?: number }): Promise<string[]> {
      return asFailure(async () => {
        const { settings, count } = configured();
        const plan = await readPlan(input.jobId);
        const chunk = await readJson<StoredChunk>(chunkKey(input.jobId, plan, input.chunk));
        let target = Math.floor(chunk.tokens / 2);
        if (input.contextTokens && input.contextTokens < settings.contextTokens) {
          target = Math.min(target, dataBudget(settings, mapPromptTokens(count, plan.prompt, plan.chat.title), input.contextTokens));
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
        const digest = createHash('sha256').update(JSON.stringify([input.inputs, input.final])).digest('hex').slice(0, 16);
        const key = `${base(input.jobId)}/${plan.fingerprint}/merge-${digest}.json`;
        const merged = await mergeOnce(key, input, plan);
        if (!input.final) return publicPart(merged);
        const summary = Summary.parse({
          title: merged.draft.title || plan.chat.title,
          sections: merged.draft.sections,
          stats: plan.stats,
          model: plan.model,
          usage: addUsage(input.usageSoFar ?? NO_USAGE, merged.usage),
        });
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
    const { client, count } = configured();
    const parts = await Promise.all(input.inputs.map((k) => readJson<StoredPartial>(k)));
    let draft: SummaryDraft = parts[0]?.draft ?? { title: '', sections: [] };
    let usage = NO_USAGE;
    let droppedIds = 0;
    if (parts.length > 1) {
      const partials = parts.map((p, i) => `## Part ${i + 1}\n${renderDraft(p.draft)}`).join('\n\n');
      const reply = await client.summarize(mergePrompt({ request: plan.prompt, chatTitle: plan.chat.title, partials, final: input.final }), signal());
      // The merge saw only the partials, so only ids they cite (each already checked against its chunk) may stay.
      const cited = new Set(parts.flatMap((p) => p.draft.sections.flatMap((s) => s.points.flatMap((pt) => pt.messageIds))));
      const kept = keepKnownIds(reply.draft, cited);
      draft = kept.draft;
      usage = reply.usage;
      droppedIds = kept.droppedIds + reply.unreadableIds;
    }
    const merged: StoredPartial = { key, tokens: count(renderDraft(draft)), usage, droppedIds, draft };
    await store.put(key, JSON.stringify(merged));
    return merged;
  }
}

function publicPart(p: StoredPartial): LlmPartial {
  return { key: p.key, tokens: p.tokens, usage: p.usage, droppedIds: p.droppedIds };
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
    return await body();
  } catch (err) {
    throw toLlmFailure(err);
  }
}

/** The Temporal failure for an error of the LLM activities. Exported for tests. */
export function toLlmFailure(err: unknown): unknown {
  const fail = (type: LlmFailureType, message: string, nonRetryable: boolean, extra: { details?: unknown[]; nextRetryDelay?: number } = {}) =>
    ApplicationFailure.create({ message, type, nonRetryable, ...extra });
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof TokenBudgetError) return fail('TokenBudgetExceeded', err.message, true, { details: [{ estimatedTokens: err.estimatedTokens, limit: err.limit }] });
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
