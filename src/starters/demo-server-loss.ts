import type { TemporalDevServer } from '../devstack';
import { isListening } from '../devstack';

/** Why the demo stops before its run is done: it prints `message` and exits with `exitCode`. */
export class DemoStop extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** How often a server the demo did not start is checked, and how many missed checks mean it is gone. */
const PROBE_EVERY_MS = 1000;
const PROBES_MISSED = 3;

/** How long a failed run waits to learn whether its server is gone, which would be the real reason. */
export const CAUSE_GRACE_MS = PROBE_EVERY_MS * (PROBES_MISSED + 1);

/** What {@link serverLost} and {@link explainFailure} watch: the server the demo started, or the address it was given. */
export interface WatchedServer {
  own: Pick<TemporalDevServer, 'exited' | 'logFile'> | null;
  address: string;
}

/** `host:port` split, or a DemoStop saying what is wrong with it. */
export function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  const port = Number(address.slice(at + 1));
  if (at < 1 || !Number.isInteger(port) || port < 1 || port > 65535) throw new DemoStop(`--temporal ${JSON.stringify(address)} is not host:port (e.g. 127.0.0.1:7233)`, 2);
  // An IPv6 address is written in brackets before its port; a socket wants it without them.
  return [address.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port];
}

/** Settles with a DemoStop when a server the demo uses goes away, so nothing waits on it for minutes. */
export function serverLost({ own, address }: WatchedServer, isStopping: () => boolean): Promise<never> {
  if (own) {
    return own.exited.then(({ code, signal }) => {
      if (isStopping()) return new Promise<never>(() => undefined);
      throw new DemoStop(`the Temporal dev server the demo started has stopped (${signal ?? `exit code ${code}`}); its log: ${own.logFile}`, 1);
    });
  }
  const [host, port] = splitAddress(address);
  return new Promise<never>((_, reject) => {
    let missed = 0;
    const timer = setInterval(() => {
      void isListening(port, host).then((up) => {
        missed = up ? 0 : missed + 1;
        if (missed >= PROBES_MISSED && !isStopping()) {
          clearInterval(timer);
          reject(new DemoStop(`Temporal at ${address} stopped answering; the demo gives up`, 1));
        }
      });
    }, PROBE_EVERY_MS);
    timer.unref();
  });
}

/**
 * A run that failed because its server went away fails with a connection error, often a moment before the server
 * is seen gone: report the server, not the symptom. The server's port is no proof either way at that moment (a
 * killed server's established connections can close before its listening socket does), so the run's own error
 * stands only once the server has outlived `graceMs` and still listens; `lost` ({@link serverLost}) settling
 * first is the answer.
 */
export async function explainFailure(err: unknown, lost: Promise<never>, address: string, graceMs = CAUSE_GRACE_MS): Promise<never> {
  const [host, port] = splitAddress(address);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([lost, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
  } finally {
    clearTimeout(timer);
  }
  if (await isListening(port, host)) throw err;
  throw new DemoStop(`Temporal at ${address} stopped answering; the demo gives up`, 1);
}
