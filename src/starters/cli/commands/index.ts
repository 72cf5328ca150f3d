import type { Command } from 'commander';
import { registerBackup } from './backup';
import { registerCancel } from './cancel';
import { registerExport } from './export';
import { registerLimits } from './limits';
import { registerLogin } from './login';
import { registerLogout } from './logout';
import { registerRecap } from './recap';
import { registerRerun } from './rerun';
import { registerResult } from './result';
import { registerRetention } from './retention';
import { registerRuns } from './runs';
import { registerSummarize } from './summarize';
import { registerWhoami } from './whoami';

/** A CLI command adds itself to the program. Keep this list in the order `--help` should show. */
export type RegisterCommand = (program: Command) => void;

export const registry: RegisterCommand[] = [
  registerSummarize,
  registerExport,
  registerRecap,
  registerRuns,
  registerResult,
  registerCancel,
  registerRerun,
  registerLimits,
  registerLogin,
  registerWhoami,
  registerLogout,
  registerBackup,
  registerRetention,
];
