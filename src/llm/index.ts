// The LLM summarizer: an OpenAI-compatible client, token budgeting, chunking and the prompts of map-reduce.
export { llmSettingsFromConfig, OPENAI_DEFAULT_BASE_URL } from './settings';
export type { LlmSettings } from './settings';
export { LlmClient, costOf, addUsage, NO_USAGE } from './llm-client';
export type { DraftReply } from './llm-client';
export { ContextLengthError, LlmOutputError, LlmSetupError, ReplyTooLongError, TokenBudgetError, mapOpenAiError, retryAfterSeconds } from './errors';
export { chunkHistory } from './chunking';
export type { TranscriptChunk } from './chunking';
export { dataBudget, estimateJob, MIN_CHUNK_TOKENS } from './budget';
export type { JobEstimate } from './budget';
export { chunkPrompt, mergePrompt, repairPrompt, DEFAULT_SUMMARY_PROMPT } from './prompts';
export type { PromptPair } from './prompts';
export { addDropped, inputLine, keepKnownIds, NO_DROPPED, parseModelSummary, renderDraft, MODEL_SUMMARY_JSON_SCHEMA } from './model-output';
export type { DroppedIds, SummaryDraft } from './model-output';
export { tokenCounterFor } from './tokens';
export type { TokenCounter } from './tokens';
export { messageLine, neutralizeTags, oneLine } from './transcript';
export { IdRanges } from './id-ranges';
export { mergeRoom } from './merge-room';
