import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const COOKIE = 'tgpulse_token';

/** Compares in constant time (over digests, so lengths do not show either). */
function same(given: string, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * Whether a request carries `WEB_TOKEN`: as `Authorization: Bearer <token>`, in the cookie {@link accessCookie}
 * sets, or as `?token=<token>` (the first visit from a browser).
 */
export function hasAccess(req: IncomingMessage, url: URL, token: string): boolean {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && same(auth.slice(7), token)) return true;
  const cookie = (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`));
  if (cookie && same(decodeURIComponent(cookie.slice(COOKIE.length + 1)), token)) return true;
  const query = url.searchParams.get('token');
  return query !== null && same(query, token);
}

/** The `Set-Cookie` value that carries the token after a `?token=` visit: not readable by scripts, not sent cross-site. */
export function accessCookie(token: string): string {
  return `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
