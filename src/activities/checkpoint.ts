import type { ChatInfo } from '../domain';
import type { ArtifactStore } from '../store';

/** How far an extraction got. Stored beside the pages, so any later attempt, worker or run resumes from it. */
export interface ExtractionCheckpoint {
  pages: number;
  messages: number;
  /** Id of the last message stored; the next attempt asks for messages after it. */
  lastId?: number;
  done: boolean;
  chat?: ChatInfo;
}

const key = (prefix: string) => `${prefix}/checkpoint.json`;

export async function readCheckpoint(store: ArtifactStore, prefix: string): Promise<ExtractionCheckpoint | null> {
  const raw = await store.tryGet(key(prefix));
  return raw ? (JSON.parse(raw.toString('utf8')) as ExtractionCheckpoint) : null;
}

export async function writeCheckpoint(store: ArtifactStore, prefix: string, cp: ExtractionCheckpoint): Promise<void> {
  await store.put(key(prefix), JSON.stringify(cp));
}
