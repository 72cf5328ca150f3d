export { AesGcmCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './aes-gcm-codec';
export { parseCodecKeys } from './codec-keys';
export type { CodecKey, CodecKeyRing } from './codec-keys';
export { CodecKeyError } from './codec-key-error';
export { createCodecHandler } from './codec-handler';
export type { CodecHandler, CodecHandlerOptions } from './codec-handler';
export { createPayloadCodec } from './payload-codec';
