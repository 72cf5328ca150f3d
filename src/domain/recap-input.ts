import { z } from 'zod';
import { Delivery, JobSource } from './job';
import { WeekId } from './weekly-metrics';

/** Whether the runtime knows an IANA time zone name (Intl, so this stays free of date libraries). */
function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    // RangeError: the runtime does not know the zone; the refinement reports it.
    return false;
  }
}

/** A cohort whose weeks are recapped: where its history comes from and how its weeks are counted. */
export const RecapCohort = z.object({
  /** The name the cohort goes by on the CLI (`tgpulse recap pause <name>`); schedule and run ids derive from it. */
  name: z.string().trim().min(1, 'the cohort needs a name'),
  source: JobSource,
  /** IANA time zone the cohort's weeks start in (Monday 00:00 local). */
  zone: z.string().refine(isIanaZone, { message: 'unknown time zone: use an IANA name such as Europe/Berlin, America/New_York or UTC' }),
  /** Detector settings (`DetectorConfig` in src/detectors); the built-in defaults when absent. */
  detectors: z.record(z.string(), z.unknown()).optional(),
  /** Sender ids that are bots (exports do not say who is a bot), e.g. `user7612093345`. */
  botIds: z.array(z.string().min(1)).optional(),
  /** Members of the group, when the source does not tell (exports do not); gives the active share. */
  memberCount: z.number().int().positive().optional(),
});
export type RecapCohort = z.infer<typeof RecapCohort>;

/**
 * Everything a `weeklyRecap` run needs. It travels through Temporal history (and a schedule's action), so it holds
 * no secret. Without `week`, the run recaps the last week completed in the cohort's zone at the time it was
 * scheduled for (or started).
 */
export const RecapInput = z.object({
  cohort: RecapCohort,
  week: WeekId.optional(),
  delivery: Delivery,
});
export type RecapInput = z.infer<typeof RecapInput>;

/** What a `weeklyRecap` run did. Keys are artifact store keys; files are absolute paths on the worker. */
export interface RecapResult {
  week: string;
  chatId: number;
  chatTitle: string;
  messages: number;
  demos: number;
  model: string;
  metricsKey: string;
  pngKey: string;
  markdownKey: string;
  files: string[];
  /** Message ids posted into the group, for Telegram delivery. */
  posted: number[];
  notes: string[];
  /**
   * How much of the week the source held: `none` means no data (its counts are not a quiet week), `partial` some
   * days only (the notes say which). Absent from runs before it existed.
   */
  coverage?: 'full' | 'partial' | 'none';
}

export const RecapPhase = z.enum(['starting', 'extracting', 'waiting', 'computing', 'summarizing', 'rendering', 'delivering', 'done']);
export type RecapPhase = z.infer<typeof RecapPhase>;

/** Where a recap run is (the `progress` query). */
export interface RecapProgress {
  phase: RecapPhase;
  week?: string;
  messages: number;
  /** Set while the run sleeps through a Telegram flood wait. */
  resumesAt?: string;
}
