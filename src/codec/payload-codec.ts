import type { PayloadCodec } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec';
import { parseCodecKeys } from './codec-keys';

/**
 * The payload codec TEMPORAL_CODEC_KEYS describes, or null when it is unset (payloads stored as they are). The
 * configuration has already refused a malformed value; this throws the same problems if called without it.
 */
export function createPayloadCodec(keys: string | undefined): PayloadCodec | null {
  if (keys === undefined || keys.trim() === '') return null;
  const parsed = parseCodecKeys(keys);
  if (!parsed.ring) throw new Error(`TEMPORAL_CODEC_KEYS: ${parsed.problems.join('; ')}`);
  return new AesGcmCodec(parsed.ring);
}
