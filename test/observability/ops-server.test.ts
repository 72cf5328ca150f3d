import Redis from 'ioredis';
import { freePort } from '../../src/devstack';
import { diskCheck, rateLimitRequests, redisCheck, startOpsServer, workerCheck, type OpsServer } from '../../src/observability';
import { testStack } from '../support/stack';

let servers: OpsServer[] = [];
const clients: Redis[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  clients.splice(0).forEach((c) => c.disconnect());
});

async function serve(checks: Parameters<typeof startOpsServer>[0]['checks']) {
  const server = await startOpsServer({ port: 0, host: '127.0.0.1', checks });
  servers.push(server);
  return (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);
}

test('/metrics serves the limiter metrics in Prometheus text format', async () => {
  rateLimitRequests.inc({ account: 'acct-metrics-test', operation: 'api' });
  const get = await serve([]);
  const res = await get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/plain/);
  expect(await res.text()).toMatch(/rate_limit_requests_total\{[^}]*account="acct-metrics-test"[^}]*\} 1/);
});

test('/healthz is 200 when Redis, the worker and the disk are fine', async () => {
  const redis = new Redis(testStack().redisUrl);
  clients.push(redis);
  const get = await serve([redisCheck(redis), workerCheck({ getState: () => 'RUNNING' }), diskCheck('/tmp', 1)]);
  const res = await get('/healthz');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok', checks: { redis: 'ok', temporal: 'ok', disk: 'ok' } });
});

test('/healthz is 503 and names what is wrong: Redis down, a draining worker, a full disk', async () => {
  const dead = new Redis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
  dead.on('error', () => undefined);
  clients.push(dead);
  const get = await serve([redisCheck(dead), workerCheck({ getState: () => 'DRAINING' }), diskCheck('/tmp', Number.MAX_SAFE_INTEGER)]);
  const res = await get('/healthz');
  expect(res.status).toBe(503);
  const body = (await res.json()) as { status: string; checks: Record<string, string> };
  expect(body.status).toBe('unhealthy');
  expect(body.checks.redis).toMatch(/^error: /);
  expect(body.checks.temporal).toBe('error: worker is DRAINING');
  expect(body.checks.disk).toMatch(/^error: only \d+ MiB free in \/tmp/);
});

test('a port in use is a clear error, and anything but GET /metrics or /healthz is refused', async () => {
  const get = await serve([]);
  expect((await get('/')).status).toBe(404);
  const port = servers[0]!.port;
  await expect(startOpsServer({ port, host: '127.0.0.1', checks: [] })).rejects.toThrow(`METRICS_PORT ${port} is in use`);
});
