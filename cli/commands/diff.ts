/**
 * `qmp-ts diff OLD [NEW]`: what changed between two schemas (QAPI source, YAML,
 * introspection or a bindings' `qmp-schema.json`, in any combination) and whether it breaks
 * existing clients. The new side may instead be a live QEMU: `--socket PATH`, `--tcp
 * HOST:PORT` or `--from-qemu BINARY` (or any other input flag). `--fail-on` turns the
 * verdict into the exit status for CI; `--format html` writes a self-contained report.
 */
import { Option, type Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';
import type { TargetInput } from '../../generator/config.js';
import type { Schema } from '../../generator/model/types.js';
import type { SchemaDiff } from '../../tools/diff/types.js';
import { addFileAccessOption, fileAccessFrom, type FileAccessCliOptions } from '../file-access.js';
import { writeReport } from '../terminal.js';
import { addInputOptions, inputFrom, INPUT_FLAGS, reportUsage, UsageError, type InputCliOptions } from './input.js';

interface DiffCliOptions extends InputCliOptions, FileAccessCliOptions {
  readonly format: 'text' | 'markdown' | 'json' | 'html';
  readonly docsUrl?: string;
  readonly failOn: 'breaking' | 'any' | 'none';
  readonly output?: string;
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  const command = program
    .command('diff')
    .description('compare two schemas (source, YAML, introspection, qmp-schema.json, or a live QEMU) and classify every change for clients')
    .argument('<old>', 'the old schema file')
    .argument('[new]', `the new schema file (or one of ${INPUT_FLAGS})`)
    .argument('[qemuArgs...]', 'arguments for the --from-qemu binary (after --)');
  addFileAccessOption(addInputOptions(command))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json', 'html']).default('text'))
    .addOption(
      new Option('--fail-on <what>', 'exit with status 1 when there are breaking changes, any change, or never')
        .choices(['breaking', 'any', 'none'])
        .default('none'),
    )
    .option('-o, --output <file>', 'write the report here instead of stdout')
    .option('--docs-url <url>', "with --format html: the newer schema's reference site (qmp-ts docs), to link each change's definition")
    .action(async (oldFile: string, newFile: string | undefined, qemuArgs: string[], opts: DiffCliOptions) => {
      let newSide: TargetInput;
      try {
        newSide = newInput(newFile, qemuArgs, opts);
      } catch (e) {
        return reportUsage(command)(e);
      }
      // Loaded here so that registering the command costs nothing.
      const [{ loadSchema }, { loadTarget }, { diffSchemas, formatDiff, exitStatus }, { writeFileSync }] = await Promise.all([
        import('../../generator/load.js'),
        import('../../generator/generate.js'),
        import('../../tools/diff/index.js'),
        import('node:fs'),
      ]);
      const newSchema = await loadTarget({ ...newSide, output: '', ...fileAccessFrom(opts) });
      const d = diffSchemas(loadSchema(oldFile, fileAccessFrom(opts)), newSchema);
      const text = opts.format === 'html' ? await htmlReport(d, newSchema, opts.docsUrl) : formatDiff(d, opts.format);
      if (opts.output !== undefined) writeFileSync(opts.output, text);
      else writeReport(text, opts.format === 'json' ? 'json' : 'text');
      setExit(exitStatus(d, opts.failOn));
    });
};

/**
 * The new side: the file argument, or the one input flag. With --from-qemu, what follows
 * the old file (after `--`) is the binary's arguments, not a new file.
 */
function newInput(newFile: string | undefined, qemuArgs: readonly string[], opts: DiffCliOptions): TargetInput {
  const fromQemu = opts.fromQemu !== undefined;
  const flagged = inputFrom(opts, newFile !== undefined && fromQemu ? [newFile, ...qemuArgs] : qemuArgs);
  const file = newFile !== undefined && !fromQemu ? { schema: newFile } : undefined;
  if (flagged && file) throw new UsageError(`give the new schema as a file or one of ${INPUT_FLAGS}, not both`);
  const input = flagged ?? file;
  if (!input) throw new UsageError(`give the new schema as a file or one of ${INPUT_FLAGS}`);
  return input;
}

/** The HTML report, linking into the newer schema's site when `docsUrl` is given. */
async function htmlReport(d: SchemaDiff, newSchema: Schema, docsUrl: string | undefined): Promise<string> {
  const [{ formatHtml }, { SitePaths }] = await Promise.all([import('../../tools/diff/html.js'), import('../../tools/docs/links.js')]);
  if (docsUrl === undefined) return formatHtml(d);
  const kindOf = (name: string): 'command' | 'event' | undefined =>
    newSchema.commands.has(name) ? 'command' : newSchema.events.has(name) ? 'event' : undefined;
  return formatHtml(d, { docsUrl, paths: new SitePaths(newSchema), kindOf });
}
