/**
 * `qmp-ts dump [--format qapi-test|json] [--strict] FILE`: print the checked model, either
 * exactly as QEMU's tests/qapi-schema/test-qapi.py prints it or as JSON.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';
import { addFileAccessOption, fileAccessFrom, type FileAccessCliOptions } from '../file-access.js';
import { writeData } from '../terminal.js';

const FORMATS = ['qapi-test', 'json'] as const;
type DumpFormat = (typeof FORMATS)[number];

interface DumpCliOptions extends FileAccessCliOptions {
  readonly format: DumpFormat;
  readonly strict?: boolean;
  readonly warnings?: boolean;
}

function parseFormat(value: string): DumpFormat {
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${FORMATS.join(', ')}`);
  }
  return value as DumpFormat;
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  addFileAccessOption(program.command('dump'))
    .description("print a schema's checked model (QEMU test-qapi format or JSON)")
    .argument('<file>', 'schema file (QAPI source, YAML or query-qmp-schema JSON)')
    .option('--format <format>', `output format: ${FORMATS.join(' | ')}`, parseFormat, 'qapi-test')
    .option('--strict', "QEMU 10.2's rules exactly: doc comment style rules are errors too")
    .option('--warnings', "list each doc comment finding (default: one line counting them)")
    .action(async (file: string, opts: DumpCliOptions) => {
      const { loadSchema } = await import('../../generator/load.js');
      const { WarningReport } = await import('../warning-report.js');
      const report = new WarningReport(file, opts.warnings ?? false);
      const schema = loadSchema(file, { strict: opts.strict ?? false, onWarning: report.onWarning, ...fileAccessFrom(opts) });
      report.finish();
      if (opts.format === 'json') {
        const { dumpJson } = await import('../../tools/dump/json.js');
        writeData(dumpJson(schema), 'json');
      } else {
        const { dumpQapiTest } = await import('../../tools/dump/qapi-test.js');
        writeData(dumpQapiTest(schema), 'text');
      }
      setExit(0);
    });
};
