export { buildDigest, DIGEST_TOP, DIGEST_OPEN_QUESTIONS } from './digest';
export { looksLikeQuestion } from './question';
export { excerpt } from './excerpt';
