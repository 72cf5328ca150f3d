import type { LlmSettings } from './settings';
import { TOKENS_PER_CHAT_MESSAGE, TOKENS_PER_REPLY } from './tokens';

/**
 * Share of the context kept free for the difference between our tokenizer and the model's own (open models behind
 * Ollama, vLLM or llama.cpp count differently), on top of a fixed few tokens.
 */
const TOKENIZER_MARGIN = 0.05;
const FIXED_MARGIN = 32;
/** Below this many transcript tokens a chunk is too small to summarize usefully: the context is misconfigured. */
export const MIN_CHUNK_TOKENS = 256;

/** Tokens a two-message request adds to its text: roles and separators, and the reply's priming. */
export const REQUEST_FRAMING_TOKENS = 2 * TOKENS_PER_CHAT_MESSAGE + TOKENS_PER_REPLY;

/**
 * How many data tokens (transcript or partial summaries) one call can carry, given the tokens of its prompt without
 * the data: the context, less the reply's room, the prompt and a safety margin.
 */
export function dataBudget(settings: Pick<LlmSettings, 'contextTokens' | 'maxOutputTokens'>, promptTokens: number, contextTokens = settings.contextTokens): number {
  const margin = Math.ceil(contextTokens * TOKENIZER_MARGIN) + FIXED_MARGIN;
  return contextTokens - settings.maxOutputTokens - promptTokens - REQUEST_FRAMING_TOKENS - margin;
}

/** What a job will cost at most, worked out before the first call. */
export interface JobEstimate {
  /** Upper bound of prompt and completion tokens together. */
  tokens: number;
  promptTokens: number;
  completionTokens: number;
  calls: number;
  costUsd: number;
}

/**
 * Upper bound of a job's usage: the map calls' prompts exactly, every reply at `maxOutputTokens`, and the reduce
 * tree as if every partial summary were that long too. Real runs use less (replies are rarely that long); the
 * bound is what `MAX_TOKENS_PER_JOB` is checked against, so a job never ends up far above it.
 */
export function estimateJob(opts: {
  chunkTokens: readonly number[];
  mapPromptTokens: number;
  reducePromptTokens: number;
  reduceBudget: number;
  settings: Pick<LlmSettings, 'maxOutputTokens' | 'priceInputPerMTok' | 'priceOutputPerMTok'>;
}): JobEstimate {
  const out = opts.settings.maxOutputTokens;
  let promptTokens = 0;
  let calls = 0;
  for (const t of opts.chunkTokens) promptTokens += t + opts.mapPromptTokens + REQUEST_FRAMING_TOKENS;
  calls += opts.chunkTokens.length;
  let level = opts.chunkTokens.length;
  const perGroup = Math.max(2, Math.floor(opts.reduceBudget / out));
  while (level > 1) {
    const groups = Math.ceil(level / perGroup);
    promptTokens += level * out + groups * (opts.reducePromptTokens + REQUEST_FRAMING_TOKENS);
    calls += groups;
    level = groups;
  }
  const completionTokens = calls * out;
  const costUsd = (promptTokens * opts.settings.priceInputPerMTok + completionTokens * opts.settings.priceOutputPerMTok) / 1_000_000;
  return { tokens: promptTokens + completionTokens, promptTokens, completionTokens, calls, costUsd };
}
