/**
 * The `qmp-ts` command line. Each subcommand lives in `cli/commands/NAME.ts` and is
 * loaded only when used, so `qmp-ts check` does not pay for ts-morph or prettier.
 *
 * Exit status: 0 success, 1 schema error / check failure (message on stderr, no stack
 * trace), 2 usage error.
 */
import { Command, CommanderError } from 'commander';
import { QapiError } from '../generator/diagnostics.js';

/** A subcommand module: adds itself to the program; its action sets the exit code. */
export interface SubcommandModule {
  register(program: Command, setExit: (code: number) => void): void;
}

/** Registered subcommands, by module path (relative to this file). Add yours here. */
const subcommands: readonly string[] = ['./commands/shell.js', './commands/check.js', './commands/dump.js', './commands/diff.js', './commands/capture.js', './commands/generate.js', './commands/verify.js', './commands/package.js', './commands/init.js'];

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('qmp-ts')
    .description('Typed TypeScript toolkit for QEMU QMP: schema checks, code generation, tools')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const path of subcommands) {
    const mod = (await import(path)) as SubcommandModule;
    mod.register(program, (code) => {
      exitCode = code;
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof QapiError) {
      process.stderr.write(e.message + '\n');
      return 1;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`qmp-ts: ${msg}\n`);
    return 1;
  }
  return exitCode;
}
