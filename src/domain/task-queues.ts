/**
 * The task queue of one Telegram account: its Telegram activities run there, served only by the worker that holds
 * the account's session lease. Pure, so workflows and workers compute the same name.
 */
export function accountTaskQueue(baseQueue: string, account: string): string {
  return `${baseQueue}-tg-${account}`;
}
