import * as cl100k from 'gpt-tokenizer/cjs/encoding/cl100k_base';
import * as o200k from 'gpt-tokenizer/cjs/encoding/o200k_base';

/** Counts tokens of a text the way the model's tokenizer would. */
export type TokenCounter = (text: string) => number;

/** Older OpenAI chat models use cl100k; everything since gpt-4o uses o200k. */
const CL100K_MODELS = /^(gpt-3\.5|gpt-4(?!o|\.|-?5)(-|$)|gpt-4-turbo|text-embedding)/;

/**
 * The token counter for a model. OpenAI models get their own encoding; other models (Llama, Qwen, Mistral behind
 * Ollama, vLLM or llama.cpp) get o200k, which counts within a few percent of their own tokenizers on chat text;
 * the planner keeps a safety margin for the difference and re-chunks if the server still refuses.
 */
export function tokenCounterFor(model: string): TokenCounter {
  const encoding = CL100K_MODELS.test(model) ? cl100k : o200k;
  return (text) => (text ? encoding.countTokens(text) : 0);
}

/** Tokens a chat-completions request adds around each message (role and separators), as OpenAI documents it. */
export const TOKENS_PER_CHAT_MESSAGE = 4;
/** Tokens that prime the assistant's reply. */
export const TOKENS_PER_REPLY = 3;
