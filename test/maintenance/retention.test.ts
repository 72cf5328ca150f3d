import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { applyRetention, type RetentionDeps } from '../../src/activities';
import { BadInputError } from '../../src/domain';
import { formatRetentionReport } from '../../src/starters/cli/commands/retention';
import { LocalArtifactStore } from '../../src/store';

const DAY = 86_400_000;
const NOW = Date.parse('2031-06-01T12:00:00.000Z');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-retention-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a file of `bytes` bytes last modified `ageDays` before NOW. */
function file(path: string, bytes: number, ageDays: number): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'x'.repeat(bytes));
  const at = new Date(NOW - ageDays * DAY);
  utimesSync(path, at, at);
  return path;
}

function setUp(open: string[] = []) {
  const data = join(dir, 'data');
  const out = join(dir, 'out');
  const sessions = join(out, 'sessions');
  const f = {
    oldJob: [file(join(data, 'jobs/summarize-old-1/history/page-000000.jsonl'), 100, 40), file(join(data, 'jobs/summarize-old-1/summary.json'), 50, 39)],
    newJob: file(join(data, 'jobs/summarize-new-2/summary.json'), 70, 1),
    // One file still fresh: the job is kept whole, never half-deleted.
    mixedJob: [file(join(data, 'jobs/summarize-mixed-3/history/page-000000.jsonl'), 30, 60), file(join(data, 'jobs/summarize-mixed-3/summary.json'), 30, 2)],
    openJob: file(join(data, 'jobs/summarize-open-4/history/page-000000.jsonl'), 500, 90),
    cursor: file(join(data, 'chats/alice/123/sync-cursor.json'), 20, 100),
    delivery: file(join(data, 'deliveries/recap-1.json'), 20, 100),
    oldOut: file(join(out, 'cohort-summarize-old-1.md'), 1000, 31),
    newOut: file(join(out, 'cohort-summarize-new-2.md'), 400, 29),
    openOut: file(join(out, 'cohort-summarize-open-4.md'), 10, 50),
    session: file(join(sessions, 'alice.session'), 300, 365),
  };
  const deps: RetentionDeps = { store: new LocalArtifactStore(data), outputDir: out, protectedDirs: [sessions], openRunIds: async () => new Set(open) };
  return { f, deps };
}

describe('retention', () => {
  it('a dry run counts what is old, per kind, and deletes nothing', async () => {
    const { f, deps } = setUp(['summarize-open-4']);
    const report = await applyRetention(deps, { now: NOW, retentionDays: 30, dryRun: true });
    expect(report).toEqual({
      cutoff: '2031-05-02T12:00:00.000Z',
      dryRun: true,
      kinds: [
        { kind: 'job artifacts', files: 2, bytes: 150 },
        { kind: 'output files', files: 1, bytes: 1000 },
      ],
      files: 3,
      bytes: 1150,
      keptOpen: ['summarize-open-4'],
    });
    for (const path of [...f.oldJob, f.newJob, ...f.mixedJob, f.openJob, f.oldOut, f.newOut, f.openOut, f.session]) expect(existsSync(path)).toBe(true);
  });

  it('deletes old job artifacts and output files, keeps new ones, open runs, sessions, cursors and delivery records', async () => {
    const { f, deps } = setUp(['summarize-open-4']);
    const report = await applyRetention(deps, { now: NOW, retentionDays: 30, dryRun: false });
    expect(report).toMatchObject({ dryRun: false, files: 3, bytes: 1150 });
    for (const gone of [...f.oldJob, f.oldOut]) expect(existsSync(gone)).toBe(false);
    expect(existsSync(join(dir, 'data/jobs/summarize-old-1'))).toBe(false);
    for (const kept of [f.newJob, ...f.mixedJob, f.openJob, f.newOut, f.openOut, f.session, f.cursor, f.delivery]) expect(existsSync(kept)).toBe(true);
    // Run again: nothing left to delete.
    expect((await applyRetention(deps, { now: NOW, retentionDays: 30, dryRun: false })).files).toBe(0);
  });

  it('deletes an open run’s data once the run has closed', async () => {
    const { f, deps } = setUp([]);
    const report = await applyRetention(deps, { now: NOW, retentionDays: 30, dryRun: false });
    expect(report.keptOpen).toEqual([]);
    expect(report.kinds).toEqual([
      { kind: 'job artifacts', files: 3, bytes: 650 },
      { kind: 'output files', files: 2, bytes: 1010 },
    ]);
    expect(existsSync(f.openJob)).toBe(false);
    expect(existsSync(f.session)).toBe(true);
  });

  it('measures ages from the clock it is given, not the host’s', async () => {
    const { f, deps } = setUp([]);
    // 100 days earlier, nothing is old yet (the files' times are in its future).
    const report = await applyRetention(deps, { now: NOW - 100 * DAY, retentionDays: 30, dryRun: false });
    expect(report.files).toBe(0);
    expect(existsSync(f.oldJob[0]!)).toBe(true);
  });

  it('refuses a retention period that is not a whole number of days', async () => {
    const { deps } = setUp([]);
    await expect(applyRetention(deps, { now: NOW, retentionDays: 0, dryRun: true })).rejects.toThrow(BadInputError);
    await expect(applyRetention(deps, { now: NOW, retentionDays: 1.5, dryRun: true })).rejects.toThrow(/RETENTION_DAYS is 1.5/);
  });
});

describe('tgpulse retention run output', () => {
  it('prints the counts per kind before saying what was deleted', async () => {
    const { deps } = setUp(['summarize-open-4']);
    const dry = formatRetentionReport(await applyRetention(deps, { now: NOW, retentionDays: 30, dryRun: true }));
    expect(dry).toBe(
      [
        'older than 2031-05-02T12:00:00.000Z (dry run):',
        '  job artifacts  2 file(s)   150 B',
        '  output files   1 file(s)  1.0 kB',
        '  total          3 file(s)  1.1 kB',
        'kept, their run is still open: summarize-open-4',
        'dry run: nothing was deleted',
        '',
      ].join('\n'),
    );
    const done = formatRetentionReport(await applyRetention(deps, { now: NOW, retentionDays: 30, dryRun: false }));
    expect(done.trim().split('\n').at(-1)).toBe('deleted 3 file(s), 1.1 kB');
    expect(formatRetentionReport(await applyRetention(deps, { now: NOW, retentionDays: 30, dryRun: false })).trim().split('\n').at(-1)).toBe('nothing to delete');
  });
});
