export { startUserbot } from './userbot';
export type { RunningUserbot, UserbotOptions } from './userbot';
export { handleMessage } from './listener';
export type { ListenerOptions } from './listener';
export { accessOf, parseAllowlist, userbotIgnoredMessages } from './access';
export type { Access, Allowlist } from './access';
export { toCommand } from './to-command';
export type { MessageForCommand } from './to-command';
