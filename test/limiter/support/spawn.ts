import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** A running `limiter-process.ts`. */
export interface LimiterProcess<T> {
  /** Resolves once the process is set up and waits for {@link go} (grants mode). */
  ready: Promise<void>;
  /** Tells a waiting process when to start, epoch ms. */
  go(startAt: number): void;
  /** The JSON the process printed last. */
  result: Promise<T>;
}

/** Starts `limiter-process.ts` as a real OS process with `job`. */
export function startLimiterProcess<T>(job: object, timeoutMs = 60_000): LimiterProcess<T> {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(__dirname, 'limiter-process.ts'), JSON.stringify(job)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('ready\n')) onReady();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const result = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`limiter process exited with ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as T);
      } catch (parseErr) {
        reject(new Error(`limiter process printed no JSON: ${out} ${err}`, { cause: parseErr }));
      }
    });
  });
  return { ready, result, go: (startAt) => child.stdin.end(`${startAt}\n`) };
}

/** Runs a process that needs no start signal and returns what it printed. */
export function runLimiterProcess<T>(job: object): Promise<T> {
  const proc = startLimiterProcess<T>(job);
  proc.go(Date.now());
  return proc.result;
}
