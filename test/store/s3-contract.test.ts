import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BadInputError } from '../../src/domain';
import { LocalArtifactStore, S3ArtifactStore, readHistory, writeHistoryPage, type ArtifactStore } from '../../src/store';
import { msg } from '../support/messages';
import { useS3Server } from '../support/s3-server';

// The same contract, word for word, for the local folder and for a real S3-compatible server (SeaweedFS): what an
// activity on one host writes, an activity on another reads back the same.

const BUCKET = 'tgpulse-contract';
const rig = useS3Server('tgpulse-s3-contract-', BUCKET);

const kinds: Array<[string, () => ArtifactStore]> = [
  ['local', () => new LocalArtifactStore(mkdtempSync(join(rig.dir, 'local-')))],
  [
    's3',
    () => {
      // A prefix of its own per test: tests share the bucket, not their keys.
      return rig.track(new S3ArtifactStore(rig.server.settings(BUCKET, { prefix: `t-${randomBytes(4).toString('hex')}` })));
    },
  ],
];

describe.each(kinds)('%s artifact store', (_kind, open) => {
  let store: ArtifactStore;
  beforeEach(() => {
    store = open();
  });

  test('passes its start-up check', async () => {
    await expect(store.check()).resolves.toBeUndefined();
    expect(await store.exists('.tgpulse-probe')).toBe(false);
  });

  test('reads back exactly what was written, text and bytes; writing a key again replaces it whole', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 255, 13, 10, 26, 10]);
    expect(await store.put('cohorts/1/recaps/2026-W46/recap.png', png)).toEqual({ key: 'cohorts/1/recaps/2026-W46/recap.png', bytes: 10 });
    expect([...(await store.get('cohorts/1/recaps/2026-W46/recap.png'))]).toEqual([...png]);
    await store.put('jobs/a/summary.json', 'first version, longer — with “quotes” and 🎉');
    const ref = await store.put('jobs/a/summary.json', 'second — é');
    expect(ref).toEqual({ key: 'jobs/a/summary.json', bytes: Buffer.byteLength('second — é') });
    expect((await store.get('jobs/a/summary.json')).toString('utf8')).toBe('second — é');
    expect(await store.list('jobs/a')).toEqual(['jobs/a/summary.json']);
  });

  test('a key never written: tryGet is null, exists is false, get fails', async () => {
    expect(await store.tryGet('jobs/none/checkpoint.json')).toBeNull();
    expect(await store.exists('jobs/none/checkpoint.json')).toBe(false);
    await expect(store.get('jobs/none/checkpoint.json')).rejects.toThrow();
    await store.put('jobs/none/checkpoint.json', '{}');
    expect(await store.exists('jobs/none/checkpoint.json')).toBe(true);
  });

  test('list is sorted, takes whole folders only, and is empty for an unknown prefix', async () => {
    for (const k of ['jobs/a/p/2', 'jobs/a/p/10', 'jobs/a/p/1', 'jobs/a/q/1', 'jobs/ab/p/1', 'jobs/b/p/1']) await store.put(k, 'x');
    expect(await store.list('jobs/a')).toEqual(['jobs/a/p/1', 'jobs/a/p/10', 'jobs/a/p/2', 'jobs/a/q/1']);
    expect(await store.list('jobs/a/')).toEqual(['jobs/a/p/1', 'jobs/a/p/10', 'jobs/a/p/2', 'jobs/a/q/1']);
    expect(await store.list('jobs/a/p')).toEqual(['jobs/a/p/1', 'jobs/a/p/10', 'jobs/a/p/2']);
    expect(await store.list('jobs/zzz')).toEqual([]);
  });

  test('remove takes a key or a whole prefix, and removing what is not there is no error', async () => {
    for (const k of ['jobs/a/p/1', 'jobs/a/p/2', 'jobs/a/x', 'jobs/ab/p/1']) await store.put(k, 'x');
    await store.remove('jobs/a/x');
    expect(await store.list('jobs/a')).toEqual(['jobs/a/p/1', 'jobs/a/p/2']);
    await store.remove('jobs/a');
    expect(await store.list('jobs/a')).toEqual([]);
    expect(await store.tryGet('jobs/a/p/1')).toBeNull();
    expect(await store.exists('jobs/ab/p/1')).toBe(true);
    await expect(store.remove('jobs/never')).resolves.toBeUndefined();
  });

  test('more keys than one listing page (1,000) are all listed', async () => {
    const keys = Array.from({ length: 1005 }, (_, i) => `jobs/many/k-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => store.put(k, 'x')));
    expect(await store.list('jobs/many')).toEqual(keys);
  }, 120_000);

  test.each(['../etc/passwd', '/abs', 'a//b', 'a/../b', 'spaces are bad', ''])('key %j is refused before anything is written', async (key) => {
    await expect(store.put(key, 'x')).rejects.toThrow(BadInputError);
    await expect(store.tryGet(key)).rejects.toThrow(BadInputError);
  });

  test('history pages read back in order, and a page written twice is there once', async () => {
    await writeHistoryPage(store, 'jobs/j/history', 0, [msg(1, 'user1', 'hello'), msg(2, 'user2', 'привет 👋')]);
    await writeHistoryPage(store, 'jobs/j/history', 0, [msg(1, 'user1', 'hello'), msg(2, 'user2', 'привет 👋')]);
    await writeHistoryPage(store, 'jobs/j/history', 1, [msg(3, 'user1', 'c')]);
    const texts: string[] = [];
    for await (const m of readHistory(store, { prefix: 'jobs/j/history', pages: 2, messages: 3 })) texts.push(`${m.id}:${m.text}`);
    expect(texts).toEqual(['1:hello', '2:привет 👋', '3:c']);
  });

  test('copyToFile writes the bytes to a file on this host and leaves no temporary file beside it', async () => {
    const out = mkdtempSync(join(rig.dir, 'out-'));
    await store.put('cohorts/1/recaps/w/recap.md', '# Recap\n\nline');
    await store.copyToFile('cohorts/1/recaps/w/recap.md', join(out, 'recap.md'));
    expect(readFileSync(join(out, 'recap.md'), 'utf8')).toBe('# Recap\n\nline');
    expect(readdirSync(out)).toEqual(['recap.md']);
    await expect(store.copyToFile('cohorts/1/none.md', join(out, 'none.md'))).rejects.toThrow();
    expect(readdirSync(out)).toEqual(['recap.md']);
  });
});

test('two S3 stores with different prefixes in one bucket never see each other\'s keys', async () => {
  const a = rig.track(new S3ArtifactStore(rig.server.settings(BUCKET, { prefix: 'deploy-a' })));
  const b = rig.track(new S3ArtifactStore(rig.server.settings(BUCKET, { prefix: 'deploy-b/' })));
  await a.put('jobs/x/summary.json', 'from a');
  expect(await b.tryGet('jobs/x/summary.json')).toBeNull();
  expect(await b.list('jobs')).toEqual([]);
  expect(await a.list('jobs')).toEqual(['jobs/x/summary.json']);
  expect(a.locationOf('jobs/x/summary.json')).toBe(`s3://${BUCKET}/deploy-a/jobs/x/summary.json`);
});
