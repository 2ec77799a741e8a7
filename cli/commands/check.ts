/**
 * `qmp-ts check [--strict] FILE...`: read and check schemas (QAPI source, YAML or
 * introspection JSON) exactly as QEMU does. Exit 0 when all are valid; otherwise each
 * error goes to stderr, located as QEMU locates it, and the exit status is 1.
 */
import type { Command } from 'commander';
import type { SubcommandModule } from '../main.js';

interface CheckCliOptions {
  readonly strict?: boolean;
  readonly summary?: boolean;
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  program
    .command('check')
    .description('check QAPI schemas (source, YAML or query-qmp-schema JSON) as QEMU does')
    .argument('<files...>', 'schema files')
    .option('--strict', "QEMU 10.2's rules exactly: doc comment style rules are errors too")
    .option('--summary', 'print what each schema defines')
    .action(async (files: string[], opts: CheckCliOptions) => {
      // Loaded here so that merely registering the command stays cheap.
      const { validateSchemaFile } = await import('../../generator/load.js');
      const { QapiError } = await import('../../generator/diagnostics.js');
      const { formatCounts } = await import('../../generator/model/counts.js');
      let failed = false;
      for (const file of files) {
        try {
          const result = validateSchemaFile(file, {
            strict: opts.strict ?? false,
            onWarning: (w) => process.stderr.write(`warning: ${w.message}\n`),
          });
          if (opts.summary) process.stdout.write(`${file}: ${formatCounts(result.counts)}\n`);
        } catch (e) {
          if (!(e instanceof QapiError)) throw e;
          process.stderr.write(e.message + '\n');
          failed = true;
        }
      }
      setExit(failed ? 1 : 0);
    });
};
