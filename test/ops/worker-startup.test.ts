import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/devstack';
import { testStack } from '../support/stack';
import { spawnLive } from './support/ops';

jest.setTimeout(180_000);

let dir: string;
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-startup-'));
  busyPort = await freePort();
  busy = createServer();
  await new Promise<void>((r) => busy.listen(busyPort, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise((r) => busy.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a worker entry point that should refuse to start; it must exit by itself (a hung one fails the test). */
async function refusedStart(entry: string, env: Record<string, string>, args: string[] = []) {
  const base = { TEMPORAL_ADDRESS: testStack().temporalAddress, REDIS_URL: testStack().redisUrl, DATA_DIR: join(dir, 'data'), METRICS_PORT: '0', ACCOUNT_METRICS_PORT: '0' };
  const worker = spawnLive(args, { ...base, ...env }, entry, dir);
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), 120_000);
  const code = await worker.exited;
  clearTimeout(timer);
  return { code, stdout: worker.stdout, stderr: worker.stderr };
}

const WORKER = 'src/workers/main.ts';
const ACCOUNT = 'src/workers/account-main.ts';
const TELEGRAM = { TG_API_ID: '12345', TG_API_HASH: '0123456789abcdef0123456789abcdef', SESSION_DIR: '/nonexistent-sessions' };

test('metrics port in use: the worker says so in one line and exits non-zero, without touching Temporal', async () => {
  const r = await refusedStart(WORKER, { METRICS_PORT: String(busyPort), METRICS_HOST: '127.0.0.1' });
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBeNull();
  expect(r.stderr).toBe(`error: the worker cannot start: METRICS_PORT ${busyPort} is in use on 127.0.0.1. Give each worker on this host its own port (0 turns the endpoint off)\n`);
});

test('the account worker on a busy metrics port: one line, non-zero', async () => {
  const r = await refusedStart(ACCOUNT, { ...TELEGRAM, ACCOUNT_METRICS_PORT: String(busyPort), METRICS_HOST: '127.0.0.1' }, ['--account', 'alice']);
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBeNull();
  expect(r.stderr).toBe(`error: the account worker cannot start: ACCOUNT_METRICS_PORT ${busyPort} is in use on 127.0.0.1. Give each worker on this host its own port (0 turns the endpoint off)\n`);
});

test('Redis down: one line naming where it looked, exit 3', async () => {
  const port = await freePort();
  for (const [entry, what, args] of [[WORKER, 'the worker', []], [ACCOUNT, 'the account worker', ['--account', 'alice']]] as const) {
    const r = await refusedStart(entry, { ...TELEGRAM, REDIS_URL: `redis://127.0.0.1:${port}` }, [...args]);
    expect({ entry, code: r.code, stderr: r.stderr }).toEqual({ entry, code: 3, stderr: `error: ${what} cannot start: Redis at 127.0.0.1:${port} does not answer. Start it (\`redis-server\`) or set REDIS_URL\n` });
  }
});

test('Temporal unreachable: one line naming where it looked and how to start it, exit 3', async () => {
  const port = await freePort();
  const r = await refusedStart(WORKER, { TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
  expect(r.code).toBe(3);
  expect(r.stderr.split('\n')).toEqual([expect.stringMatching(new RegExp(`^error: the worker cannot start: Temporal at 127\\.0\\.0\\.1:${port} is unreachable\\. Start it`)), '']);
});
