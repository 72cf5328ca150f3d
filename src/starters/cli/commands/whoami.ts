import { Command } from 'commander';
import type { AccountInfo } from '../../../telegram';
import { cliConfig, withAccountDeps } from '../context';
import { telegram } from '../lazy-modules';
import { accountOption, resolveAccount, withOldAccountFlag } from '../options';
import type { RegisterCommand } from './index';

/** The account as `whoami` prints it; the phone number shows only its last digits. */
export function formatAccount(session: string, me: AccountInfo): string {
  const name = [me.firstName, me.lastName].filter(Boolean).join(' ') || '(no name)';
  const phone = me.phone ? `${me.phone.slice(0, 3)}…${me.phone.slice(-3)}` : undefined;
  return [`account  ${session}`, `name     ${name}`, me.username ? `username @${me.username}` : undefined, `id       ${me.id}`, phone ? `phone    ${phone}` : undefined, me.premium ? 'premium  yes' : undefined]
    .filter((l) => l !== undefined)
    .join('\n')
    .concat('\n');
}

export const registerWhoami: RegisterCommand = (program) => {
  program.addCommand(
    withOldAccountFlag(new Command('whoami'))
      .description('show which Telegram user a logged-in account is')
      .addOption(accountOption('the account'))
      .action(async (flags: { account?: string; session?: string }) => {
        const config = cliConfig();
        await withAccountDeps(config, resolveAccount(flags, config.SESSION_NAME), async (deps) => {
          const open = await telegram().openTelegramAccount(deps);
          try {
            process.stdout.write(formatAccount(deps.account, await open.telegram.whoami()));
          } finally {
            await open.close();
          }
        });
      }),
  );
};
