import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmCodec, CodecKeyError, createCodecHandler, parseCodecKeys } from '../../src/codec';
import { loadConfig, ConfigError } from '../../src/config';
import { startOpsServer } from '../../src/observability';
import { codecHandlerFromConfig } from '../../src/temporal';

const key = () => randomBytes(32).toString('base64');
const ring = (text: string) => {
  const parsed = parseCodecKeys(text);
  if (!parsed.ring) throw new Error(parsed.problems.join('; '));
  return parsed.ring;
};
const SECRET = 'Build Cohort #7: where are people stuck?';
const plain = (): Payload => defaultPayloadConverter.toPayload({ title: SECRET });

describe('the AES-GCM payload codec', () => {
  const k1 = key();
  const k2 = key();

  test('an encrypted payload shows neither its data nor its original encoding; the codec gives it back whole', async () => {
    const codec = new AesGcmCodec(ring(`k1:${k1}`));
    const [enc] = await codec.encode([plain()]);
    const raw = Buffer.concat([...Object.values(enc!.metadata ?? {}).map((v) => Buffer.from(v)), Buffer.from(enc!.data ?? [])]).toString('latin1');
    expect(raw).not.toContain('Cohort');
    expect(raw).not.toContain('json/plain');
    expect(Buffer.from(enc!.metadata!['encryption-key-id']!).toString()).toBe('k1');
    const [dec] = await codec.decode([enc!]);
    expect(defaultPayloadConverter.fromPayload(dec!)).toEqual({ title: SECRET });
  });

  test('after a rotation the new key encrypts and the old one still decrypts; a key rotated out fails naming it', async () => {
    const before = new AesGcmCodec(ring(`k1:${k1}`));
    const rotated = new AesGcmCodec(ring(`k2:${k2},k1:${k1}`));
    const dropped = new AesGcmCodec(ring(`k2:${k2}`));
    const [old] = await before.encode([plain()]);
    const [fresh] = await rotated.encode([plain()]);
    expect(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString()).toBe('k2');
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!)).toEqual({ title: SECRET });
    expect(defaultPayloadConverter.fromPayload((await dropped.decode([fresh!]))[0]!)).toEqual({ title: SECRET });
    await expect(dropped.decode([old!])).rejects.toThrow(CodecKeyError);
    await expect(dropped.decode([old!])).rejects.toThrow(/key "k1", which is not among TEMPORAL_CODEC_KEYS \(k2\)/);
  });

  test('a wrong key under a known id, a relabelled or altered payload fail clearly instead of decoding garbage', async () => {
    const codec = new AesGcmCodec(ring(`k1:${k1}`));
    const impostor = new AesGcmCodec(ring(`k1:${k2}`));
    const [enc] = await codec.encode([plain()]);
    await expect(impostor.decode([enc!])).rejects.toThrow(/does not decrypt with key "k1"/);
    const both = new AesGcmCodec(ring(`k1:${k1},k2:${k1}`));
    const relabelled = { ...enc!, metadata: { ...enc!.metadata, 'encryption-key-id': Buffer.from('k2') } };
    await expect(both.decode([relabelled])).rejects.toThrow(/does not decrypt/);
    const data = Buffer.from(enc!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...enc!, data }])).rejects.toThrow(/altered/);
  });

  test('payloads written before encryption was on still read', async () => {
    const codec = new AesGcmCodec(ring(`k1:${k1}`));
    expect(defaultPayloadConverter.fromPayload((await codec.decode([plain()]))[0]!)).toEqual({ title: SECRET });
  });

  test('TEMPORAL_CODEC_KEYS that are malformed stop the process at start, one line each, never showing a key', () => {
    const short = randomBytes(16).toString('base64');
    let caught: unknown;
    try {
      loadConfig({ TEMPORAL_CODEC_KEYS: `k1:${short},bad id:${k1},k1:${k2}` });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toContain('key 1 ("k1"): must be 32 bytes');
    expect(message).toContain('key 2: write it as id:<base64>');
    expect(message).toContain('key 3 ("k1"): the id is given twice');
    for (const secret of [short, k1, k2]) expect(message).not.toContain(secret);
    expect(loadConfig({ TEMPORAL_CODEC_KEYS: `k1:${k1}` }).TEMPORAL_CODEC_KEYS).toBe(`k1:${k1}`);
  });
});

