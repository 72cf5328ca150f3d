import type { Config } from '../config';

/** OpenAI's own endpoint, used when only a key is configured. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * How to reach one OpenAI-compatible chat-completions endpoint and what its model allows. Holds the API key, so it
 * lives in the worker only: never in workflow input, results or logs.
 */
export interface LlmSettings {
  baseUrl: string;
  /** Local servers (Ollama, vLLM, llama.cpp) accept any key; the `openai` client needs a non-empty one. */
  apiKey: string;
  model: string;
  /** The model's context window in tokens (input and output together). */
  contextTokens: number;
  /** Upper bound of one reply, sent as `max_tokens`. */
  maxOutputTokens: number;
  /** USD per million input (prompt) tokens; 0 for a local model. */
  priceInputPerMTok: number;
  /** USD per million output (completion) tokens. */
  priceOutputPerMTok: number;
  /** Chunks summarized at the same time. */
  concurrency: number;
  /** A job whose estimate exceeds this many tokens is refused before the first call. */
  maxTokensPerJob: number;
  /** Milliseconds before one HTTP request is abandoned. */
  requestTimeoutMs: number;
}

/** Local servers ignore the key; the `openai` client refuses an empty one. */
const PLACEHOLDER_KEY = 'not-needed';

/** A request to a slow local model can take minutes for a full context; beyond this it has hung. */
const REQUEST_TIMEOUT_MS = 10 * 60_000;

/**
 * The LLM settings from the configuration, or null when no endpoint is configured (neither `OPENAI_BASE_URL` nor
 * `OPENAI_API_KEY`): then summaries are the no-model digest.
 */
export function llmSettingsFromConfig(config: Config): LlmSettings | null {
  if (!config.OPENAI_BASE_URL && !config.OPENAI_API_KEY) return null;
  return {
    baseUrl: (config.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, ''),
    apiKey: config.OPENAI_API_KEY ?? PLACEHOLDER_KEY,
    model: config.LLM_MODEL,
    contextTokens: config.LLM_CONTEXT_TOKENS,
    maxOutputTokens: config.LLM_MAX_OUTPUT_TOKENS,
    priceInputPerMTok: config.LLM_PRICE_INPUT_PER_MTOK,
    priceOutputPerMTok: config.LLM_PRICE_OUTPUT_PER_MTOK,
    concurrency: config.LLM_CONCURRENCY,
    maxTokensPerJob: config.MAX_TOKENS_PER_JOB,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  };
}
