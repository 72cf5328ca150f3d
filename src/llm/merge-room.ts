import type { LlmSettings } from './settings';

/** Share of `LLM_MAX_OUTPUT_TOKENS` a merge plans to fill: models do not hit a length exactly, and ids grow when points combine. */
const FILL = 0.8;
/** The reply's title and JSON frame. */
const FRAME_TOKENS = 48;

/**
 * Tokens of summary JSON one merge reply has room for. Merges are grouped so that their inputs fit this (the model
 * can then keep everything), and a merge whose inputs cannot fit is told how many points to keep.
 */
export function mergeRoom(settings: Pick<LlmSettings, 'maxOutputTokens'>): number {
  return Math.max(64, Math.floor(settings.maxOutputTokens * FILL) - FRAME_TOKENS);
}
