import { createServer, type Server } from 'node:net';
import { freePort } from '../../src/devstack';
import { metricsText } from '../../src/observability';
import { installRuntimeMetrics } from '../../src/workers';

// One process-wide SDK runtime: this file installs it, so it runs in a jest worker of its own, without a worker.
const held: Server[] = [];
afterAll(() => held.forEach((s) => s.close()));

/** A loopback port something else already listens on. */
function takenPort(): Promise<number> {
  const server = createServer();
  held.push(server);
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)));
}

test('when every port it tries is taken, the install fails saying so (and nothing is installed)', async () => {
  await expect(installRuntimeMetrics({ pickPort: takenPort })).rejects.toThrow(/address already in use/i);
});

test('a port taken between choosing and binding it is replaced by another, and the SDK exporter is then read', async () => {
  const ports = [await takenPort(), await freePort()];
  await installRuntimeMetrics({ pickPort: async () => ports.shift()! });
  expect(ports).toEqual([]);
  expect((await metricsText()).body).toMatch(/^metrics_source_up\{source="temporal_sdk"\} 1$/m);
});
