export { buildDigest, DIGEST_TOP, DIGEST_OPEN_QUESTIONS } from './digest';
export { excerpt } from './excerpt';
