import { ConfigError, type Config } from '../../config';

/** What bot mode reads from the config. */
export interface BotSettings {
  token: string;
  ownerId: string;
}

/**
 * USERBOT_BOT_TOKEN and USERBOT_OWNER_ID, both required in bot mode (a bot has no Saved Messages: the owner is
 * known by id). Throws a {@link ConfigError} with one line per missing key; the token itself is never in it.
 */
export function botSettings(config: Pick<Config, 'USERBOT_BOT_TOKEN' | 'USERBOT_OWNER_ID'>): BotSettings {
  const problems: string[] = [];
  if (config.USERBOT_BOT_TOKEN === undefined) problems.push('USERBOT_BOT_TOKEN (unset): required by --bot; send /newbot to @BotFather and put the token it gives here');
  if (config.USERBOT_OWNER_ID === undefined) problems.push('USERBOT_OWNER_ID (unset): required by --bot; your Telegram user id (digits, see `tgpulse whoami`), the one user the bot always obeys');
  if (problems.length > 0 || config.USERBOT_BOT_TOKEN === undefined || config.USERBOT_OWNER_ID === undefined) throw new ConfigError(problems);
  return { token: config.USERBOT_BOT_TOKEN, ownerId: config.USERBOT_OWNER_ID };
}
