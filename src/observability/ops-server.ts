import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
 * The operations endpoint of a worker: `GET /metrics` (Prometheus text) and `GET /healthz` (200 when every check
 * passes, 503 naming the failing ones). Nothing else is served.
 */
export function startOpsServer(opts: {
  port: number;
  host: string;
  checks: HealthCheck[];
  /** Serves `/codec/encode` and `/codec/decode` for the Web UI (`createCodecHandler` of src/codec), when given. */
  codec?: (req: IncomingMessage, res: ServerResponse) => void;
}): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (opts.codec && path?.startsWith('/codec/')) return opts.codec(req, res);
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/metrics') {
      metricsText().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
      return;
    }
    if (path === '/healthz') {
      void Promise.all(opts.checks.map(runCheck)).then((results) => {
        const healthy = results.every(([, r]) => r === 'ok');
        res
          .writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: healthy ? 'ok' : 'unhealthy', checks: Object.fromEntries(results) }));
      });
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`METRICS_PORT ${opts.port} is in use: give each worker on this host its own port (0 turns the endpoint off)`) : err),
    );
    server.listen(opts.port, opts.host, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : opts.port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
