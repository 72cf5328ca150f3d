import type { DataConverter } from '@temporalio/common';
import { createCodecHandler, createPayloadCodec, type CodecHandler } from '../codec';
import type { Config } from '../config';

let warned = false;

/**
 * The data converter every client and worker of tgpulse uses: with TEMPORAL_CODEC_KEYS set, every payload is
 * encrypted (AES-GCM) before it leaves the process, so history holds no chat title, prompt or message text in the
 * clear. Unset, payloads are plain; `warn` (a worker passes it) says so once per process, as production should
 * encrypt. Clients and workers must agree: a plain client sees only `binary/encrypted` payloads.
 */
export function dataConverterFromConfig(config: Pick<Config, 'TEMPORAL_CODEC_KEYS'>, opts: { warn?: (message: string) => void } = {}): DataConverter | undefined {
  const codec = createPayloadCodec(config.TEMPORAL_CODEC_KEYS);
  if (codec) return { payloadCodecs: [codec] };
  if (opts.warn && !warned) {
    warned = true;
    opts.warn('warning: TEMPORAL_CODEC_KEYS is unset, so workflow inputs and results (chat titles, prompts, run notes) are stored in Temporal unencrypted; set it in production (see .env.example)');
  }
  return undefined;
}

/**
 * The codec endpoint for the Web UI (`/codec/encode`, `/codec/decode`) over the same keys: CORS for the origin of
 * TEMPORAL_UI_URL, bearer token CODEC_AUTH_TOKEN. Without TEMPORAL_CODEC_KEYS it passes payloads through.
 */
export function codecHandlerFromConfig(config: Pick<Config, 'TEMPORAL_CODEC_KEYS' | 'CODEC_AUTH_TOKEN' | 'TEMPORAL_UI_URL'>): CodecHandler {
  const codec = createPayloadCodec(config.TEMPORAL_CODEC_KEYS) ?? { encode: (p) => Promise.resolve(p), decode: (p) => Promise.resolve(p) };
  return createCodecHandler({ codec, authToken: config.CODEC_AUTH_TOKEN, allowedOrigins: [new URL(config.TEMPORAL_UI_URL).origin] });
}
