import { APIConnectionError, APIError } from 'openai';
import { BadInputError, RemoteRefusedError, TransportError, type TokenUsage } from '../domain';

const METHOD = 'chat.completions';

/**
 * The request did not fit the model's context window. Not worth retrying as is: the caller splits its input
 * smaller and tries again.
 */
export class ContextLengthError extends RemoteRefusedError {
  constructor(
    message: string,
    /** The window the server reported, when it said. */
    readonly contextTokens?: number,
    options?: { cause?: unknown },
  ) {
    super(message, 'context_length_exceeded', METHOD, undefined, options);
    this.name = 'ContextLengthError';
  }
}

/** The endpoint cannot be used as configured: a refused key, an unknown model, a wrong URL. Retrying will not help. */
export class LlmSetupError extends BadInputError {
  constructor(message: string, hint: string, options?: { cause?: unknown }) {
    super(message, hint, options);
    this.name = 'LlmSetupError';
  }
}

/** The model's reply was not a summary of the expected shape, even after one repair attempt. */
export class LlmOutputError extends RemoteRefusedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'bad_output', METHOD, undefined, options);
    this.name = 'LlmOutputError';
  }
}

/**
 * The model's reply was cut at `LLM_MAX_OUTPUT_TOKENS` (`finish_reason: "length"`). Its tail, with the points and
 * ids in it, is lost, so the reply is not used or repaired: the caller asks for less (a smaller chunk, a merge told
 * to keep fewer points) and tries again.
 */
export class ReplyTooLongError extends RemoteRefusedError {
  constructor(
    message: string,
    /** What the cut reply cost: paid for, though unused. */
    readonly usage: TokenUsage,
    options?: { cause?: unknown },
  ) {
    super(message, 'reply_too_long', METHOD, undefined, options);
    this.name = 'ReplyTooLongError';
  }
}

/** A job would use more tokens than `MAX_TOKENS_PER_JOB` allows. Raised before any call is made. */
export class TokenBudgetError extends BadInputError {
  constructor(
    readonly estimatedTokens: number,
    readonly limit: number,
    readonly calls: number,
  ) {
    super(
      `this summary would use up to ${estimatedTokens.toLocaleString('en-US')} tokens in ${calls} model calls, more than MAX_TOKENS_PER_JOB (${limit.toLocaleString('en-US')})`,
      'narrow the date range (--since/--until), or raise MAX_TOKENS_PER_JOB',
    );
    this.name = 'TokenBudgetError';
  }
}

/**
 * Reads `Retry-After` (seconds or an HTTP date) or OpenAI's `retry-after-ms`; undefined when absent or unreadable.
 * `now` is a parameter so the HTTP-date form can be tested.
 */
export function retryAfterSeconds(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms / 1000;
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

// Servers word a too-long request differently; these are the known ways (OpenAI and vLLM, llama.cpp, LM Studio, TGI).
// Matching on third-party messages is the only signal available; our own errors are told apart by class.
const CONTEXT_CODES = new Set(['context_length_exceeded', 'exceed_context_size_error', 'string_above_max_length']);
const CONTEXT_TEXT = /maximum context length|context length|context window|exceeds? (the )?(available )?context|too many tokens|prompt is too long|input is too long/i;

function errorText(err: APIError): string {
  const body = err.error as { message?: unknown; type?: unknown } | undefined;
  return [err.message, typeof body?.message === 'string' ? body.message : '', typeof body?.type === 'string' ? body.type : ''].join(' ');
}

/**
 * Turns what the `openai` client threw into a tgpulse error: {@link ContextLengthError}, {@link LlmSetupError},
 * `RemoteRefusedError` (rate limits and server errors, with the server's `Retry-After`), or `TransportError`.
 * Messages name the endpoint and model, never the key.
 */
export function mapOpenAiError(err: unknown, endpoint: { baseUrl: string; model: string }): Error {
  const where = `the LLM endpoint ${endpoint.baseUrl}`;
  if (err instanceof APIConnectionError) {
    return new TransportError(`${where} could not be reached (${err.message}); is the server running?`, { cause: err });
  }
  if (!(err instanceof APIError)) return err instanceof Error ? err : new Error(String(err));
  const status = err.status ?? 0;
  const code = err.code ?? '';
  const text = errorText(err);
  if (CONTEXT_CODES.has(code) || ((status === 400 || status === 413) && CONTEXT_TEXT.test(text))) {
    const reported = /maximum context length is (\d+)/i.exec(text) ?? /context size \((\d+)/i.exec(text);
    return new ContextLengthError(`${where} refused a request longer than the context of model ${endpoint.model}`, reported ? Number(reported[1]) : undefined, { cause: err });
  }
  // No `cause` here: some servers echo part of the refused key in their message.
  if (status === 401 || status === 403) {
    return new LlmSetupError(`${where} refused the API key (HTTP ${status})`, 'check OPENAI_API_KEY and that the key may use this model');
  }
  if (status === 404) {
    return new LlmSetupError(
      `${where} has no model "${endpoint.model}" (HTTP 404)`,
      'check LLM_MODEL (for Ollama: `ollama pull <model>`) and that OPENAI_BASE_URL ends with /v1',
      { cause: err },
    );
  }
  if (status === 429 && code === 'insufficient_quota') {
    return new LlmSetupError(`${where} says the account has no quota left (HTTP 429 insufficient_quota)`, 'add credit to the account or use another key', { cause: err });
  }
  if (status === 429) {
    return new RemoteRefusedError(`${where} is rate limiting requests (HTTP 429)`, 'rate_limited', METHOD, retryAfterSeconds(err.headers), { cause: err });
  }
  if (status >= 500 || status === 408 || status === 409) {
    return new RemoteRefusedError(`${where} failed with HTTP ${status}`, 'server_error', METHOD, retryAfterSeconds(err.headers), { cause: err });
  }
  return new LlmSetupError(`${where} rejected the request for model ${endpoint.model} (HTTP ${status}: ${err.message})`, 'check that the endpoint speaks the OpenAI chat-completions API', { cause: err });
}
