/**
 * `qmp-ts diff OLD NEW`: what changed between two schemas (QAPI source, YAML or
 * introspection, in any combination) and whether it breaks existing clients.
 * `--fail-on` turns the verdict into the exit status for CI.
 */
import { Option, type Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';
import { addFileAccessOption, fileAccessFrom, type FileAccessCliOptions } from '../file-access.js';
import { writeReport } from '../terminal.js';
import type { Schema } from '../../generator/model/types.js';
import type { SchemaDiff } from '../../tools/diff/types.js';

interface DiffCliOptions extends FileAccessCliOptions {
  readonly format: 'text' | 'markdown' | 'json' | 'html';
  readonly docsUrl?: string;
  readonly failOn: 'breaking' | 'any' | 'none';
  readonly output?: string;
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  addFileAccessOption(program.command('diff'))
    .description('compare two schemas (source, YAML or introspection) and classify every change for clients')
    .argument('<old>', 'the old schema file')
    .argument('<new>', 'the new schema file')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json', 'html']).default('text'))
    .addOption(
      new Option('--fail-on <what>', 'exit with status 1 when there are breaking changes, any change, or never')
        .choices(['breaking', 'any', 'none'])
        .default('none'),
    )
    .option('-o, --output <file>', 'write the report here instead of stdout')
    .option('--docs-url <url>', "with --format html: the newer schema's reference site (qmp-ts docs), to link each change's definition")
    .action(async (oldFile: string, newFile: string, opts: DiffCliOptions) => {
      // Loaded here so that registering the command costs nothing.
      const [{ loadSchema }, { diffSchemas, formatDiff, exitStatus }, { writeFileSync }] = await Promise.all([
        import('../../generator/load.js'),
        import('../../tools/diff/index.js'),
        import('node:fs'),
      ]);
      const newSchema = loadSchema(newFile, fileAccessFrom(opts));
      const d = diffSchemas(loadSchema(oldFile, fileAccessFrom(opts)), newSchema);
      const text = opts.format === 'html' ? await htmlReport(d, newSchema, opts.docsUrl) : formatDiff(d, opts.format);
      if (opts.output !== undefined) writeFileSync(opts.output, text);
      else writeReport(text, opts.format === 'json' ? 'json' : 'text');
      setExit(exitStatus(d, opts.failOn));
    });
};

/** The HTML report, linking into the newer schema's site when `docsUrl` is given. */
async function htmlReport(d: SchemaDiff, newSchema: Schema, docsUrl: string | undefined): Promise<string> {
  const [{ formatHtml }, { SitePaths }] = await Promise.all([import('../../tools/diff/html.js'), import('../../tools/docs/links.js')]);
  if (docsUrl === undefined) return formatHtml(d);
  const kindOf = (name: string): 'command' | 'event' | undefined =>
    newSchema.commands.has(name) ? 'command' : newSchema.events.has(name) ? 'event' : undefined;
  return formatHtml(d, { docsUrl, paths: new SitePaths(newSchema), kindOf });
}
