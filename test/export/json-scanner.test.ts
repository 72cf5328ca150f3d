import { JsonScanError, JsonScanner, ScanAction, type JsonPath } from '../../src/export';

/** Scans `doc` fed in pieces of `chunk` bytes, capturing the elements of the top-level `items` array. */
function captureItems(doc: Buffer, chunk: number, trusted = false): { values: unknown[]; offsets: number[]; keys: string[] } {
  const values: unknown[] = [];
  const offsets: number[] = [];
  const keys: string[] = [];
  const scanner = new JsonScanner(
    {
      enter: (path: JsonPath) => {
        if (path.length === 1) keys.push(path[0] as string);
        if (path.length === 0 || (path.length === 1 && path[0] === 'items')) return ScanAction.descend;
        return path.length === 2 && path[0] === 'items' ? ScanAction.capture : ScanAction.skip;
      },
      capture: (json, offset) => {
        values.push(JSON.parse(json));
        offsets.push(offset);
      },
      leave: () => {},
    },
    { trusted },
  );
  for (let o = 0; o < doc.length; o += chunk) scanner.write(doc.subarray(o, o + chunk));
  scanner.end();
  return { values, offsets, keys };
}

function scanError(text: string): JsonScanError {
  const scanner = new JsonScanner({ enter: () => ScanAction.descend, capture: () => {}, leave: () => {} });
  try {
    scanner.write(Buffer.from(text));
    scanner.end();
  } catch (err) {
    if (err instanceof JsonScanError) return err;
    throw err;
  }
  throw new Error(`no error for ${text}`);
}

