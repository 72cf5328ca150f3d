import { createServer, type Server } from 'node:http';
import { freePort } from '../../src/devstack';
import { prometheusEndpointSource, startOpsServer, type MetricsSource, type OpsServer } from '../../src/observability';

let ops: OpsServer | undefined;
let exporter: Server | undefined;
afterEach(async () => {
  await ops?.close();
  await new Promise<void>((r) => (exporter ? exporter.close(() => r()) : r()));
  ops = undefined;
  exporter = undefined;
});

async function scrape(sources: MetricsSource[]): Promise<Response> {
  ops = await startOpsServer({ port: 0, host: '127.0.0.1', checks: [], sources });
  return fetch(`http://127.0.0.1:${ops.port}/metrics`);
}

test("another exporter's series are served after our own, and marked up", async () => {
  exporter = createServer((_, res) => res.end('# HELP temporal_num_pollers Pollers\n# TYPE temporal_num_pollers gauge\ntemporal_num_pollers{poller_type="workflow_task"} 2'));
  const port = await new Promise<number>((r) => exporter!.listen(0, '127.0.0.1', () => r((exporter!.address() as { port: number }).port)));
  const res = await scrape([prometheusEndpointSource('sdk-ok', `http://127.0.0.1:${port}/metrics`)]);
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toMatch(/^temporal_num_pollers\{poller_type="workflow_task"\} 2\n/m);
  expect(text).toMatch(/^metrics_source_up\{source="sdk-ok"\} 1$/m);
  expect(text.indexOf('metrics_source_up')).toBeLessThan(text.indexOf('temporal_num_pollers'));
});

test('an exporter that is down or answers an error leaves its series out, says so, and our metrics are still served', async () => {
  exporter = createServer((_, res) => res.writeHead(500).end('temporal_should_not_appear 1\n'));
  const port = await new Promise<number>((r) => exporter!.listen(0, '127.0.0.1', () => r((exporter!.address() as { port: number }).port)));
  const res = await scrape([
    prometheusEndpointSource('sdk-down', `http://127.0.0.1:${await freePort()}/metrics`),
    prometheusEndpointSource('sdk-500', `http://127.0.0.1:${port}/metrics`),
  ]);
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toMatch(/^metrics_source_up\{source="sdk-down"\} 0$/m);
  expect(text).toMatch(/^metrics_source_up\{source="sdk-500"\} 0$/m);
  expect(text).not.toContain('temporal_should_not_appear');
  expect(text).toContain('# TYPE rate_limit_requests_total counter');
});

test('an exporter that hangs is given up on, so a scrape still answers', async () => {
  exporter = createServer(() => undefined); // accepts, never answers
  const port = await new Promise<number>((r) => exporter!.listen(0, '127.0.0.1', () => r((exporter!.address() as { port: number }).port)));
  const res = await scrape([prometheusEndpointSource('sdk-hangs', `http://127.0.0.1:${port}/metrics`, 300)]);
  expect(res.status).toBe(200);
  expect(await res.text()).toMatch(/^metrics_source_up\{source="sdk-hangs"\} 0$/m);
  exporter.closeAllConnections();
});
