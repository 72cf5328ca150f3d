import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { CodecKeyError } from './codec-key-error';

/** What the Web UI sends and gets back: payloads with base64 metadata values and data. */
interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

export interface CodecHandlerOptions {
  /** The codec the worker and clients use (`createPayloadCodec`). */
  codec: PayloadCodec;
  /** CODEC_AUTH_TOKEN. Unset: every request is refused (the endpoint would hand out plaintext to anyone). */
  authToken: string | undefined;
  /** Origins allowed to call it from a browser: the Temporal Web UI's (e.g. `http://127.0.0.1:8233`). */
  allowedOrigins: readonly string[];
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
}

/** A plain Node request handler; it answers every request it is given. */
export type CodecHandler = (req: IncomingMessage, res: ServerResponse) => void;

// A Temporal payload is at most 2 MB; the UI sends the payloads of one event or list at a time.
const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The codec server the Temporal Web UI calls to show encrypted payloads: `POST …/decode` and `POST …/encode`, each
 * with a JSON body `{"payloads": [...]}`, answered in kind. Requests need `Authorization: Bearer <CODEC_AUTH_TOKEN>`;
 * browsers from `allowedOrigins` get CORS headers (and their preflight `OPTIONS` is answered without a token, as
 * browsers send none). Mount it under any prefix: it looks only at how the path ends.
 *
 * @example
 * const codec = createCodecHandler({ codec, authToken: config.CODEC_AUTH_TOKEN, allowedOrigins: [uiOrigin] });
 * createServer((req, res) => (req.url?.startsWith('/codec/') ? codec(req, res) : other(req, res)));
 * // Web UI: Settings → Codec Server → http://host:port/codec, with the token as the UI's access token.
 */
export function createCodecHandler(opts: CodecHandlerOptions): CodecHandler {
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const expected = opts.authToken ? Buffer.from(opts.authToken) : undefined;
  const allowed = new Set(opts.allowedOrigins.map((o) => o.replace(/\/+$/, '')));

  return (req, res) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('vary', 'Origin');
    }
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    const op = path.endsWith('/encode') ? 'encode' : path.endsWith('/decode') ? 'decode' : undefined;
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('access-control-allow-headers', 'content-type, authorization, x-namespace');
      res.writeHead(op ? 204 : 404).end();
      return;
    }
    if (!op) return void reply(res, 404, { error: 'not found: POST …/encode or …/decode' });
    if (req.method !== 'POST') return void reply(res, 405, { error: `${op} takes POST` });
    if (!expected) return void reply(res, 503, { error: 'the codec endpoint is off: set CODEC_AUTH_TOKEN on the server' });
    if (!authorized(req.headers.authorization, expected)) {
      res.setHeader('www-authenticate', 'Bearer');
      return void reply(res, 401, { error: 'missing or wrong bearer token: send Authorization: Bearer <CODEC_AUTH_TOKEN>' });
    }
    readBody(req, maxBody).then(
      async (body) => {
        const payloads = parseRequest(body);
        if (typeof payloads === 'string') return reply(res, 400, { error: payloads });
        const out = op === 'encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads);
        reply(res, 200, { payloads: out.map(toJson) });
      },
      (err: unknown) => reply(res, err instanceof BodyTooLarge ? 413 : 400, { error: err instanceof Error ? err.message : 'unreadable request body' }),
    ).catch((err: unknown) => {
      // A payload the keys cannot open is the caller's to know about; anything else is ours.
      if (err instanceof CodecKeyError) reply(res, 422, { error: err.message });
      else reply(res, 500, { error: 'the codec failed; see the server log' });
    });
  };
}

function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new BodyTooLarge(`request body over ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The payloads of a request, or what is wrong with it. */
function parseRequest(body: string): Payload[] | string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'the body is not JSON: send {"payloads": [...]}';
  }
  const list = (json as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(list)) return 'the body has no "payloads" array: send {"payloads": [...]}';
  const out: Payload[] = [];
  for (const [i, p] of list.entries()) {
    const { metadata, data } = (p ?? {}) as JsonPayload;
    if ((metadata != null && typeof metadata !== 'object') || (data != null && typeof data !== 'string')) return `payload ${i}: metadata must be an object of base64 strings and data a base64 string`;
    out.push({
      metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64')])),
      data: Buffer.from(data ?? '', 'base64'),
    });
  }
  return out;
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
