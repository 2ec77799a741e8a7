/**
 * `qmp-ts check [--strict] [--warnings] FILE...`: read and check schemas (QAPI source, YAML
 * or introspection JSON) exactly as QEMU does. Exit 0 when all are valid; otherwise each
 * error goes to stderr, located as QEMU locates it, and the exit status is 1. Doc comments
 * that do not follow QEMU 10.2's style are counted in one warning line per file
 * (`--warnings` lists them, `--strict` makes the first an error).
 */
import type { Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';
import { addFileAccessOption, fileAccessFrom, type FileAccessCliOptions } from '../file-access.js';
import { writeError, writeReport } from '../terminal.js';

interface CheckCliOptions extends FileAccessCliOptions {
  readonly strict?: boolean;
  readonly summary?: boolean;
  readonly warnings?: boolean;
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  addFileAccessOption(program.command('check'))
    .description('check QAPI schemas (source, YAML or query-qmp-schema JSON) as QEMU does')
    .argument('<files...>', 'schema files')
    .option('--strict', "QEMU 10.2's rules exactly: doc comment style rules are errors too")
    .option('--summary', 'print what each schema defines')
    .option('--warnings', "list each doc comment finding (default: one line per file counting them)")
    .action(async (files: string[], opts: CheckCliOptions) => {
      // Loaded here so that merely registering the command stays cheap.
      const { validateSchemaFile } = await import('../../generator/load.js');
      const { QapiError } = await import('../../generator/diagnostics.js');
      const { formatCounts } = await import('../../generator/model/counts.js');
      const { WarningReport } = await import('../warning-report.js');
      const { errorText } = await import('../error-text.js');
      let failed = false;
      for (const file of files) {
        const report = new WarningReport(file, opts.warnings ?? false);
        try {
          const result = validateSchemaFile(file, { strict: opts.strict ?? false, onWarning: report.onWarning, ...fileAccessFrom(opts) });
          report.finish();
          if (opts.summary) writeReport(`${file}: ${formatCounts(result.counts)}\n`, 'text');
        } catch (e) {
          if (!(e instanceof QapiError)) throw e;
          // no doc-style summary before a fatal error: the schema is not accepted anyway
          writeError(errorText(e, 'check') + '\n');
          failed = true;
        }
      }
      setExit(failed ? 1 : 0);
    });
};
