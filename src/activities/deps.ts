import type { HistorySource, JobSource } from '../domain';
import type { ArtifactStore } from '../store';

/** What the activities need from the outside world. Tests hand in fakes behind these ports. */
export interface ActivityDeps {
  store: ArtifactStore;
  /** Opens the source a job names (an export file, a Telegram chat). */
  openSource(source: JobSource): Promise<HistorySource>;
  /** How often a running extraction tells Temporal it is alive, in ms. */
  heartbeatEveryMs?: number;
}
