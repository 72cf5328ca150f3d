import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import bigInt from 'big-integer';
import { ConfigError, type Config } from '../config';

/** The settings that point tgpulse at an MTProto server other than Telegram's production DCs. */
export type ServerSettings = Partial<Pick<Config, 'TELEGRAM_SERVER' | 'TELEGRAM_SERVER_KEY_FILE' | 'TELEGRAM_DC_ID' | 'TELEGRAM_CONNECT_TIMEOUT_SECONDS' | 'TELEGRAM_REQUEST_TIMEOUT_SECONDS'>>;

/** The server's RSA public key as gramjs keeps it: modulus, exponent, and Telegram's fingerprint of the two. */
export interface ServerKey {
  /** Signed 64-bit decimal, as gramjs indexes its keys (above 2^53: a string, never a number). */
  fingerprint: string;
  n: bigInt.BigInteger;
  e: number;
}

/** Where to connect: unset `host` means Telegram's production DCs (gramjs's defaults). */
export interface TelegramServer {
  host?: string;
  port?: number;
  dcId: number;
  key?: ServerKey;
  /** Seconds one connection attempt may take. */
  connectTimeoutSeconds: number;
  /** How the server is named in errors: `host:port` or "Telegram". */
  label: string;
}

/** TL `bytes`: a length prefix (1 byte, or 0xfe and 3 bytes), the data, zero padding to a multiple of 4. */
function tlBytes(data: Buffer): Buffer {
  const head = data.length < 254 ? Buffer.from([data.length]) : Buffer.from([254, data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff]);
  const body = Buffer.concat([head, data]);
  return Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
}

/**
 * Reads an RSA public key (PEM, PKCS#1 `RSA PUBLIC KEY` or SPKI `PUBLIC KEY`) and computes the fingerprint MTProto
 * names it by: the low 64 bits of SHA1 over the TL-serialized modulus and exponent, read little-endian and signed.
 */
export function serverKeyFromPem(pem: string): ServerKey {
  const jwk = createPublicKey(pem).export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || jwk.n === undefined || jwk.e === undefined) throw new Error('not an RSA public key');
  const n = Buffer.from(jwk.n, 'base64url');
  const e = Buffer.from(jwk.e, 'base64url');
  const sha = createHash('sha1').update(Buffer.concat([tlBytes(n), tlBytes(e)])).digest();
  return { fingerprint: sha.readBigInt64LE(12).toString(), n: bigInt(n.toString('hex'), 16), e: parseInt(e.toString('hex'), 16) };
}

const SERVER = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/**
 * The server tgpulse connects to, from TELEGRAM_SERVER (`host:port`), TELEGRAM_SERVER_KEY_FILE (its RSA public key,
 * PEM) and TELEGRAM_DC_ID. Without TELEGRAM_SERVER: Telegram's production DCs and keys. Throws {@link ConfigError}
 * naming the setting when the address is malformed or the key file cannot be read.
 */
export function telegramServer(settings: ServerSettings): TelegramServer {
  const dcId = settings.TELEGRAM_DC_ID ?? 2;
  const connectTimeoutSeconds = settings.TELEGRAM_CONNECT_TIMEOUT_SECONDS ?? 10;
  if (settings.TELEGRAM_SERVER === undefined) {
    if (settings.TELEGRAM_SERVER_KEY_FILE !== undefined) {
      throw new ConfigError(['TELEGRAM_SERVER_KEY_FILE (set): only used with TELEGRAM_SERVER; set the server\'s host:port too, or unset the key file to use Telegram']);
    }
    return { dcId, connectTimeoutSeconds, label: 'Telegram' };
  }
  const problems: string[] = [];
  const match = SERVER.exec(settings.TELEGRAM_SERVER);
  const port = match ? Number(match[2]) : NaN;
  // gramjs's StringSession stores the port as a signed 16-bit number.
  if (!match || port < 1 || port > 32767) problems.push(`TELEGRAM_SERVER (${JSON.stringify(settings.TELEGRAM_SERVER)}): must be host:port with a port from 1 to 32767, like 149.154.167.40:443`);
  let key: ServerKey | undefined;
  if (settings.TELEGRAM_SERVER_KEY_FILE === undefined) {
    problems.push('TELEGRAM_SERVER_KEY_FILE (unset): a server other than Telegram needs its RSA public key (a PEM file)');
  } else {
    try {
      key = serverKeyFromPem(readFileSync(settings.TELEGRAM_SERVER_KEY_FILE, 'utf8'));
    } catch (err) {
      problems.push(`TELEGRAM_SERVER_KEY_FILE (${JSON.stringify(settings.TELEGRAM_SERVER_KEY_FILE)}): cannot read an RSA public key from it (${(err as Error).message})`);
    }
  }
  if (problems.length > 0 || !match || key === undefined) throw new ConfigError(problems);
  const host = match[1]!.replace(/^\[|\]$/g, '');
  return { host, port, dcId, key, connectTimeoutSeconds, label: `${match[1]}:${port}` };
}
