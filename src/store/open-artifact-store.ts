import type { Config } from '../config';
import { LocalArtifactStore, type ArtifactStore } from './artifact-store';
import { S3ArtifactStore } from './s3-artifact-store';

/** The settings that choose and reach the artifact store. */
export type ArtifactStoreConfig = Pick<
  Config,
  'ARTIFACT_STORE' | 'DATA_DIR' | 'S3_ENDPOINT' | 'S3_REGION' | 'S3_BUCKET' | 'S3_PREFIX' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY' | 'S3_FORCE_PATH_STYLE'
>;

/** The artifact store the configuration names (`ARTIFACT_STORE=local|s3`), not checked yet. */
export function artifactStoreFromConfig(config: ArtifactStoreConfig): ArtifactStore {
  if (config.ARTIFACT_STORE === 'local') return new LocalArtifactStore(config.DATA_DIR);
  return new S3ArtifactStore({
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    region: config.S3_REGION,
    bucket: config.S3_BUCKET ?? '',
    prefix: config.S3_PREFIX,
    ...(config.S3_ACCESS_KEY_ID ? { accessKeyId: config.S3_ACCESS_KEY_ID } : {}),
    ...(config.S3_SECRET_ACCESS_KEY ? { secretAccessKey: config.S3_SECRET_ACCESS_KEY } : {}),
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
}

/**
 * The configured artifact store, checked: a worker calls this before it polls, so a missing bucket, refused
 * credentials, an unreachable endpoint or a read-only folder stop it at start with one line (a domain error whose
 * message says what to fix) instead of failing its first job.
 */
export async function openArtifactStore(config: ArtifactStoreConfig): Promise<ArtifactStore> {
  const store = artifactStoreFromConfig(config);
  await store.check();
  return store;
}
