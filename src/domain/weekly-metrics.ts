import { z } from 'zod';
import { Peer } from './chat-message';

/** An ISO 8601 week id, `2026-W46`. Whether the week exists in its year is checked by `parseWeekId` (src/recap). */
export const WeekId = z.string().regex(/^\d{4}-W\d{2}$/, 'a week id looks like 2026-W46 (ISO year, "-W", two-digit week)');
export type WeekId = z.infer<typeof WeekId>;

/** A message a recap points at (a demo, a blocker, an open question, a most-reacted message). */
export const RecapItem = z.object({
  messageId: z.number().int(),
  sender: Peer.optional(),
  /** When it was sent, ISO 8601 UTC. */
  date: z.string(),
  /** The message's text on one line, shortened. */
  text: z.string(),
  /** The first link of the message, if any: for demos, usually the demo itself. */
  link: z.string().optional(),
  /** Whether someone other than the sender replied to it directly (a blocker that got help). */
  replied: z.boolean(),
  /**
   * For blockers and open questions: nobody else replied yet (`open`), someone did (`answered`), or the sender said
   * in its thread that it is sorted (`resolved`). Absent in records from before it was stored (read `replied`).
   */
  status: z.enum(['open', 'answered', 'resolved']).optional(),
  /** For an open one: how long it had waited for a reply at the end of the week, in seconds. */
  waitedSeconds: z.number().nonnegative().optional(),
});
export type RecapItem = z.infer<typeof RecapItem>;

/**
 * How much of a week the source holds. An export holds the days from its first message to its last; a live chat
 * holds everything up to the run. `none`: the source holds no day of the week (its counts are not a quiet week but
 * nothing known); `partial`: some days only (`days`), e.g. an export that ends on a Monday.
 */
export const WeekCoverage = z.object({
  status: z.enum(['full', 'partial', 'none']),
  /** Which local days, Monday first, the source holds. */
  days: z.array(z.boolean()).length(7),
  /** The source's first and last message, ISO 8601 UTC; null when unknown or open-ended (a live chat). */
  sourceFirst: z.string().nullable(),
  sourceLast: z.string().nullable(),
});
export type WeekCoverage = z.infer<typeof WeekCoverage>;

/**
 * A cohort's activity over one week, in the cohort's time zone. Computed by `createWeekAccumulator` (src/recap),
 * which documents exactly what each number counts; stored per cohort and week, and compared week over week.
 */
export const WeeklyMetrics = z.object({
  chatId: z.number().int(),
  week: WeekId,
  /** IANA time zone the week's boundaries are taken in. */
  zone: z.string(),
  /** The week's first instant (Monday 00:00 local), ISO 8601 UTC. */
  start: z.string(),
  /** The next week's first instant (exclusive end), ISO 8601 UTC. */
  end: z.string(),
  messages: z.number().int().nonnegative(),
  activeMembers: z.number().int().nonnegative(),
  /** Members of the group when the recap ran, if known. */
  memberCount: z.number().int().nonnegative().nullable(),
  /** activeMembers / memberCount, 0..1; null when the member count is unknown. */
  activeShare: z.number().min(0).max(1).nullable(),
  newMembers: z.number().int().nonnegative(),
  departedMembers: z.number().int().nonnegative(),
  replies: z.number().int().nonnegative(),
  threadsStarted: z.number().int().nonnegative(),
  questions: z.object({
    asked: z.number().int().nonnegative(),
    answered: z.number().int().nonnegative(),
    ids: z.array(z.number().int()),
    unansweredIds: z.array(z.number().int()),
    /**
     * The unanswered questions that carry the most weight (others' reactions, who asks, what it says, how long it
     * has waited), heaviest first, at most a few dozen; a question also raised as a blocker is listed as a blocker.
     */
    open: z.array(RecapItem),
  }),
  medianFirstReplySeconds: z.number().nonnegative().nullable(),
  demos: z.array(RecapItem),
  /** Blockers, heaviest first (someone stuck and unheard leads), each with its `status`. */
  blockers: z.array(RecapItem),
  /**
   * What the group settled ("we decided…", "#decision"), heaviest first. Absent in records from before decisions
   * were detected: unknown for that week, not zero, so it is not compared.
   */
  decisions: z.array(RecapItem).optional(),
  topContributors: z.array(z.object({ peer: Peer, messages: z.number().int().positive() })),
  /** Members who answered the most questions (first answer from someone other than the asker). */
  helpers: z.array(z.object({ peer: Peer, answered: z.number().int().positive() })),
  mostReacted: z.array(RecapItem.extend({ reactions: z.number().int().positive() })),
  /** Messages per local day, Monday first. */
  perDay: z.array(z.number().int().nonnegative()).length(7),
  /**
   * How much of the week the source holds; absent in records from before it was stored (read them as full).
   * A `none` week is stored too, so history and trend say "no data" rather than show zeros.
   */
  coverage: WeekCoverage.optional(),
  /** Messages of bots (configured ids or flagged senders) in the week, left out of every count. */
  botMessages: z.number().int().nonnegative().optional(),
});
export type WeeklyMetrics = z.infer<typeof WeeklyMetrics>;
