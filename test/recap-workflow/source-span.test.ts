import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivityDeps } from '../../src/activities';
import { createRecapActivities } from '../../src/activities/recap';
import type { HistorySource, JobSource } from '../../src/domain';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { SAMPLE } from './sample-facts';

/** The activity that reads what an export holds, on real files: remembered per file version, refused when broken. */
describe('recapSourceSpan', () => {
  let dir: string;
  let opened: number;
  let acts: ReturnType<typeof createRecapActivities>;
  const counting = async (source: JobSource): Promise<HistorySource> => {
    opened++;
    return openJobSource(source);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-span-'));
    opened = 0;
    acts = createRecapActivities({ store: new LocalArtifactStore(join(dir, 'data')), openSource: counting, llm: null } as unknown as ActivityDeps);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("an export's first and last message, read once per version of the file", async () => {
    const path = join(dir, 'result.json');
    const raw = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { messages: { date_unixtime?: string }[] };
    writeFileSync(path, JSON.stringify(raw));
    const span = await acts.recapSourceSpan({ source: { kind: 'export', path } });
    expect(span).toEqual({ first: '2026-11-02T07:36:12.000Z', last: '2026-11-15T19:02:24.000Z' });
    await acts.recapSourceSpan({ source: { kind: 'export', path: dir } }); // the folder stands for its result.json
    expect(await acts.recapSourceSpan({ source: { kind: 'export', path } })).toEqual(span);
    expect(opened).toBe(1);

    // A newer export written over the old one: read again.
    raw.messages = raw.messages.slice(0, 100);
    writeFileSync(path, JSON.stringify(raw));
    const shorter = await acts.recapSourceSpan({ source: { kind: 'export', path } });
    expect(opened).toBe(2);
    expect(shorter.first).toBe(span.first);
    expect(Date.parse(shorter.last!)).toBeLessThan(Date.parse(span.last!));
  });

  test('a live chat is not read: it holds everything up to now', async () => {
    expect(await acts.recapSourceSpan({ source: { kind: 'telegram', account: 'default', chat: '@cohort' } })).toEqual({ first: null, last: null });
    expect(opened).toBe(0);
  });

  test('a truncated export is refused with where it breaks, and nothing is remembered for it', async () => {
    const path = join(dir, 'result.json');
    const text = readFileSync(SAMPLE, 'utf8');
    writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
    await expect(acts.recapSourceSpan({ source: { kind: 'export', path } })).rejects.toThrow(/truncated|byte/i);
    writeFileSync(path, text);
    expect((await acts.recapSourceSpan({ source: { kind: 'export', path } })).first).toBe('2026-11-02T07:36:12.000Z');
  });
});
