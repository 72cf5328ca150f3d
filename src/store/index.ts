export { LocalArtifactStore, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './artifact-store';
export type { ArtifactStat, ArtifactStore } from './artifact-store';
export { S3ArtifactStore, type S3StoreSettings } from './s3-artifact-store';
export { artifactStoreFromConfig, openArtifactStore, type ArtifactStoreConfig } from './open-artifact-store';
export { HISTORY_PAGE_SIZE, historyPageKey, writeHistoryPage, readHistoryPage, readHistory } from './history';
