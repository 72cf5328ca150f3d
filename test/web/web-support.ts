import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import { createWebServer, type WebServer, type WebServerOptions } from '../../src/web';

/** A signing key for tests: long enough, and recognisable if it ever leaked into output. */
export const TEST_KEY = 'test-signing-key-0123456789abcdefghijklmnop';

/** A fresh folder with `out/` and `data/` beside each other, as a deployment has them. */
export function webDirs(prefix: string): { dir: string; out: string; data: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, out: join(dir, 'out'), data: join(dir, 'data') };
}

/** The web service's config over given folders and Temporal address, on a free port of 127.0.0.1. */
export function webConfig(opts: { out: string; data: string; temporal: string; token?: string; taskQueue?: string }): Config {
  return loadConfig({
    TEMPORAL_ADDRESS: opts.temporal,
    OUTPUT_DIR: opts.out,
    DATA_DIR: opts.data,
    WEB_PORT: '0',
    WEB_SIGNING_KEY: TEST_KEY,
    WEB_LINK_TTL_SECONDS: '600',
    ...(opts.token ? { WEB_TOKEN: opts.token } : {}),
    ...(opts.taskQueue ? { TEMPORAL_TASK_QUEUE: opts.taskQueue } : {}),
  });
}

/** A clock the test moves. */
export function testClock(start = Date.parse('2026-11-20T12:00:00Z')) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

export interface RunningWeb {
  web: WebServer;
  url: string;
  get(path: string, init?: RequestInit): Promise<Response>;
}

/** Starts the web service; the caller closes `web`. */
export async function startWeb(options: WebServerOptions): Promise<RunningWeb> {
  const web = createWebServer(options);
  const { url } = await web.listen();
  return { web, url, get: (path, init) => fetch(`${url}${path}`, { redirect: 'manual', ...init }) };
}

/** Where the browser is: CHROMIUM_PATH, or Debian's chromium (scripts/install-deps.sh installs it). */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}
