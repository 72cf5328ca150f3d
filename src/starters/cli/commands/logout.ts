import { Command } from 'commander';
import { logoutTelegramAccount } from '../../../telegram';
import { cliConfig, withAccountDeps } from '../context';
import type { RegisterCommand } from './index';

export const registerLogout: RegisterCommand = (program) => {
  program.addCommand(
    new Command('logout')
      .description('log a Telegram account out and delete its session file')
      .option('--session <name>', 'session name (default: SESSION_NAME)')
      .action(async (flags: { session?: string }) => {
        const config = cliConfig();
        await withAccountDeps(config, flags.session, async (deps) => {
          const { removed } = await logoutTelegramAccount(deps);
          process.stdout.write(removed ? `Logged out of session "${deps.account}" and deleted ${deps.sessions.pathOf(deps.account)}.\n` : `Session "${deps.account}" was not logged in: nothing to do.\n`);
        });
      }),
  );
};
