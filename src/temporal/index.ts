export { connectClient, connectWorker, runUrl } from './connect';
export { RUN_SEARCH_ATTRIBUTES, runSearchAttributes, searchAttributeFlags } from './search-attributes';
export type { RunKind, RunLabels } from './search-attributes';
export { searchAttributeCommand, startRun } from './start-run';
export type { RunDescription } from './start-run';
