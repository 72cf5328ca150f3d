/**
 * A payload that cannot be decrypted with the configured keys: a key rotated out too early, a wrong key under a
 * known id, or a payload not written by tgpulse's codec. The message says which key and what to do; it never holds
 * key material.
 */
export class CodecKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CodecKeyError';
  }
}
