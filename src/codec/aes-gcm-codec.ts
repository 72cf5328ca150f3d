import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CodecKeyRing } from './codec-keys';
import { CodecKeyError } from './codec-key-error';

/** The `encoding` of an encrypted payload: what the Web UI and a plain client see instead of the data. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata entry naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = temporal.api.common.v1.Payload;

const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/**
 * A payload codec that encrypts every payload (workflow and activity inputs and results, heartbeats, queries,
 * memos, failures' details) with AES-256-GCM. The whole original payload, metadata included, is serialized and
 * encrypted, so nothing of it is readable in history; the outer payload only says `binary/encrypted` and which key.
 * New payloads use the ring's current key; any key of the ring decrypts, which is how keys rotate: put the new key
 * first, keep the old one after it until no history needs it. Runs in clients and workers, outside the workflow
 * sandbox (the workflow bundle needs nothing).
 *
 * @example
 * const codec = new AesGcmCodec(parseCodecKeys(config.TEMPORAL_CODEC_KEYS).ring!);
 * new Client({ connection, dataConverter: { payloadCodecs: [codec] } });
 */
export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly ring: CodecKeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encrypt(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decrypt(p));
  }

  /** Encrypts one payload with the current key. */
  encrypt(payload: Payload): Payload {
    const { id, key } = this.ring.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The key id is bound to the ciphertext: a payload relabelled with another key id does not decrypt.
    cipher.setAAD(Buffer.from(id));
    const plain = ProtoPayload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(id) },
      data,
    };
  }

  /** Decrypts one payload; a payload that is not encrypted passes unchanged (runs from before encryption was on). */
  decrypt(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const id = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!id) throw new CodecKeyError('an encrypted payload names no key id: it was not written by tgpulse\'s codec');
    const entry = this.ring.all.get(id);
    if (!entry) {
      throw new CodecKeyError(
        `a payload is encrypted with key "${id}", which is not among TEMPORAL_CODEC_KEYS (${[...this.ring.all.keys()].join(', ')}): add it back after the current key to read runs from before the rotation`,
      );
    }
    const data = Buffer.from(payload.data ?? []);
    if (data.length < IV_BYTES + TAG_BYTES) throw new CodecKeyError(`a payload encrypted with key "${id}" is truncated (${data.length} bytes)`);
    const decipher = createDecipheriv('aes-256-gcm', entry.key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch (err) {
      throw new CodecKeyError(`a payload does not decrypt with key "${id}": the key under that id is not the one it was written with, or the payload was altered`, { cause: err });
    }
    const decoded = ProtoPayload.decode(plain);
    return { metadata: decoded.metadata, data: decoded.data };
  }
}
