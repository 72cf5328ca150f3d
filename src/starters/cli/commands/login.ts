import { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { BadInputError } from '../../../domain';
import type { LoginPrompts } from '../../../telegram';
import { cliConfig, withAccountDeps } from '../context';
import { telegram } from '../lazy-modules';
import { accountOption, resolveAccount, withOldAccountFlag } from '../options';
import type { RegisterCommand } from './index';

interface LoginFlags {
  account?: string;
  session?: string;
  phone?: string;
  code?: string;
  password?: string;
}

/**
 * Asks on the terminal (prompts on stderr so stdout stays clean). Piped input works too, one answer a line, which
 * is how a script passes the code Telegram sends. `secret` answers are not echoed.
 */
async function ask(question: string, secret = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  try {
    const answer = rl.question(question);
    muted = secret;
    const text = (await answer).trim();
    if (secret) process.stderr.write('\n');
    if (text === '') throw new BadInputError(`No answer to "${question.trim()}"`, 'Run `tgpulse login` again');
    return text;
  } finally {
    rl.close();
  }
}

/** Flag, then environment, then a prompt. */
export function loginPrompts(flags: LoginFlags, env: NodeJS.ProcessEnv = process.env, prompt = ask): LoginPrompts {
  const given = (flag: string | undefined, name: string) => flag?.trim() || env[name]?.trim() || undefined;
  return {
    phone: async () => {
      const phone = given(flags.phone, 'TG_PHONE') ?? (await prompt('Phone number (international form, like +4915123456789): '));
      if (!/^\+?[0-9 ()-]{7,20}$/.test(phone)) throw new BadInputError(`"${phone}" is not a phone number`, 'Give it in international form, like +4915123456789');
      return phone.replace(/[ ()-]/g, '');
    },
    code: async () => given(flags.code, 'TG_CODE') ?? prompt('The code Telegram sent (in the Telegram app, or by SMS): '),
    password: async (hint) => given(flags.password, 'TG_PASSWORD') ?? prompt(`Two-step verification password${hint ? ` (hint: ${hint})` : ''}: `, true),
  };
}

export const registerLogin: RegisterCommand = (program) => {
  program.addCommand(
    withOldAccountFlag(new Command('login'))
      .description('log a Telegram account in once; every tgpulse process then uses its session (data/sessions/<name>.session)')
      .addOption(accountOption('a name for the account, used by --account everywhere after'))
      .option('--phone <phone>', 'phone number (or TG_PHONE)')
      .option('--code <code>', 'login code (or TG_CODE, or typed when asked)')
      .option('--password <password>', 'two-step verification password; prefer TG_PASSWORD or the prompt, flags show in `ps`')
      .action(async (flags: LoginFlags) => {
        const config = cliConfig();
        const { loginTelegramAccount, telegramCredentials } = telegram();
        telegramCredentials(config);
        await withAccountDeps(config, resolveAccount(flags, config.SESSION_NAME), async (deps) => {
          const { account, sessionFile } = await loginTelegramAccount({ ...deps, prompts: loginPrompts(flags) });
          const name = [account.firstName, account.lastName].filter(Boolean).join(' ');
          process.stdout.write(`Logged in as ${name}${account.username ? ` (@${account.username})` : ''}. Account "${deps.account}" saved to ${sessionFile} (readable by you only); name it with --account ${deps.account}.\n`);
        });
      }),
  );
};
