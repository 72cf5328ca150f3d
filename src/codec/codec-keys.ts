/** One AES-256 key of the payload codec, named by the id stored beside each payload it encrypts. */
export interface CodecKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** The keys of a codec: `current` encrypts, every one of `all` (current first) decrypts. */
export interface CodecKeyRing {
  current: CodecKey;
  all: ReadonlyMap<string, CodecKey>;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses TEMPORAL_CODEC_KEYS (`k2:<base64 of 32 bytes>,k1:<...>`): the first key is the one new payloads are
 * encrypted with; the others still decrypt what was written before a rotation. Returns the problems found instead
 * of throwing, so configuration can list them with every other setting; a problem never shows a key's bytes.
 *
 * @example
 * parseCodecKeys('k2:' + randomBytes(32).toString('base64') + ',k1:...') // { ring: { current: { id: 'k2', ... } } }
 */
export function parseCodecKeys(text: string): { ring: CodecKeyRing; problems: [] } | { ring: null; problems: string[] } {
  const problems: string[] = [];
  const keys: CodecKey[] = [];
  const seen = new Set<string>();
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) problems.push('no key given: write id:<base64 of 32 bytes>, e.g. k1:$(openssl rand -base64 32)');
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon).trim();
    const b64 = colon < 0 ? '' : entry.slice(colon + 1).trim();
    const where = `key ${i + 1}${KEY_ID.test(id) ? ` ("${id}")` : ''}`;
    if (!KEY_ID.test(id)) return void problems.push(`${where}: write it as id:<base64>, the id of letters, digits, _ . - (at most 64)`);
    if (seen.has(id)) return void problems.push(`${where}: the id is given twice; each key needs its own id`);
    seen.add(id);
    const key = BASE64.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) return void problems.push(`${where}: must be 32 bytes in base64 (openssl rand -base64 32)`);
    keys.push({ id, key });
  });
  if (problems.length || keys.length === 0) return { ring: null, problems };
  return { ring: { current: keys[0]!, all: new Map(keys.map((k) => [k.id, k])) }, problems: [] };
}
