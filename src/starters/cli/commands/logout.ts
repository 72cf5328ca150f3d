import { Command } from 'commander';
import { cliConfig, withAccountDeps } from '../context';
import { telegram } from '../lazy-modules';
import { accountOption, resolveAccount, withOldAccountFlag } from '../options';
import type { RegisterCommand } from './index';

export const registerLogout: RegisterCommand = (program) => {
  program.addCommand(
    withOldAccountFlag(new Command('logout'))
      .description('log a Telegram account out and delete its session file')
      .addOption(accountOption('the account to log out'))
      .action(async (flags: { account?: string; session?: string }) => {
        const config = cliConfig();
        await withAccountDeps(config, resolveAccount(flags, config.SESSION_NAME), async (deps) => {
          const { removed } = await telegram().logoutTelegramAccount(deps);
          process.stdout.write(removed ? `Logged out of account "${deps.account}" and deleted ${deps.sessions.pathOf(deps.account)}.\n` : `Account "${deps.account}" was not logged in: nothing to do.\n`);
        });
      }),
  );
};
