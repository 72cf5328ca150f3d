import { isGrpcServiceError, ServiceError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { describeRunHealth, type RunHealth } from './run-health';

/** gRPC codes that mean "the server did not answer": the connection is down or the server is restarting. */
const UNREACHABLE_CODES = new Set([14 /* UNAVAILABLE */, 4 /* DEADLINE_EXCEEDED */, 1 /* CANCELLED */]);

/** Whether an error says Temporal did not answer (as opposed to answering with a refusal). */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof CallTimeout) return true;
  const grpc = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(grpc) && UNREACHABLE_CODES.has(grpc.code);
}

class CallTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'CallTimeout';
  }
}

/** A call that gives up after `ms` (the call itself is left to settle on its own; its result is dropped). */
function within<T>(ms: number, call: () => Promise<T>): Promise<T> {
  const pending = call();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new CallTimeout(ms)), ms)));
  pending.catch(() => undefined);
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}

/** What the waiting side hears while a run goes on. */
export interface WaitHooks<P> {
  /** Reads the run's own progress; called only while a worker serves the run (a query without one would hang). */
  readProgress?: (handle: WorkflowHandle) => Promise<P | null>;
  onProgress?: (progress: P) => void;
  /** The run's health, each time its lines change (an empty list: all is well again). */
  onHealth?: (health: RunHealth) => void;
  /** Temporal stopped answering (once per outage), and answered again. */
  onUnreachable?: (err: unknown) => void;
  onReachable?: () => void;
  /** How often to look, in ms (1000 by default). */
  everyMs?: number;
  /** How long one look may take before Temporal counts as unreachable, in ms (5000 by default). */
  callTimeoutMs?: number;
  /** Stops waiting (the run goes on). */
  signal?: AbortSignal;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

/**
 * Waits for a run to close and returns its result (or throws its failure), saying meanwhile what is wrong with it
 * (see {@link describeRunHealth}) and riding out a Temporal outage: calls that get no answer are retried every
 * `everyMs` until the server is back, never turned into a stack trace. A run that does not exist throws
 * `WorkflowNotFoundError`.
 */
export async function waitForRun<R, P = unknown>(handle: WorkflowHandle, hooks: WaitHooks<P> = {}): Promise<R> {
  const everyMs = hooks.everyMs ?? 1000;
  const callTimeoutMs = hooks.callTimeoutMs ?? 5000;
  let down = false;
  let lastLines = '';
  let previousKey = '';
  let progressInFlight = false;
  const reachable = () => {
    if (down) hooks.onReachable?.();
    down = false;
  };
  const unreachable = (err: unknown) => {
    if (!down) hooks.onUnreachable?.(err);
    down = true;
  };
  for (;;) {
    if (hooks.signal?.aborted) throw hooks.signal.reason;
    let health: RunHealth;
    try {
      health = await within(callTimeoutMs, () => describeRunHealth(handle));
      reachable();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || !isUnreachable(err)) throw err;
      unreachable(err);
      await sleep(everyMs, hooks.signal);
      continue;
    }
    if (health.state === 'closed') {
      try {
        return (await handle.result()) as R;
      } catch (err) {
        if (!isUnreachable(err)) throw err;
        unreachable(err);
        await sleep(everyMs, hooks.signal);
        continue;
      }
    }
    // Said once per change, not on every look: the countdown to a retry does not count as one. And only once two
    // looks agree, so a worker that is just starting to poll is not reported missing.
    const key = health.lines.map((l) => l.replace(/next try in [^)]*/, '')).join('\n');
    if (key === previousKey && key !== lastLines) {
      hooks.onHealth?.(health);
      lastLines = key;
    }
    previousKey = key;
    // A query needs a worker; without one it would wait for a long time, holding up the health lines.
    if (hooks.readProgress && health.state !== 'stuck' && !progressInFlight) {
      progressInFlight = true;
      void within(callTimeoutMs, () => hooks.readProgress!(handle))
        .then((p) => p && hooks.onProgress?.(p), () => undefined)
        .finally(() => (progressInFlight = false));
    }
    await sleep(everyMs, hooks.signal);
  }
}