/** Deterministic pseudo-random numbers for the mutation test. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ITEMS = [
  { id: 1, text: 'Привет, мир 👋 — ünïcödé', tags: ['a', 'b'] },
  { id: -2.5e3, text: 'quote " backslash \\ slash / tab \t newline \n nul-ish \u0001', nested: { deep: [[], {}, [1, [2, [3]]]] } },
  { id: 3, text: '🧪🧪🧪 four-byte characters back to back', ok: true, no: false, none: null },
  { id: 0, text: '', exp: 1.25e-7, big: 12345678901234 },
];
// Slashes escaped as Telegram Desktop writes them, and a key that needs unescaping.
const DOC = Buffer.from(JSON.stringify({ 'na\u00efve "key"': 1, items: ITEMS, after: 'x' }, null, 1).replace(/\//g, '\\/'));

describe('JsonScanner', () => {
  test.each([false, true])('captures values exactly as JSON.parse reads them, whatever the chunk size (trusted: %s)', (trusted) => {
    // Every chunk size from 1 byte splits multi-byte characters, escapes and keys at every possible place.
    for (let chunk = 1; chunk <= 64; chunk++) {
      const { values, offsets, keys } = captureItems(DOC, chunk, trusted);
      expect(values).toEqual(ITEMS);
      expect(keys).toEqual(['naïve "key"', 'items', 'after']);
      for (const offset of offsets) expect(DOC[offset]).toBe(0x7b);
    }
  });

  test('leaves an omitted key out of captured objects, keeping valid JSON whatever surrounds it', () => {
    const items = [
      { id: 1, text: 'a', text_entities: [{ type: 'plain', text: 'a' }] },
      { id: 2, text_entities: [], text: 'b' },
      { id: 3, text: 'text_entities', nested: { text_entities: 'kept: not at the top of the item' } },
      { id: 4, text: ['x', { type: 'link', text: 'https://e.com/"q"' }], text_entities: [{ type: 'link', text: 'https://e.com/"q"' }], reactions: [] },
    ];
    const doc = Buffer.from(JSON.stringify({ items }, null, 1));
    const withoutKey = items.map(({ text_entities: _drop, ...rest }) => rest);
    for (const chunk of [doc.length, 1, 7, 50]) {
      const texts: string[] = [];
      const scanner = new JsonScanner(
        {
          enter: (path) => (path.length < 2 ? ScanAction.descend : ScanAction.capture),
          capture: (json) => texts.push(json),
          leave: () => {},
        },
        { trusted: true, omitKey: 'text_entities' },
      );
      for (let o = 0; o < doc.length; o += chunk) scanner.write(doc.subarray(o, o + chunk));
      scanner.end();
      const parsed = texts.map((t) => JSON.parse(t) as Record<string, unknown>);
      // Objects split across chunks may keep the key; the rest of each object is always intact.
      expect(parsed.map(({ text_entities: _drop, ...rest }) => rest)).toEqual(withoutKey);
      if (chunk === doc.length) {
        expect(parsed.map((p) => 'text_entities' in p)).toEqual([false, false, false, false]);
        expect(parsed[2]).toEqual(items[2]);
      }
    }
  });

  test.each([
    ['{"a":1,}', 7, 'a key in double quotes', '`}`'],
    ['{"a" 1}', 5, '`:`', '`1`'],
    ['[1 2]', 3, '`,` or `]`', '`2`'],
    ['{"a":[1,2}', 9, '`,` or `]`', '`}`'],
    ['{"a":tru}', 8, '`true`', '`}`'],
    ['{"a":"\\q"}', 7, 'an escape: one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX', '`q`'],
    ['{"a":"\\u12G4"}', 10, 'a hex digit of a \\uXXXX escape', '`G`'],
    ['{"a":"x\u0001"}', 7, 'a character or an escape (raw control characters are not allowed in a string)', 'byte 0x01'],
    ['{"a":01}', 6, '`,` or `}`', '`1`'],
    ['{"a":-}', 6, 'a digit', '`}`'],
    ['{"a":1.}', 7, 'a digit after the decimal point', '`}`'],
    ['{"a":1e}', 7, 'a digit or sign of an exponent', '`}`'],
    ['{} {}', 3, 'the end of the file (the JSON document is complete)', '`{`'],
    ["{'a':1}", 1, 'a key in double quotes or `}`', "`'`"],
    ['{"a":1\u0000\u0000', 6, '`,` or `}`', 'a NUL byte (the end of the file may have been zero-filled)'],
  ])('%j is refused at byte %i: expected %s, found %s', (text, offset, expected, found) => {
    const err = scanError(text);
    expect(err).toMatchObject({ offset, expected, found, truncated: false });
  });

  test.each([
    ['', 0, 'a JSON document (the file is empty)'],
    ['{"a":[1,2', 9, '`,` or `]`'],
    ['{"a":"unfinished', 16, 'the rest of a string and its closing `"`'],
    ['{"a":', 5, 'a value'],
    ['{"a"', 4, '`:`'],
    ['{"a":nu', 7, 'the rest of `null`'],
  ])('%j is truncated at byte %i: expected %s', (text, offset, expected) => {
    expect(scanError(text)).toMatchObject({ offset, expected, found: undefined, truncated: true });
  });

  test('an error inside a skipped value names the path of that value', () => {
    const scanner = new JsonScanner({ enter: (path) => (path.length < 5 ? ScanAction.descend : ScanAction.skip), capture: () => {}, leave: () => {} });
    const text = '{"chats":{"list":[{"messages":[{"id":1},{"id":2,,}]}]}}';
    expect(() => scanner.write(Buffer.from(text))).toThrow(
      expect.objectContaining({ path: ['chats', 'list', 0, 'messages', 1], offset: text.indexOf(',,') + 1, expected: 'a key in double quotes' }),
    );
  });

  test('accepts exactly what JSON.parse accepts, on thousands of randomly damaged documents', () => {
    const rnd = prng(7);
    const base = JSON.stringify({ items: [{ a: [1, -2.5, 3e4, true, false, null], s: 'x\\"y\\n', o: {} }, 'str', 0] }, null, 1);
    const alphabet = '{}[]":,.-+eE0123456789 \n\\tfrnul"x';
    let refused = 0;
    for (let k = 0; k < 3000; k++) {
      let doc = base;
      for (let edits = 1 + Math.floor(rnd() * 2); edits > 0; edits--) {
        const at = Math.floor(rnd() * doc.length);
        const op = rnd();
        const ch = alphabet[Math.floor(rnd() * alphabet.length)]!;
        doc = op < 0.4 ? doc.slice(0, at) + doc.slice(at + 1) : op < 0.7 ? doc.slice(0, at) + ch + doc.slice(at) : doc.slice(0, at) + ch + doc.slice(at + 1);
      }
      let valid = true;
      try {
        JSON.parse(doc);
      } catch {
        valid = false;
        refused++;
      }
      let accepted = true;
      try {
        const scanner = new JsonScanner({ enter: () => ScanAction.descend, capture: () => {}, leave: () => {} });
        scanner.write(Buffer.from(doc));
        scanner.end();
      } catch (err) {
        if (!(err instanceof JsonScanError)) throw err;
        accepted = false;
      }
      if (accepted !== valid) throw new Error(`scanner ${accepted ? 'accepted' : 'refused'} ${JSON.stringify(doc)}`);
    }
    // The damage is real: most documents are broken, some survive.
    expect(refused).toBeGreaterThan(1500);
    expect(refused).toBeLessThan(3000);
  });

  test('stop() ends the scan: the rest of the input is not looked at', () => {
    const seen: unknown[] = [];
    const scanner: JsonScanner = new JsonScanner({
      enter: (path) => (path.length < 2 ? ScanAction.descend : ScanAction.capture),
      capture: (json) => {
        seen.push(JSON.parse(json));
        if (seen.length === 2) scanner.stop();
      },
      leave: () => {},
    });
    scanner.write(Buffer.from('{"items":[1,2,3, this is not JSON'));
    scanner.end();
    expect(seen).toEqual([1, 2]);
    expect(scanner.isStopped).toBe(true);
  });
});
