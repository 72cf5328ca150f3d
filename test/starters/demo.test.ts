import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../src/devstack';

const ROOT = resolve(__dirname, '../..');

interface DemoRun {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in stderr (where the demo logs), as soon as it shows. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  done: Promise<{ code: number | null; stdout: string; stderr: string; exitedAt: number }>;
}

/** `npm run demo` without the install step, in a folder of its own with a clean environment (no .env). */
function startDemo(cwd: string, args: string[] = []): DemoRun {
  const child = spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), join(ROOT, 'src/starters/demo.ts'), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of [...waiters]) {
      const m = w.pattern.exec(stderr);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string; exitedAt: number }>((res) =>
    child.on('close', (code) => res({ code, stdout, stderr, exitedAt: performance.now() })),
  );
  return {
    child,
    done,
    waitFor: (pattern) =>
      new Promise((res, rej) => {
        const m = pattern.exec(stderr);
        if (m) return res(m);
        waiters.push({ pattern, resolve: res });
        void done.then(() => rej(new Error(`the demo exited before printing ${pattern}:\n${stderr}`)));
      }),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const SERVER_LINE = /started the Temporal dev server \(pid (\d+)\) on (127\.0\.0\.1:\d+)/;
/** Far above the second or two it takes, far below the five minutes a lost server used to cost. */
const PROMPTLY_MS = 20_000;

describe('npm run demo', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tgpulse-demo-test-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('two demos at once on one machine both succeed, each on its own server and task queue, and leave no tracked file changed', async () => {
    const tracked = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
    const folders = ['a', 'b'].map((name) => mkdtempSync(join(dir, `${name}-`)));
    const demos = folders.map((cwd) => startDemo(cwd));
    const results = await Promise.all(demos.map((d) => d.done));

    results.forEach((r) => expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.any(String) }));
    const servers = results.map((r) => SERVER_LINE.exec(r.stderr)!);
    const queues = results.map((r) => /task queue (tgpulse-demo-[0-9a-f]{8})/.exec(r.stderr)?.[1]);
    expect(servers[0]![2]).not.toBe(servers[1]![2]);
    expect(queues[0]).toBeDefined();
    expect(queues[0]).not.toBe(queues[1]);
    results.forEach((r, i) => {
      expect(r.stdout).toContain('# Build Cohort #7: digest');
      const file = /^Result: (.+\.md)$/m.exec(r.stdout)?.[1];
      expect(file?.startsWith(join(folders[i]!, 'out'))).toBe(true);
      expect(readFileSync(file!, 'utf8')).toContain('## Most active members');
      // It stopped the server it started.
      expect(alive(Number(servers[i]![1]))).toBe(false);
    });
    expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' })).toBe(tracked);
  }, 240_000);

  test('its server dies: it says so and exits within seconds, with nothing left running', async () => {
    const demo = startDemo(dir);
    const [, pid] = await demo.waitFor(SERVER_LINE);
    process.kill(Number(pid), 'SIGKILL');
    const killedAt = performance.now();
    const r = await demo.done;
    expect(r.exitedAt - killedAt).toBeLessThan(PROMPTLY_MS);
    // Which line depends on whether the exit or the refused connection is noticed first; both name the server.
    // (Compared together, so that a failure shows what the demo printed.)
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 1,
      stderr: expect.stringMatching(/^\[demo\] error: (the Temporal dev server the demo started has stopped \(SIGKILL\); its log: \S+temporal\.log|Temporal at 127\.0\.0\.1:\d+ stopped answering; the demo gives up)$/m),
    });
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  test('Ctrl-C stops the dev server it started and exits', async () => {
    const demo = startDemo(dir);
    const [, pid] = await demo.waitFor(SERVER_LINE);
    demo.child.kill('SIGINT');
    const sentAt = performance.now();
    const r = await demo.done;
    expect(r.exitedAt - sentAt).toBeLessThan(PROMPTLY_MS);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/SIGINT: stopping what the demo started/);
    expect(alive(Number(pid))).toBe(false);
  }, 120_000);

  test('pointed at a server that is not there (--temporal), it says so and starts nothing', async () => {
    const port = await freePort();
    const r = await startDemo(dir, ['--temporal', `127.0.0.1:${port}`]).done;
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`no Temporal server answers at 127.0.0.1:${port} (--temporal)`);
    expect(r.stderr).not.toMatch(/started the Temporal dev server/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  }, 60_000);
});
