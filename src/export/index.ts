/**
 * The offline source: Telegram Desktop exports (`result.json`), validated and streamed as `ChatMessage`s.
 */
export { openExport, listExportChats, ExportHistorySource } from './open-export';
export { checkExport } from './check-export';
export type { OpenExportOptions, ExportReadStats } from './open-export';
export type { ExportChat } from './export-survey';
export { ExportFormatError } from './export-format-error';
export type { ExportFormatProblem } from './export-format-error';
export { normalizeMessage, TopicThreads, exportDate } from './normalize-message';
export type { RawExportMessage, NormalizeContext } from './normalize-message';
export { JsonScanner, JsonScanError, ScanAction, fixHexEscapes } from './json-scanner';
export type { JsonPath, ScanHandler } from './json-scanner';
