import { BadInputError, type HistorySource, type JobSource } from '../domain';
import { openExport } from '../export';

/** Opens the history source a job names. */
export async function openJobSource(source: JobSource): Promise<HistorySource> {
  switch (source.kind) {
    case 'export':
      return openExport(source.path, source.chat !== undefined ? { chat: source.chat } : {});
    case 'telegram':
      // Only the worker holding the account's session may talk to Telegram: extractChat routes these there.
      throw new BadInputError(`Chat ${source.chat} is read by account "${source.account}"'s own worker, not the general one`, `Start it with \`npm run worker:account -- --account ${source.account}\``);
  }
}
