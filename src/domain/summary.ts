import { z } from 'zod';

/** One statement of a summary and the ids of the messages it rests on. */
export const SummaryPoint = z.object({
  text: z.string(),
  messageIds: z.array(z.number().int()),
});
export type SummaryPoint = z.infer<typeof SummaryPoint>;

export const SummarySection = z.object({
  heading: z.string(),
  points: z.array(SummaryPoint),
});
export type SummarySection = z.infer<typeof SummarySection>;

export const TokenUsage = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  calls: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative().optional(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const SummaryStats = z.object({
  messages: z.number().int().nonnegative(),
  participants: z.number().int().nonnegative(),
  firstDate: z.string().optional(),
  lastDate: z.string().optional(),
});
export type SummaryStats = z.infer<typeof SummaryStats>;

/**
 * One finding of an LLM summary's map step: a point of one part's partial summary, with the ids it rests on. Every
 * finding is kept in the result, whether or not the merged summary had room for it.
 */
export const SummaryFinding = z.object({
  /** The part of the history it was found in: "3", or "3.1" for a piece of a split part. */
  part: z.string(),
  heading: z.string(),
  text: z.string(),
  messageIds: z.array(z.number().int()),
  /** Whether the summary's points cite any of its messages. */
  inSummary: z.boolean(),
});
export type SummaryFinding = z.infer<typeof SummaryFinding>;

/** How an LLM summary's findings were merged into its points. */
export const SummaryMergeStats = z.object({
  /** Parts of the history summarized separately (map calls that succeeded). */
  parts: z.number().int().nonnegative(),
  /** Findings of all parts together (`findings`). */
  findings: z.number().int().nonnegative(),
  /** Findings whose messages the summary's points cite. */
  inSummary: z.number().int().nonnegative(),
  /** Findings the merges left out of the summary's text for room; they stay in `findings`. */
  leftOut: z.number().int().nonnegative(),
  /** Merge calls, and rounds of merges, it took. */
  mergeCalls: z.number().int().nonnegative(),
  rounds: z.number().int().nonnegative(),
});
export type SummaryMergeStats = z.infer<typeof SummaryMergeStats>;

/** Message ids a model cited that were dropped rather than linked, by why. */
export const DroppedIdCounts = z.object({
  /** No message of the history has this id: the model made it up. */
  invented: z.number().int().nonnegative(),
  /** A real message, but outside the part of the history the model was given. */
  outOfRange: z.number().int().nonnegative(),
});
export type DroppedIdCounts = z.infer<typeof DroppedIdCounts>;

/** The result of summarizing a chat, by the no-model digest or by an LLM. */
export const Summary = z.object({
  title: z.string(),
  sections: z.array(SummarySection),
  stats: SummaryStats,
  /** `digest` for the no-model summary, else the model's name. */
  model: z.string(),
  usage: TokenUsage.optional(),
  /** LLM summaries: every finding of every part, with its ids (the points above may have merged or left some out). */
  findings: z.array(SummaryFinding).optional(),
  /** LLM summaries: how the findings became the points above. */
  merge: SummaryMergeStats.optional(),
  /** LLM summaries: cited ids that were dropped, never linked. */
  droppedIds: DroppedIdCounts.optional(),
  /** Lines for the reader about how the summary was made (merged and left-out findings, dropped ids). */
  notes: z.array(z.string()).optional(),
});
export type Summary = z.infer<typeof Summary>;
