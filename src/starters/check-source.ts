import type { JobSource } from '../domain';
import { checkExport } from '../export';

/**
 * Checks a run's source before the run is started: an export must still be there and whole (see `checkExport`).
 * A live chat is checked by the account's worker when the run reads it.
 */
export async function checkJobSource(source: JobSource): Promise<void> {
  if (source.kind === 'export') await checkExport(source.path, source.chat !== undefined ? { chat: source.chat } : {});
}
