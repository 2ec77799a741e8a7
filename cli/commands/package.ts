/**
 * `qmp-ts package --schema FILE --name @scope/qemu-qmp --version X --out DIR`: a complete
 * npm package of typed bindings (compiled ESM + declarations, README from the schema, the
 * schema's hash and source recorded). `--runtime dependency` depends on @qmp-ts/runtime instead of
 * bundling the runtime.
 */
import { Option, type Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';
import { addFileAccessOption, fileAccessFrom, type FileAccessCliOptions } from '../file-access.js';
import { addSelectionOptions, selectionFrom, reportUnmatchedFlags, type SelectionCliOptions } from './selection.js';
import { writeError } from '../terminal.js';

interface PackageCliOptions extends SelectionCliOptions, FileAccessCliOptions {
  readonly schema?: string;
  readonly fromQemu?: string;
  readonly name: string;
  readonly version: string;
  readonly out: string;
  readonly runtime: 'bundled' | 'dependency';
  readonly client?: string;
  readonly license?: string;
  readonly description?: string;
  readonly docs?: string;
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  const command = addSelectionOptions(
    addFileAccessOption(program.command('package'))
      .description('write a complete npm package of typed bindings for a schema')
      .option('--schema <file>', 'QAPI source, YAML or query-qmp-schema JSON (format detected)')
      .option('--from-qemu <binary>', 'start this QEMU binary and package its schema (arguments after --)')
      .requiredOption('--name <name>', 'npm package name, e.g. @scope/qemu-qmp')
      .requiredOption('--version <version>', 'package version (semver)')
      .requiredOption('-o, --out <dir>', 'output directory (created; only a previous package is replaced)')
      .addOption(new Option('--runtime <mode>', 'bundle the runtime, or depend on @qmp-ts/runtime').choices(['bundled', 'dependency']).default('bundled'))
      .option('--client <name>', 'name of the client class (default QmpApi)')
      .option('--license <spdx>', 'license field (default GPL-2.0-or-later, like QEMU whose docs it carries)')
      .option('--description <text>', 'description field')
      .option('--docs <schema>', 'QAPI source schema of the same release: its docs for an introspected schema'),
  );
  command
    .argument('[qemuArgs...]', 'arguments for the --from-qemu binary (after --)')
    .action(async (qemuArgs: string[], opts: PackageCliOptions) => {
      if ((opts.schema === undefined) === (opts.fromQemu === undefined)) throw new Error('give exactly one of --schema FILE or --from-qemu BINARY');
      const [{ buildPackage }, { loadTargetWithDocs }, { coverageLine }] = await Promise.all([
        import('../../tools/package/build.js'),
        import('../../generator/generate.js'),
        import('../../generator/model/docs/attach.js'),
      ]);
      const input = opts.fromQemu !== undefined ? { fromQemu: { binary: opts.fromQemu, args: qemuArgs } } : { schema: opts.schema! };
      const { schema, docs } = await loadTargetWithDocs({ ...input, ...(opts.docs !== undefined ? { docs: opts.docs } : {}), ...fileAccessFrom(opts) });
      if (docs) writeError(`${opts.out}: ${coverageLine(docs.coverage, docs.source)}\n`);
      const r = await buildPackage(schema, {
        name: opts.name,
        version: opts.version,
        out: opts.out,
        runtime: opts.runtime,
        ...(opts.client !== undefined ? { client: opts.client } : {}),
        ...selectionFrom(opts),
        ...(opts.license !== undefined ? { license: opts.license } : {}),
        ...(opts.description !== undefined ? { description: opts.description } : {}),
      }).catch(reportUnmatchedFlags(command));
      writeError(`${opts.out}: ${opts.name}@${opts.version}, ${r.commands} commands, ${r.events} events, ${r.files.length} files\n`);
      setExit(0);
    });
};
