import { resolve } from 'node:path';

/**
 * The note a run gets when its input named an output folder (`delivery.dir`, as runs and schedules made before
 * workers decided where they write did): the folder is not used, the worker's own is. Empty when none was named.
 */
export function ignoredFolderNotes(named: string | undefined, outputDir: string): string[] {
  if (named === undefined || named.trim() === '') return [];
  if (resolve(named) === resolve(outputDir)) return [];
  return [`The run named the folder ${JSON.stringify(named)} for its files; workers write only into their own OUTPUT_DIR, so they are in ${resolve(outputDir)}.`];
}
