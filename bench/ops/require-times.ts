/**
 * A preload that prints, as the process exits, how long each package took to load the first time one of our files
 * required it (its whole tree, inclusive), slowest first: what an entry point pays at start for each import.
 *
 *   node -r tsx/cjs -r ./bench/ops/require-times.ts bin/tgpulse.js --help > /dev/null
 *
 * Packages load one inside the other only through our files, so the rows add up to about the time spent loading
 * packages; our own files (compiled by tsx) are not counted.
 */
import Module from 'node:module';

type Load = (request: string, parent: NodeJS.Module | undefined, isMain: boolean) => unknown;
const internals = Module as unknown as { _load: Load };
const load = internals._load;
const seen = new Map<string, { ms: number; from: string }>();

internals._load = function (this: unknown, request, parent, isMain) {
  const fromOurs = parent?.filename !== undefined && !parent.filename.includes('/node_modules/');
  const isPackage = !request.startsWith('.') && !request.startsWith('/') && !request.startsWith('node:');
  if (!fromOurs || !isPackage || seen.has(request)) return load.call(this, request, parent, isMain);
  const t0 = performance.now();
  try {
    return load.call(this, request, parent, isMain);
  } finally {
    if (!seen.has(request)) seen.set(request, { ms: performance.now() - t0, from: parent!.filename.replace(`${process.cwd()}/`, '') });
  }
};

process.on('exit', () => {
  const rows = [...seen].sort((a, b) => b[1].ms - a[1].ms);
  for (const [name, { ms, from }] of rows) if (ms >= 1) process.stderr.write(`${ms.toFixed(0).padStart(6)} ms  ${name}  (first from ${from})\n`);
  process.stderr.write(`${Object.keys(require.cache).length} modules loaded\n`);
});
