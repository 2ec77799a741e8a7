/**
 * The `qmp-ts` command line. Each subcommand lives in `cli/commands/NAME.ts`; a run
 * names one, and only that module is loaded (the others, and what they import, cost a
 * tenth of a second together). Without one (`qmp-ts --help`), all are loaded.
 *
 * Exit status: 0 success, 1 schema error / check failure (message on stderr, no stack
 * trace), 2 usage error.
 */
import { Command, CommanderError } from 'commander';
import { QapiError } from '../generator/diagnostics.js';
import type { SubcommandModule } from './subcommand.js';
import { writeError } from './terminal.js';
import { ownVersion } from '../generator/version.js';
import { endQuietlyOnClosedStdout } from './closed-stdout.js';

/** Registered subcommands, by name, in help order. Add yours here. */
const subcommands: Readonly<Record<string, () => Promise<SubcommandModule>>> = {
  shell: () => import('./commands/shell.js'),
  check: () => import('./commands/check.js'),
  dump: () => import('./commands/dump.js'),
  diff: () => import('./commands/diff.js'),
  capture: () => import('./commands/capture.js'),
  generate: () => import('./commands/generate.js'),
  docs: () => import('./commands/docs.js'),
  verify: () => import('./commands/verify.js'),
  package: () => import('./commands/package.js'),
  init: () => import('./commands/init.js'),
};

/** The subcommands a run needs: the one it names, else all of them (for help and errors). */
function needed(argv: readonly string[]): readonly string[] {
  const first = argv[0];
  return first !== undefined && Object.hasOwn(subcommands, first) ? [first] : Object.keys(subcommands);
}

export async function main(argv: readonly string[]): Promise<number> {
  endQuietlyOnClosedStdout();
  let exitCode = 0;
  const program = new Command('qmp-ts')
    .description('Typed TypeScript toolkit for QEMU QMP: schema checks, code generation, tools')
    .version(ownVersion(), '-V, --version', "print qmp-ts's version")
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: writeError });
  for (const name of needed(argv)) {
    const mod = await subcommands[name]!();
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
      const { errorText } = await import('./error-text.js');
      writeError(errorText(e, argv[0]) + '\n');
      return 1;
    }
    const msg = e instanceof Error ? e.message : String(e);
    writeError(`qmp-ts: ${msg}\n`);
    return 1;
  }
  return exitCode;
}
