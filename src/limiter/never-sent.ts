/** Socket errors that mean no connection was made, so no request can have left this host. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** gramjs's words for "this client is not connected": it refuses to send rather than losing a request. */
const NOT_CONNECTED_MESSAGES = /^(Not connected|Cannot send requests while disconnected)/i;

/**
 * Whether a failed Telegram call provably never left this host: a connection that was refused or never made,
 * found anywhere in the error's `cause` chain. Such a DM or join did not happen, so it gives its quota back. A
 * reset or a timeout after the request left (ECONNRESET, ETIMEDOUT) may have been delivered, so it is not one.
 */
export function neverSent(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && NOT_CONNECTED_CODES.has(code)) return true;
    if (NOT_CONNECTED_MESSAGES.test(e.message)) return true;
  }
  return false;
}
