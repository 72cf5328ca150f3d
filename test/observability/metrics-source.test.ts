import { createServer, type Server } from 'node:http';
import { freePort } from '../../src/devstack';
import { addMetricsSource, prometheusEndpointSource, startOpsServer, type MetricsSource, type OpsServer } from '../../src/observability';

let ops: OpsServer | undefined;
let exporter: Server | undefined;
let removers: (() => void)[] = [];
afterEach(async () => {
  removers.forEach((remove) => remove());
  removers = [];
  await ops?.close();
  exporter?.closeAllConnections();
  await new Promise<void>((r) => (exporter ? exporter.close(() => r()) : r()));
  ops = undefined;
  exporter = undefined;
});

/** An exporter of this process, answering every request with `handler`. */
function startExporter(handler: Parameters<typeof createServer>[1]): Promise<number> {
  exporter = createServer(handler);
  return new Promise((r) => exporter!.listen(0, '127.0.0.1', () => r((exporter!.address() as { port: number }).port)));
}

async function scrape(sources: MetricsSource[]): Promise<Response> {
  removers = sources.map(addMetricsSource);
  ops = await startOpsServer({ port: 0, host: '127.0.0.1', checks: [] });
  return fetch(`http://127.0.0.1:${ops.port}/metrics`);
}

test("another exporter's series are served after our own, and marked up", async () => {
  const port = await startExporter((_, res) => res.end('# HELP temporal_num_pollers Pollers\n# TYPE temporal_num_pollers gauge\ntemporal_num_pollers{poller_type="workflow_task"} 2'));
  const res = await scrape([prometheusEndpointSource('sdk-ok', `http://127.0.0.1:${port}/metrics`)]);
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toMatch(/^temporal_num_pollers\{poller_type="workflow_task"\} 2\n/m);
  expect(text).toMatch(/^metrics_source_up\{source="sdk-ok"\} 1$/m);
  expect(text.indexOf('# TYPE rate_limit_requests_total')).toBeLessThan(text.indexOf('temporal_num_pollers'));
});

test('an exporter that is down or answers an error leaves its series out, says so, and our metrics are still served', async () => {
  const port = await startExporter((_, res) => res.writeHead(500).end('temporal_should_not_appear 1\n'));
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
  const port = await startExporter(() => undefined); // accepts, never answers
  const res = await scrape([prometheusEndpointSource('sdk-hangs', `http://127.0.0.1:${port}/metrics`, 300)]);
  expect(res.status).toBe(200);
  expect(await res.text()).toMatch(/^metrics_source_up\{source="sdk-hangs"\} 0$/m);
});

test('a removed source is no longer scraped nor reported', async () => {
  let scrapes = 0;
  const remove = addMetricsSource({ name: 'sdk-removed', scrape: async () => `temporal_gone ${++scrapes}\n` });
  ops = await startOpsServer({ port: 0, host: '127.0.0.1', checks: [] });
  expect(await (await fetch(`http://127.0.0.1:${ops.port}/metrics`)).text()).toMatch(/^temporal_gone 1$/m);
  remove();
  const text = await (await fetch(`http://127.0.0.1:${ops.port}/metrics`)).text();
  expect(text).not.toContain('temporal_gone');
  expect(text).not.toContain('sdk-removed');
  expect(scrapes).toBe(1);
});
