import type { HistorySource, JobSource } from '../domain';
import { openExport } from '../export';

/** Opens the history source a job names. */
export async function openJobSource(source: JobSource): Promise<HistorySource> {
  switch (source.kind) {
    case 'export':
      return openExport(source.path, source.chat !== undefined ? { chat: source.chat } : {});
  }
}
