import OpenAI, { APIError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { TokenUsage } from '../domain';
import { LlmOutputError, mapOpenAiError, ReplyTooLongError } from './errors';
import { MODEL_SUMMARY_JSON_SCHEMA, parseModelSummary, type SummaryDraft } from './model-output';
import { repairPrompt, type PromptPair } from './prompts';
import type { LlmSettings } from './settings';

/** A validated summary from the model and what it cost. */
export interface DraftReply {
  draft: SummaryDraft;
  usage: TokenUsage;
  /** Ids the model wrote in a form that is not a number. */
  unreadableIds: number;
  /** Whether the first reply was broken and the repair attempt fixed it. */
  repaired: boolean;
}

/** Cost in USD of some usage at the configured prices. */
export function costOf(usage: Pick<TokenUsage, 'promptTokens' | 'completionTokens'>, settings: Pick<LlmSettings, 'priceInputPerMTok' | 'priceOutputPerMTok'>): number {
  return (usage.promptTokens * settings.priceInputPerMTok + usage.completionTokens * settings.priceOutputPerMTok) / 1_000_000;
}

/** Adds token usages (the cost too, when both have one). */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    calls: a.calls + b.calls,
    costUsd: (a.costUsd ?? 0) + (b.costUsd ?? 0),
  };
}

export const NO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0, calls: 0, costUsd: 0 };

/**
 * The one way tgpulse talks to a model: the `openai` package against any OpenAI-compatible chat-completions endpoint
 * (OpenAI, Ollama, vLLM, llama.cpp server). It asks for JSON-schema output and falls back to JSON in text on servers
 * that refuse it; it makes no retries of its own (Temporal retries, honouring `Retry-After`), and every failure
 * comes out as a tgpulse error (see {@link mapOpenAiError}).
 *
 * @example
 * const llm = new LlmClient(settings);
 * const { draft, usage } = await llm.summarize(chunkPrompt(opts));
 */
export class LlmClient {
  private readonly openai: OpenAI;
  private useSchema = true;
  private tokensParam: 'max_tokens' | 'max_completion_tokens' = 'max_tokens';

  constructor(readonly settings: LlmSettings) {
    this.openai = new OpenAI({ baseURL: settings.baseUrl, apiKey: settings.apiKey, maxRetries: 0, timeout: settings.requestTimeoutMs });
  }

  /** Whether the endpoint takes JSON-schema output, as far as this client has seen. */
  get structured(): boolean {
    return this.useSchema;
  }

  /**
   * Sends one prompt and returns the validated summary. A reply that is not valid summary JSON gets one repair
   * attempt; if that fails too, {@link LlmOutputError}. A reply cut at `max_tokens` is {@link ReplyTooLongError}:
   * repairing it would hide that its tail (points and their ids) is gone.
   */
  async summarize(prompt: PromptPair, signal?: AbortSignal): Promise<DraftReply> {
    const first = await this.complete(prompt, true, signal);
    if (first.truncated) {
      throw new ReplyTooLongError(
        `model ${this.settings.model} was cut at LLM_MAX_OUTPUT_TOKENS (${this.settings.maxOutputTokens}) after ${first.usage.completionTokens} tokens`,
        first.usage,
      );
    }
    const parsed = parseModelSummary(first.content);
    if (parsed.ok) return { draft: parsed.draft, usage: first.usage, unreadableIds: parsed.unreadableIds, repaired: false };
    const problem = parsed.problem;
    const second = await this.complete(repairPrompt(first.content, problem), false, signal);
    const usage = addUsage(first.usage, second.usage);
    const repaired = parseModelSummary(second.content);
    if (repaired.ok) return { draft: repaired.draft, usage, unreadableIds: repaired.unreadableIds, repaired: true };
    throw new LlmOutputError(
      `model ${this.settings.model} did not reply with a summary in the expected JSON shape, even after one repair attempt (${problem})`,
    );
  }

  private async complete(prompt: PromptPair, withSchema: boolean, signal?: AbortSignal): Promise<{ content: string; usage: TokenUsage; truncated: boolean }> {
    for (;;) {
      const params: ChatCompletionCreateParamsNonStreaming = {
        model: this.settings.model,
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        temperature: 0.2,
        [this.tokensParam]: this.settings.maxOutputTokens,
        ...(withSchema && this.useSchema
          ? { response_format: { type: 'json_schema' as const, json_schema: { name: 'summary', strict: true, schema: MODEL_SUMMARY_JSON_SCHEMA } } }
          : {}),
      };
      try {
        const res = await this.openai.chat.completions.create(params, { signal });
        const choice = res.choices[0];
        const promptTokens = res.usage?.prompt_tokens ?? 0;
        const completionTokens = res.usage?.completion_tokens ?? 0;
        const usage = { promptTokens, completionTokens, calls: 1, costUsd: costOf({ promptTokens, completionTokens }, this.settings) };
        return { content: choice?.message.content ?? '', usage, truncated: choice?.finish_reason === 'length' };
      } catch (err) {
        // Servers differ in what they accept; adapt once, remember it for this client, and send again.
        if (this.adapt(err, withSchema)) continue;
        throw mapOpenAiError(err, this.settings);
      }
    }
  }

  /** True when the refusal was about a parameter this client can do without. */
  private adapt(err: unknown, withSchema: boolean): boolean {
    if (!(err instanceof APIError) || err.status !== 400) return false;
    const text = `${err.param ?? ''} ${err.message}`;
    // Reasoning models (o1, o3, gpt-5) refuse max_tokens and ask for max_completion_tokens.
    if (this.tokensParam === 'max_tokens' && /max_tokens/.test(text) && /max_completion_tokens/.test(text)) {
      this.tokensParam = 'max_completion_tokens';
      return true;
    }
    if (withSchema && this.useSchema && /response_format|json_schema/i.test(text)) {
      this.useSchema = false;
      return true;
    }
    return false;
  }
}
