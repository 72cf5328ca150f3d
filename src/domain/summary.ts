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

/** The result of summarizing a chat, by the no-model digest or by an LLM. */
export const Summary = z.object({
  title: z.string(),
  sections: z.array(SummarySection),
  stats: SummaryStats,
  /** `digest` for the no-model summary, else the model's name. */
  model: z.string(),
  usage: TokenUsage.optional(),
});
export type Summary = z.infer<typeof Summary>;
