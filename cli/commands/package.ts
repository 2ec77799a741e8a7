/**
 * `qmp-ts package --schema FILE --name @scope/qemu-qmp --version X --out DIR`: a complete
 * npm package of typed bindings (compiled ESM + declarations, README from the schema, the
 * schema's hash and source recorded). `--runtime dependency` depends on @qmp-ts/runtime instead of
 * bundling the runtime.
 */
import { Option, type Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';
import { addFileAccessOption, fileAccessFrom, type FileAccessCliOptions } from '../file-access.js';
import { resolvePluginSpec } from '../../generator/plugins/spec.js';
import { addSelectionOptions, selectionFrom, reportUnmatchedFlags, type SelectionCliOptions } from './selection.js';
import { addInputOptions, inputFrom, INPUT_FLAGS, reportUsage, requireInput, UsageError, type InputCliOptions } from './input.js';
import { writeError } from '../terminal.js';

interface PackageCliOptions extends SelectionCliOptions, InputCliOptions, FileAccessCliOptions {
  readonly release?: readonly string[];
  readonly name: string;
  readonly version: string;
  readonly out: string;
  readonly runtime: 'bundled' | 'dependency';
  readonly client?: string;
  readonly license?: string;
  readonly description?: string;
  readonly docs?: string;
  readonly site?: boolean;
  readonly plugin: string[];
}

/** A release set from `--release LABEL=FILE` (format detected per file), packaged whole. */
async function packageReleases(opts: PackageCliOptions) {
  const [{ buildReleasePackage }, { loadReleases, releasesFromFlags }, { readTarget }] = await Promise.all([
    import('../../tools/package/releases.js'),
    import('../../generator/releases.js'),
    import('../../generator/generate.js'),
  ]);
  const input = await releasesFromFlags(opts.release ?? [], (message) => {
    throw new Error(message);
  });
  const set = await loadReleases(input, readTarget);
  return buildReleasePackage(set, {
    name: opts.name,
    version: opts.version,
    out: opts.out,
    runtime: opts.runtime,
    ...(opts.client !== undefined ? { client: opts.client } : {}),
    ...(opts.license !== undefined ? { license: opts.license } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    ...(opts.site ? { site: true } : {}),
  });
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  const command = addFileAccessOption(addInputOptions(addSelectionOptions(
    program
      .command('package')
      .description('write a complete npm package of typed bindings for a schema')
      .option('--release <label=file>', 'one release of a release set (repeat): one package for several QEMU releases', (v: string, prev: string[] = []) => [...prev, v])
      .requiredOption('--name <name>', 'npm package name, e.g. @scope/qemu-qmp')
      .requiredOption('--version <version>', 'package version (semver)')
      .requiredOption('-o, --out <dir>', 'output directory (created; only a previous package is replaced)')
      .addOption(new Option('--runtime <mode>', 'bundle the runtime, or depend on @qmp-ts/runtime').choices(['bundled', 'dependency']).default('bundled'))
      .option('--client <name>', 'name of the client class (default QmpApi)')
      .option('--license <spdx>', 'license field (default GPL-2.0-or-later, like QEMU whose docs it carries)')
      .option('--description <text>', 'description field')
      .option('--docs <schema>', 'QAPI source schema of the same release: its docs for an introspected schema')
      // not `--docs`: that names the doc source, as in `generate`
      .option('--site', 'also put the reference site (as `qmp-ts docs` writes it) in the package, in docs/')
      .option('--plugin <module>', 'run this plugin on the generated files before compiling (as generate --plugin); repeatable', (m: string, list: string[]) => [...list, m], [] as string[]),
  )));
  command
    .argument('[qemuArgs...]', 'arguments for the --from-qemu binary (after --)')
    .action(async (qemuArgs: string[], opts: PackageCliOptions) => {
      if (opts.release !== undefined) {
        if (inputFrom(opts, qemuArgs) !== undefined) return reportUsage(command)(new UsageError(`give --release or one of ${INPUT_FLAGS}, not both`));
        const r = await packageReleases(opts);
        writeError(`${opts.out}: ${opts.name}@${opts.version}, ${r.commands} commands, ${r.events} events, ${r.files.length} files\n`);
        return setExit(0);
      }
      const input = requireInput(command, opts, qemuArgs);
      const [{ buildPackage }, { loadTargetWithDocs }, { coverageLine }] = await Promise.all([
        import('../../tools/package/build.js'),
        import('../../generator/generate.js'),
        import('../../generator/model/docs/attach.js'),
      ]);
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
        ...(opts.site ? { site: true } : {}),
        ...(opts.site && docs?.sourceSchema ? { docSource: docs.sourceSchema } : {}),
        ...(opts.plugin.length > 0 ? { plugins: opts.plugin.map((m) => resolvePluginSpec(m, process.cwd())) } : {}),
      }).catch(reportUnmatchedFlags(command));
      writeError(`${opts.out}: ${opts.name}@${opts.version}, ${r.commands} commands, ${r.events} events, ${r.files.length} files\n`);
      setExit(0);
    });
};
