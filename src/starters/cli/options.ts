import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ConfigSchema } from '../../config';
import { BadInputError } from '../../domain';
import { checkExport } from '../../export';

/**
 * A setting's value as `--help` shows it: what the environment or `.env` sets, else the built-in default. Never
 * throws: a bad value is reported when a command runs, not when help is shown.
 */
export function shownDefault(key: 'SESSION_NAME' | 'OUTPUT_DIR'): string {
  const schema = ConfigSchema.shape[key];
  const given = process.env[key]?.trim();
  const parsed = schema.safeParse(given === '' ? undefined : given);
  return parsed.success ? parsed.data : schema.parse(undefined);
}

/** The one way to name a Telegram account, on every command that uses one. */
export function accountOption(what: string): Option {
  return new Option('--account <name>', `${what} (default: "${shownDefault('SESSION_NAME')}", from SESSION_NAME)`);
}

/**
 * The old spellings of `--account` (`--session`), hidden from `--help`: still accepted, with a one-line warning.
 * Call {@link resolveAccount} in the action to read either.
 */
export function withOldAccountFlag(cmd: Command): Command {
  return cmd.addOption(new Option('--session <name>', 'old spelling of --account').hideHelp());
}

/** `--account`, or the deprecated `--session` (warned about on stderr), or the configured default. */
export function resolveAccount(flags: { account?: string; session?: string }, fallback: string): string {
  if (flags.session !== undefined) {
    process.stderr.write('warning: --session is deprecated; use --account\n');
    if (flags.account !== undefined && flags.account !== flags.session) throw new BadInputError('--session and --account name different accounts', 'use --account alone');
  }
  return accountName(flags.account ?? flags.session ?? fallback);
}

/** An account (session) name, checked before anything starts. */
export function accountName(value: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new BadInputError(`--account ${JSON.stringify(value)} is not an account name`, 'Use the name given to `tgpulse login --account` (letters, digits, _ and -)');
  return value;
}

/**
 * `--out`: the worker writes result files into its own OUTPUT_DIR (a run never tells it where); the CLI then copies
 * them into this folder.
 */
export function outOption(what: string): Option {
  return new Option('--out <dir>', `${what}: copied there from the worker's OUTPUT_DIR (default: left in "${shownDefault('OUTPUT_DIR')}/")`);
}

/**
 * An export the user named, checked whole before anything starts (missing, empty, truncated, binary, not an export,
 * or without the chat asked for): the error from src/export says where and what. Returns its absolute path.
 */
export async function checkedExport(path: string, chat?: string): Promise<string> {
  const abs = resolve(path);
  await checkExport(abs, chat !== undefined ? { chat } : {});
  return abs;
}
