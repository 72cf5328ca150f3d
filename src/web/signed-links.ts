import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigError, type Config } from '../config';

/** Shortest signing key accepted: 32 characters is 192 bits or more of whatever `openssl rand -base64 32` gives. */
export const MIN_SIGNING_KEY_CHARS = 32;

/** What a link's signature says about it. */
export type LinkCheck = 'ok' | 'forged' | 'expired';

/** Signs and checks download links: `/files/<id>?exp=<unix seconds>&sig=<HMAC-SHA256(id, exp), base64url>`. */
export interface LinkSigner {
  /** The link to `id`, valid for the configured TTL from `now`. */
  link(id: string): string;
  /** Checks a link's parts. A bad signature is `forged` whatever its expiry; a good one past its expiry `expired`. */
  check(id: string, exp: string | null, sig: string | null): LinkCheck;
}

/**
 * The signing key from the configuration, or a {@link ConfigError} saying how to make one. The key itself never
 * appears in the error.
 */
export function signingKeyOf(config: Pick<Config, 'WEB_SIGNING_KEY'>): string {
  const key = config.WEB_SIGNING_KEY;
  if (!key) throw new ConfigError([`WEB_SIGNING_KEY (unset): npm run web signs its download links with it; set it to ${MIN_SIGNING_KEY_CHARS} or more random characters (openssl rand -base64 32)`]);
  if (key.length < MIN_SIGNING_KEY_CHARS) {
    throw new ConfigError([`WEB_SIGNING_KEY (set (hidden)): ${key.length} characters is too short to sign links; use ${MIN_SIGNING_KEY_CHARS} or more random characters (openssl rand -base64 32)`]);
  }
  return key;
}

/**
 * A link signer over `key`. `now` (ms since the epoch) is passed in so tests move the clock instead of waiting.
 *
 * @example
 * const signer = createLinkSigner({ key, ttlSeconds: 3600 });
 * signer.link('r1.abc') // '/files/r1.abc?exp=1795000000&sig=…'
 */
export function createLinkSigner(opts: { key: string; ttlSeconds: number; now?: () => number }): LinkSigner {
  const now = opts.now ?? Date.now;
  const mac = (id: string, exp: string) => createHmac('sha256', opts.key).update(`${id}\n${exp}`).digest();
  return {
    link(id) {
      const exp = String(Math.floor(now() / 1000) + opts.ttlSeconds);
      return `/files/${encodeURIComponent(id)}?exp=${exp}&sig=${mac(id, exp).toString('base64url')}`;
    },
    check(id, exp, sig) {
      if (!exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return 'forged';
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(id, exp);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
      return Number(exp) * 1000 <= now() ? 'expired' : 'ok';
    },
  };
}
