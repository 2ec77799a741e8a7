/**
 * What a `cli/commands/NAME.ts` module exports. In its own module so that the commands
 * do not import `main.ts`, which loads them.
 */
import type { Command } from 'commander';

/** A subcommand module: adds itself to the program; its action sets the exit code. */
export interface SubcommandModule {
  register(program: Command, setExit: (code: number) => void): void;
}
