import { isGrpcServiceError, ServiceError, type Client } from '@temporalio/client';
import type { Config } from '../config';
import { TransportError } from '../domain';
import { connectClient } from '../temporal';

/** gRPC status codes that mean "the server did not answer": UNAVAILABLE, DEADLINE_EXCEEDED. */
const UNREACHABLE_CODES = new Set([14, 4]);

/** How long a page waits for Temporal before it says Temporal is unreachable. */
const CALL_DEADLINE_MS = 8000;
const CONNECT_TIMEOUT_MS = 3000;

/**
 * Temporal as the web service uses it: connected on first use (the service starts, and its cohort pages work, while
 * Temporal is down), each use bounded by a deadline, and "no answer" turned into one {@link TransportError} whose
 * message says Temporal is unreachable.
 */
export interface TemporalAccess {
  use<T>(fn: (client: Client) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

type TemporalSettings = Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS' | 'TEMPORAL_CODEC_KEYS'>;

function isUnreachable(err: unknown): boolean {
  const grpc = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(grpc) && UNREACHABLE_CODES.has(grpc.code);
}

/** A {@link TemporalAccess} over the configured server. */
export function createTemporalAccess(config: TemporalSettings): TemporalAccess {
  let connecting: Promise<Client> | null = null;
  const unreachable = (cause: unknown) =>
    new TransportError(`Temporal at ${config.TEMPORAL_ADDRESS} is unreachable: start it, or set TEMPORAL_ADDRESS to where it runs`, { cause });
  const client = (): Promise<Client> => {
    connecting ??= connectClient(config, { connectTimeoutMs: CONNECT_TIMEOUT_MS }).catch((err: unknown) => {
      // Try again on the next page: Temporal may be back by then.
      connecting = null;
      throw err instanceof TransportError ? unreachable(err.cause) : err;
    });
    return connecting;
  };
  return {
    async use(fn) {
      const c = await client();
      try {
        return await c.withDeadline(Date.now() + CALL_DEADLINE_MS, () => fn(c));
      } catch (err) {
        if (isUnreachable(err)) throw unreachable(err);
        throw err;
      }
    },
    async close() {
      const c = await connecting?.catch(() => null);
      await c?.connection.close();
    },
  };
}
