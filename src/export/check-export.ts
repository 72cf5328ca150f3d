import type { ExportChat } from './export-survey';
import { openExport, type OpenExportOptions } from './open-export';

/**
 * Checks an export before a run is started on it: the same validating pass that opening it runs (every byte, no
 * message parsed), so a missing, empty, truncated, binary or non-export file, or a chat the export does not hold, is
 * refused with its `ExportFormatError` or BadInputError before any workflow exists. Returns the chat a run
 * would read. The pass reads the whole file once; see docs/benchmarks.md for what that costs on a large export.
 *
 * @example
 * const chat = await checkExport('ChatExport_2026-11-16/result.json'); // throws ExportFormatError on a cut file
 */
export async function checkExport(path: string, opts: Pick<OpenExportOptions, 'chat' | 'signal'> = {}): Promise<ExportChat> {
  return (await openExport(path, opts)).chat;
}
