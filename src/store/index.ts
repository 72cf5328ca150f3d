export { LocalArtifactStore, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './artifact-store';
export type { ArtifactStore } from './artifact-store';
export { HISTORY_PAGE_SIZE, historyPageKey, writeHistoryPage, readHistoryPage, readHistory } from './history';
