import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BadInputError, type ChatMessage } from '../../src/domain';
import { ExportFormatError, openExport } from '../../src/export';
import { LocalArtifactStore, writeHistoryPage } from '../../src/store';

const FIXTURES = resolve(__dirname, '../fixtures/export');
const CHAT = readFileSync(join(FIXTURES, 'chat.json'));

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tgpulse-broken-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, bytes: Buffer | string): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

async function failure(path: string, chat?: string): Promise<ExportFormatError> {
  const err: unknown = await openExport(path, { chat }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ExportFormatError)) throw new Error(`expected an ExportFormatError for ${path}, got ${String(err)}`);
  return err;
}

/**
 * What an extraction does with a source: pages of messages written as they come. Used to show that a broken
 * file leaves nothing behind.
 */
async function ingest(path: string, store: LocalArtifactStore): Promise<number> {
  const source = await openExport(path);
  let page: ChatMessage[] = [];
  let pages = 0;
  for await (const m of source.messages()) {
    page.push(m);
    if (page.length === 2) {
      await writeHistoryPage(store, 'history', pages++, page);
      page = [];
    }
  }
  if (page.length > 0) await writeHistoryPage(store, 'history', pages++, page);
  return pages;
}

describe('a truncated export', () => {
  test('says where it ends, in which message, and what was expected', async () => {
    const path = join(FIXTURES, 'truncated.json');
    const err = await failure(path);
    const size = readFileSync(path).length;
    expect(err).toBeInstanceOf(BadInputError);
    expect(err).toMatchObject({ truncated: true, byteOffset: size, messageIndex: 7, jsonPath: 'messages[7]', expected: 'the rest of a string and its closing `"`' });
    expect(err.message).toBe(
      `${path} is truncated at byte ${size}, in message #7 (messages[7]): expected the rest of a string and its closing \`"\`. ` +
        'The file is incomplete (an interrupted export, download or copy): export the chat again from Telegram Desktop (format: Machine-readable JSON) and wait for it to finish',
    );
  });

  test('is refused wherever it was cut, with the cut as the offset', async () => {
    // The closing brace is the last byte before the final newline: any shorter file is incomplete.
    const end = CHAT.lastIndexOf('}') + 1;
    const cuts = new Set<number>([1, 2, 3, end - 1, end - 2, end - 3]);
    for (let cut = 5; cut < end; cut += 97) cuts.add(cut);
    for (const cut of cuts) {
      const err = await failure(write(`cut-${cut}.json`, CHAT.subarray(0, cut)));
      expect({ cut, truncated: err.truncated, byteOffset: err.byteOffset }).toEqual({ cut, truncated: true, byteOffset: cut });
    }
    expect((await failure(write('cut-end.json', CHAT.subarray(0, end - 2)))).expected).toBe('`,` or `}`');
    expect((await failure(write('cut-end.json', CHAT.subarray(0, end - 3)))).expected).toBe('`,` or `]`');
  });

  test('zero-filled at the end (an interrupted copy) is explained', async () => {
    const cut = CHAT.indexOf('"id": 9,');
    const err = await failure(write('zeros.json', Buffer.concat([CHAT.subarray(0, cut), Buffer.alloc(4096)])));
    expect(err).toMatchObject({ truncated: false, byteOffset: cut, messageIndex: 10, found: 'a NUL byte (the end of the file may have been zero-filled)' });
  });

  test('an account export broken in a chat that was not asked for is refused too', async () => {
    const account = readFileSync(join(FIXTURES, 'account.json'));
    const cut = account.indexOf('"other_data"');
    const err = await failure(write('account-cut.json', account.subarray(0, cut + 30)), 'Cohort 5');
    expect(err).toMatchObject({ truncated: true, byteOffset: cut + 30, messageIndex: undefined, jsonPath: 'other_data' });
  });
});

