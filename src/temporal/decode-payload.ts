import type { LoadedDataConverter, Payload } from '@temporalio/common';

/**
 * Reads one raw payload (from `describe().raw` or fetched history) through a client's data converter, codec
 * included: with payload encryption on, the default converter alone cannot read it.
 *
 * @example
 * const beat = await decodePayload<ExtractHeartbeat>(handle.client, pending.heartbeatDetails.payloads[0]);
 */
export async function decodePayload<T>(client: { options: { loadedDataConverter: LoadedDataConverter } }, payload: Payload): Promise<T> {
  const { payloadConverter, payloadCodecs } = client.options.loadedDataConverter;
  let decoded = payload;
  // Codecs encode in order, so they decode in reverse.
  for (const codec of [...payloadCodecs].reverse()) decoded = (await codec.decode([decoded]))[0]!;
  return payloadConverter.fromPayload<T>(decoded);
}
