import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { deliverToFiles, fileStem, slug } from '../../src/deliver';
import type { ChatInfo, Summary } from '../../src/domain';

const LONG_TITLE = 'Build Cohort #7 — Founders, Makers and Indie Hackers of the Greater Berlin Area (Winter Edition 2026)';
const chat: ChatInfo = { id: 2291847365, title: LONG_TITLE, type: 'private_supergroup' };
const summary = (title: string): Summary => ({ title, sections: [{ heading: 'H', points: [{ text: 'x', messageIds: [4] }] }], stats: { messages: 1, participants: 1 }, model: 'digest' });

describe('output file names', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tgpulse-files-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('two runs of one long-titled chat with long run ids write two sets of files; neither overwrites the other', async () => {
    // Run ids as `tgpulse summarize` makes them: the (cut) label, then a random suffix that alone tells them apart.
    const first = `summarize-${slug(LONG_TITLE)}-3f9a1c2e`;
    const second = `summarize-${slug(LONG_TITLE)}-b7d04e91`;
    const a = await deliverToFiles({ dir, jobId: first, chat, summary: summary('first run') });
    const b = await deliverToFiles({ dir, jobId: second, chat, summary: summary('second run') });

    expect(readdirSync(dir).sort()).toHaveLength(4);
    expect(a[0]).not.toBe(b[0]);
    expect(basename(a[0]!)).toMatch(/3f9a1c2e\.md$/);
    expect(basename(b[0]!)).toMatch(/b7d04e91\.md$/);
    expect(readFileSync(a[0]!, 'utf8')).toContain('# first run');
    expect(readFileSync(b[0]!, 'utf8')).toContain('# second run');
  });

  test('delivering the same run again (a retry) replaces its files', async () => {
    const id = 'summarize-build-cohort-7-3f9a1c2e';
    await deliverToFiles({ dir, jobId: id, chat, summary: summary('try 1') });
    const again = await deliverToFiles({ dir, jobId: id, chat, summary: summary('try 2') });
    expect(readdirSync(dir)).toHaveLength(2);
    expect(readFileSync(again[0]!, 'utf8')).toContain('# try 2');
  });

  test('the title is cut, the run id never; a run id too long for a file name keeps its unique end', () => {
    const stem = fileStem(LONG_TITLE, 'summarize-build-cohort-7-3f9a1c2e');
    expect(stem).toBe('build-cohort-7-founders-makers-and-indie-summarize-build-cohort-7-3f9a1c2e');
    const huge = `userbot-${'x'.repeat(400)}-deadbeef`;
    const cut = fileStem(LONG_TITLE, huge);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toMatch(/-deadbeef$/);
    expect(fileStem(LONG_TITLE, `${huge.slice(0, -8)}0badf00d`)).not.toBe(cut);
  });

  test('a title with no Latin letters still gives a name, and a cut never leaves a dangling dash', () => {
    expect(fileStem('Когорта строителей', 'summarize-chat-3f9a1c2e')).toBe('chat-summarize-chat-3f9a1c2e');
    expect(slug('abc def', 4)).toBe('abc');
  });
});
