import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** What the kit's `start.sh --bg` prints once its server is ready (the fingerprint kept as an exact string). */
export interface PiltoverInfo {
  port: number;
  control_port: number;
  pid: number;
  fingerprint_signed: string;
  pubkey_pem: string;
  login_code: string;
  /** Written by {@link startPiltover}: the PEM file TELEGRAM_SERVER_KEY_FILE names. */
  keyFile: string;
  /** The server's state folder (logs in server.err). */
  stateDir: string;
}

/** The kit: ../shared/piltover beside the repository, or PILTOVER_KIT. */
export function piltoverKit(): string {
  return process.env.PILTOVER_KIT ?? resolve(__dirname, '../../../shared/piltover');
}

/**
 * Starts one piltover server (a real MTProto Telegram server, in-memory SQLite unless `db` names a file) and
 * waits for its JSON ready line. Throws with the kit's own words when it is not installed or does not start.
 */
export async function startPiltover(opts: { stateDir: string; db?: string; port?: number; controlPort?: number }): Promise<PiltoverInfo> {
  const kit = piltoverKit();
  if (!existsSync(join(kit, 'start.sh'))) throw new Error(`No piltover kit at ${kit}: set PILTOVER_KIT, and install it with \`scripts/install-deps.sh\``);
  mkdirSync(opts.stateDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, PILTOVER_STATE: opts.stateDir, PILTOVER_LOG_LEVEL: process.env.PILTOVER_LOG_LEVEL ?? 'WARNING' };
  if (opts.db) env.PILTOVER_DB = opts.db;
  if (opts.port) env.PILTOVER_PORT = String(opts.port);
  if (opts.controlPort) env.PILTOVER_CONTROL_PORT = String(opts.controlPort);
  const { stdout } = await promisify(execFile)(join(kit, 'start.sh'), ['--bg'], { env, timeout: 150_000 }).catch((err: { stderr?: string; message: string }) => {
    throw new Error(`piltover did not start: ${err.stderr?.trim().split('\n').slice(-3).join(' | ') || err.message}`);
  });
  const line = stdout.split('\n').find((l) => l.startsWith('{"ready"'));
  if (!line) throw new Error(`piltover printed no ready line: ${stdout.slice(0, 300)}`);
  const parsed = JSON.parse(line) as Omit<PiltoverInfo, 'keyFile' | 'stateDir'>;
  // A signed 64-bit number: read it from the text, a JSON number would lose its last digits.
  const fingerprint = /"fingerprint_signed":\s*"?(-?\d+)/.exec(line)?.[1] ?? String(parsed.fingerprint_signed);
  const keyFile = join(opts.stateDir, 'server-key.pem');
  writeFileSync(keyFile, parsed.pubkey_pem);
  return { ...parsed, fingerprint_signed: fingerprint, keyFile, stateDir: opts.stateDir };
}

/** Stops a server by the pid it reported (never by name) and waits until it is gone. */
export async function stopPiltover(info: Pick<PiltoverInfo, 'pid'>): Promise<void> {
  try {
    process.kill(info.pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(info.pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    process.kill(info.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The server this test run started (global setup), or why there is none. */
export function testPiltover(): PiltoverInfo {
  const file = process.env.TGPULSE_TEST_PILTOVER;
  if (!file) throw new Error('piltover not started: run the tests with `npm test`');
  const info = JSON.parse(readFileSync(file, 'utf8')) as PiltoverInfo | { error: string };
  if ('error' in info) throw new Error(`The real-server tests need piltover, which did not start: ${info.error}`);
  return info;
}

/** The settings that point tgpulse at the test run's piltover. */
export function piltoverSettings(info: PiltoverInfo = testPiltover()): { TELEGRAM_SERVER: string; TELEGRAM_SERVER_KEY_FILE: string; TELEGRAM_CONNECT_TIMEOUT_SECONDS: number } {
  return { TELEGRAM_SERVER: `127.0.0.1:${info.port}`, TELEGRAM_SERVER_KEY_FILE: info.keyFile, TELEGRAM_CONNECT_TIMEOUT_SECONDS: 5 };
}

/**
 * A TCP port on 127.0.0.1 that nothing listens on now, below 32768 (gramjs stores a session's port as a signed
 * 16-bit number), for a server that must come back on the same address after a restart.
 */
export async function freeServerPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + randomInt(12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('No free port in 20000–31999 after 50 tries');
}

/** Kills a server with SIGKILL (a crash: no clean shutdown) by the pid it reported, and waits until it is gone. */
export async function killPiltover(info: Pick<PiltoverInfo, 'pid'>, timeoutMs = 10_000): Promise<void> {
  process.kill(info.pid, 'SIGKILL');
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(info.pid, 0);
    } catch {
      return;
    }
    if (Date.now() > until) throw new Error(`piltover (pid ${info.pid}) still runs ${timeoutMs} ms after SIGKILL`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The kit's control port: the next `count` calls of `method` (`"*"` for any) fail with FLOOD_WAIT_<seconds>. */
export function injectFlood(info: Pick<PiltoverInfo, 'control_port'>, method: string, count: number, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: info.control_port, path: '/flood', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`flood control answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ method, count, seconds }));
  });
}
