import type { HistorySource, JobSource } from '../domain';
import type { LlmSettings } from '../llm';
import type { ArtifactStore } from '../store';
import type { MaintenanceDeps } from './maintenance';

/** What the activities need from the outside world. Tests hand in fakes behind these ports. */
export interface ActivityDeps {
  store: ArtifactStore;
  /** Opens the source a job names (an export file, a Telegram chat). */
  openSource(source: JobSource): Promise<HistorySource>;
  /**
   * The folder result files go to (config OUTPUT_DIR). Only the worker decides it: a run's input never names a
   * folder (a legacy `delivery.dir` is ignored, and the run's notes say so).
   */
  outputDir: string;
  /** With it (config EXPORTS_DIR), Telegram Desktop exports are read only from under this folder (`confineJobSource`). */
  exportsDir?: string;
  /** The LLM endpoint; null for the no-model digest. */
  llm: LlmSettings | null;
  /** Flood waits up to this many seconds are retried by Temporal, longer ones slept by the workflow. */
  floodTimerThresholdSeconds?: number;
  /** How often a running extraction tells Temporal it is alive, in ms. */
  heartbeatEveryMs?: number;
  /** Retention and backups (the general worker's folders, Redis, BACKUP_KEY); without it those activities refuse. */
  maintenance?: MaintenanceDeps;
}
