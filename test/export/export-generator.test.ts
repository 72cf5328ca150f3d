import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openExport, type RawExportMessage } from '../../src/export';
import { writeExport } from '../support/export-generator';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tgpulse-gen-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The plain text of an export message, computed straight from JSON.parse (independently of the parser). */
function plainText(m: RawExportMessage): string {
  if (typeof m.text === 'string') return m.text;
  return (m.text as Array<string | { text: string }>).map((p) => (typeof p === 'string' ? p : p.text)).join('');
}

describe('the export generator', () => {
  test('writes the same bytes for the same seed, other bytes for another', async () => {
    const a = join(tmp, 'a.json');
    const b = join(tmp, 'b.json');
    const c = join(tmp, 'c.json');
    await writeExport(a, { messages: 500, seed: 5 });
    await writeExport(b, { messages: 500, seed: 5 });
    await writeExport(c, { messages: 500, seed: 6 });
    expect(sha(a)).toBe(sha(b));
    expect(sha(a)).not.toBe(sha(c));
  });

  test('writes a chat export with the requested chat and every variant the parser must handle', async () => {
    const path = join(tmp, 'variants.json');
    const written = await writeExport(path, { messages: 3000, seed: 9, chatName: 'Test group', chatId: 42, type: 'public_supergroup', start: new Date('2025-01-01T00:00:00Z') });
    expect(written.bytes).toBe(statSync(path).size);
    const root = JSON.parse(readFileSync(path, 'utf8')) as { name: string; type: string; id: number; messages: RawExportMessage[] };
    expect(root).toMatchObject({ name: 'Test group', type: 'public_supergroup', id: 42 });
    const ms = root.messages;
    expect(ms).toHaveLength(3000);
    expect(Number(ms[0]!.date_unixtime) * 1000).toBeGreaterThan(Date.parse('2025-01-01T00:00:00Z'));
    const has = (f: (m: RawExportMessage) => boolean) => ms.some(f);
    expect(has((m) => Array.isArray(m.text))).toBe(true);
    expect(has((m) => Array.isArray(m.reactions) && m.reactions.some((r: { type: string }) => r.type === 'custom_emoji'))).toBe(true);
    expect(has((m) => m.type === 'service' && m.action === 'join_group_by_link')).toBe(true);
    expect(has((m) => m.type === 'unsupported')).toBe(true);
    expect(has((m) => m.reply_to_message_id !== undefined)).toBe(true);
    expect(has((m) => m.from === null)).toBe(true);
    expect(has((m) => m.media_type === 'sticker')).toBe(true);
    expect(has((m) => /[^\u0000-\u007f]/.test(plainText(m)))).toBe(true);
    // Ids grow, with gaps where messages were deleted.
    const ids = ms.map((m) => m.id as number);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(written.lastId).toBeGreaterThan(3000);
    // Slashes escaped like the app writes them.
    expect(readFileSync(path, 'utf8')).toContain('photos\\/photo_');
  });

  test('its exports read back through the parser exactly, across many 1 MiB chunk boundaries', async () => {
    const path = join(tmp, 'large.json');
    await writeExport(path, { messages: 12_000, seed: 2 });
    expect(statSync(path).size).toBeGreaterThan(6 << 20);
    const expected = (JSON.parse(readFileSync(path, 'utf8')) as { messages: RawExportMessage[] }).messages.filter((m) => m.type !== 'unsupported');
    const source = await openExport(path);
    let k = 0;
    const mismatches: string[] = [];
    for await (const m of source.messages()) {
      const want = expected[k++]!;
      if (m.id !== want.id || m.text !== plainText(want) || m.date !== new Date(Number(want.date_unixtime) * 1000).toISOString()) {
        mismatches.push(`${m.id}: ${JSON.stringify(m.text)} vs ${JSON.stringify(plainText(want))}`);
      }
    }
    expect(k).toBe(expected.length);
    expect(mismatches).toEqual([]);
  });
});
