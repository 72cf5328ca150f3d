import type { Command } from 'commander';

/** A CLI command adds itself to the program. Keep this list in the order `--help` should show. */
export type RegisterCommand = (program: Command) => void;

export const registry: RegisterCommand[] = [];
