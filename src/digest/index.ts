export { buildDigest, DIGEST_TOP, DIGEST_THREADS, DIGEST_ITEMS, DIGEST_OPEN_QUESTIONS } from './digest';
export type { DigestOptions } from './digest';
export { excerpt } from './excerpt';
export { bestMatches } from './best-matches';
export type { Match } from './best-matches';