describe('the codec endpoint for the Web UI', () => {
  const TOKEN = 'codec-token-for-tests';
  const UI = 'http://127.0.0.1:8233';
  let server: Server;
  let base: string;
  const codec = new AesGcmCodec(ring(`k1:${key()}`));

  beforeAll(async () => {
    const handler = createCodecHandler({ codec, authToken: TOKEN, allowedOrigins: [UI] });
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/codec`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const toJson = (p: Payload) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  });
  const post = (op: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${base}/${op}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: UI, ...headers }, body: JSON.stringify(body) });

  test('decode turns what the UI sends back into readable payloads; encode does the reverse', async () => {
    const [enc] = await codec.encode([plain()]);
    const res = await post('decode', { payloads: [toJson(enc!)] });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI);
    const { payloads } = (await res.json()) as { payloads: Array<{ data: string }> };
    expect(Buffer.from(payloads[0]!.data, 'base64').toString()).toBe(JSON.stringify({ title: SECRET }));
    const back = (await (await post('encode', { payloads })).json()) as { payloads: Array<{ data: string; metadata: Record<string, string> }> };
    expect(Buffer.from(back.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(back.payloads[0]!.data, 'base64').toString('latin1')).not.toContain('Cohort');
  });

  test('a missing or wrong token is refused and decodes nothing', async () => {
    const [enc] = await codec.encode([plain()]);
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong' }, { authorization: `Basic ${TOKEN}` }]) {
      const res = await post('decode', { payloads: [toJson(enc!)] }, headers);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(Buffer.from(JSON.stringify({ title: SECRET })).toString('base64'));
    }
  });

  test('the browser preflight is answered for the UI origin only; bad bodies and unknown keys get a clear error', async () => {
    const pre = await fetch(`${base}/decode`, { method: 'OPTIONS', headers: { origin: UI, 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await fetch(`${base}/decode`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post('decode', { nothing: true })).status).toBe(400);
    const foreign = await new AesGcmCodec(ring(`k9:${key()}`)).encode([plain()]);
    const res = await post('decode', { payloads: [toJson(foreign[0]!)] });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toContain('key "k9"');
  });

  test('without CODEC_AUTH_TOKEN the endpoint is off', async () => {
    const handler = createCodecHandler({ codec, authToken: undefined, allowedOrigins: [UI] });
    const off = createServer((req, res) => handler(req, res));
    await new Promise<void>((r) => off.listen(0, '127.0.0.1', () => r()));
    try {
      const res = await fetch(`http://127.0.0.1:${(off.address() as AddressInfo).port}/codec/decode`, { method: 'POST', body: '{"payloads":[]}' });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('CODEC_AUTH_TOKEN');
    } finally {
      await new Promise<void>((r) => off.close(() => r()));
    }
  });
});

test('the worker\'s ops server serves the codec at /codec beside /healthz, with the keys and token of its config', async () => {
  const keys = `k1:${key()}`;
  const ops = await startOpsServer({ port: 0, host: '127.0.0.1', checks: [], codec: codecHandlerFromConfig({ TEMPORAL_CODEC_KEYS: keys, CODEC_AUTH_TOKEN: 'ops-token', TEMPORAL_UI_URL: 'http://127.0.0.1:8233/' }) });
  try {
    const [enc] = await new AesGcmCodec(ring(keys)).encode([plain()]);
    const body = JSON.stringify({ payloads: [{ metadata: Object.fromEntries(Object.entries(enc!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(enc!.data!).toString('base64') }] });
    const url = `http://127.0.0.1:${ops.port}/codec/decode`;
    expect((await fetch(url, { method: 'POST', body })).status).toBe(401);
    const res = await fetch(url, { method: 'POST', body, headers: { authorization: 'Bearer ops-token', origin: 'http://127.0.0.1:8233' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    const { payloads } = (await res.json()) as { payloads: Array<{ data: string }> };
    expect(Buffer.from(payloads[0]!.data, 'base64').toString()).toContain(SECRET);
    expect((await fetch(`http://127.0.0.1:${ops.port}/healthz`)).status).toBe(200);
  } finally {
    await ops.close();
  }
});