describe('a malformed export', () => {
  test('says the byte, the message and what was expected there', async () => {
    const path = join(FIXTURES, 'malformed.json');
    const bytes = readFileSync(path);
    // The comma after `"from": null` is missing: the next key's quote is where a `,` or `}` should be.
    const at = bytes.indexOf('"from_id": "user444"');
    const err = await failure(path);
    expect(err).toMatchObject({ truncated: false, byteOffset: at, messageIndex: 6, jsonPath: 'messages[6]', expected: '`,` or `}`', found: '`"`' });
    expect(err.message).toMatch(new RegExp(`malformed.json is malformed at byte ${at}, in message #6 \\(messages\\[6\\]\\): expected \`,\` or \`}\`, found \`"\`\\. The file was damaged or edited`));
  });

  test('between messages, and in the structure around them', async () => {
    const missingComma = CHAT.toString().replace(/\n  },\n  \{\n   "id": 4,/, '\n  }\n  {\n   "id": 4,');
    const text = Buffer.from(missingComma);
    const err = await failure(write('between.json', text));
    expect(err).toMatchObject({ byteOffset: text.indexOf('{\n   "id": 4,'), expected: '`,` or `]`', found: '`{`', jsonPath: 'messages' });

    const notObject = CHAT.toString().replace(/\{\n   "id": 4,[^]*?\n  \},/, '42,');
    const e2 = await failure(write('not-object.json', notObject));
    expect(e2).toMatchObject({ messageIndex: 5, expected: 'a message object `{`', found: '`4`' });
  });

  test('a message without a usable id or date is named by index', async () => {
    const noId = CHAT.toString().replace('"id": 5,', '"id": "five",');
    const err = await openExport(write('no-id.json', noId)).then(async (source) => {
      for await (const _ of source.messages()) void _;
    }, (e: unknown) => e).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportFormatError);
    expect(err).toMatchObject({ messageIndex: 6, byteOffset: Buffer.from(noId).indexOf('{\n   "id": "five"'), expected: 'a numeric `id`', found: '"five"' });

    const noDate = CHAT.toString().replace('"date": "2024-06-01T09:04:00",\n   "date_unixtime": "1717232640",', '"date": "soon",');
    const e2: unknown = await openExport(write('no-date.json', noDate)).then(async (source) => {
      for await (const _ of source.messages()) void _;
    }).catch((e: unknown) => e);
    expect(e2).toMatchObject({ messageIndex: 6, expected: '`date_unixtime` (seconds) or `date` (like 2024-01-31T12:00:00)', found: '"soon"' });
  });
});

describe('nothing is written half-way', () => {
  test('a file damaged near its end is refused before a single message comes out', async () => {
    const store = new LocalArtifactStore(join(tmp, 'store-damaged'));
    // Damage the very last message: a reader that parsed as it went would have handed out all others by then.
    const lastAt = CHAT.lastIndexOf('"media_type"');
    const damaged = Buffer.concat([CHAT.subarray(0, lastAt), Buffer.from('"media_type" "video_file",'), CHAT.subarray(CHAT.indexOf(',', lastAt) + 1)]);
    await expect(ingest(write('damaged-late.json', damaged), store)).rejects.toThrow(ExportFormatError);
    await expect(ingest(join(FIXTURES, 'truncated.json'), store)).rejects.toThrow(/is truncated at byte/);
    expect(readdirSync(tmp).includes('store-damaged') ? readdirSync(join(tmp, 'store-damaged'), { recursive: true }) : []).toEqual([]);
  });

  test('an export still being written is refused when it changed after it was opened', async () => {
    const path = write('growing.json', CHAT);
    const source = await openExport(path);
    writeFileSync(path, Buffer.concat([CHAT, Buffer.from('\n')]));
    const got: number[] = [];
    const err = await (async () => {
      for await (const m of source.messages()) got.push(m.id);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/growing\.json changed since it was opened \(\d+ → \d+ bytes\)\. Wait until the export or copy has finished/);
    expect(got).toEqual([]);
  });

  test('a sound file written the same way stores every message', async () => {
    const store = new LocalArtifactStore(join(tmp, 'store-ok'));
    expect(await ingest(join(FIXTURES, 'chat.json'), store)).toBe(9);
  });
});
