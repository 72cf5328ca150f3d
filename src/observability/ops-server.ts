import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BadInputError } from '../domain';
import { metricsText } from './metrics';

/** One thing `/healthz` checks. `check` resolves when healthy and throws (with a reason) when not. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** A check that takes longer than this counts as failed: a health endpoint must answer fast. */
const CHECK_TIMEOUT_MS = 2000;

async function runCheck(c: HealthCheck): Promise<[string, string]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([c.check(), timeout]);
    return [c.name, 'ok'];
  } catch (err) {
    return [c.name, `error: ${err instanceof Error ? err.message : String(err)}`];
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Answers `GET /metrics` (Prometheus text) and `GET /healthz` (200 when every check passes, 503 naming the failing
 * ones) and returns true; returns false, leaving the response alone, for any other request. Shared by the workers'
 * ops endpoint and the web service.
 */
export function serveOps(req: IncomingMessage, res: ServerResponse, checks: readonly HealthCheck[]): boolean {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' || (path !== '/metrics' && path !== '/healthz')) return false;
  if (path === '/metrics') {
    metricsText().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
    return true;
  }
  void Promise.all(checks.map(runCheck)).then((results) => {
    const healthy = results.every(([, r]) => r === 'ok');
    res
      .writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: healthy ? 'ok' : 'unhealthy', checks: Object.fromEntries(results) }));
  });
  return true;
}

/**
 * Listens on `host:port` and resolves with the port bound (the one the system picked for port 0). A port in use is
 * a one-line {@link BadInputError} naming the setting (`portSetting`) to change.
 */
export function listenOn(server: Server, opts: { port: number; host: string; portSetting: string; hint: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new BadInputError(`${opts.portSetting} ${opts.port} is in use on ${opts.host}`, opts.hint, { cause: err }) : err);
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : opts.port);
    });
  });
}

/**
 * The operations endpoint of a worker: `GET /metrics` and `GET /healthz` (see {@link serveOps}), and the codec
 * endpoint when given. Nothing else is served.
 */
export async function startOpsServer(opts: {
  port: number;
  host: string;
  checks: HealthCheck[];
  /** The setting that names the port, for the busy-port error (METRICS_PORT unless told). */
  portSetting?: string;
  /** Serves `/codec/encode` and `/codec/decode` for the Web UI (`createCodecHandler` of src/codec), when given. */
  codec?: (req: IncomingMessage, res: ServerResponse) => void;
}): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    if (opts.codec && (req.url ?? '/').startsWith('/codec/')) return opts.codec(req, res);
    if (serveOps(req, res, opts.checks)) return;
    res.writeHead(req.method === 'GET' ? 404 : 405).end();
  });
  const port = await listenOn(server, { ...opts, portSetting: opts.portSetting ?? 'METRICS_PORT', hint: 'Give each worker on this host its own port (0 turns the endpoint off)' });
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
