/**
 * `qmp-ts docs`: a static reference site for a schema (tools/docs/), from the same inputs
 * and selection flags as `generate`:
 *
 *   qmp-ts docs --schema qapi/qapi-schema.json --out site
 *   qmp-ts docs --introspection captured.json --docs qemu/qapi/qapi-schema.json --out site
 *   qmp-ts docs --from-qemu qemu-system-x86_64 --out site -- -accel tcg
 *   qmp-ts docs --release 7.2=qemu-7.2/qapi/qapi-schema.json --release 10.2=qemu-10.2/qapi/qapi-schema.json --out site
 *   qmp-ts docs [--config qmp-ts.config.yaml]     # every target with a `site:` folder
 */
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';
import { writeError } from '../terminal.js';
import type { GenerateTarget, TargetInput } from '../../generator/config.js';
import { QapiError } from '../../generator/diagnostics.js';
import type { LoadedTarget } from '../../generator/generate.js';
import type { ReleaseAvailability } from '../../tools/docs/pages.js';
import { addSelectionOptions, reportUnmatchedFlags, selectionFrom, type SelectionCliOptions } from './selection.js';
import { defaultConfigFile } from './generate.js';
import { UsageError } from './input.js';

interface DocsCliOptions extends SelectionCliOptions {
  readonly schema?: string;
  readonly introspection?: string;
  readonly fromQemu?: string;
  readonly docs?: string;
  readonly out?: string;
  readonly config?: string;
  readonly title?: string;
  readonly bigint?: boolean;
  readonly release?: readonly string[];
}

/** The targets to document and their site folders; a usage error as a message. */
async function sitesFrom(opts: DocsCliOptions, qemuArgs: readonly string[]): Promise<(GenerateTarget & { site: string })[] | string> {
  const inputs: TargetInput[] = [];
  if (opts.schema !== undefined) inputs.push({ schema: resolve(opts.schema) });
  if (opts.introspection !== undefined) inputs.push({ introspection: resolve(opts.introspection) });
  if (opts.fromQemu !== undefined) inputs.push({ fromQemu: { binary: opts.fromQemu, args: qemuArgs } });
  if (opts.release !== undefined) {
    const { releasesFromFlags } = await import('../../generator/releases.js');
    const input = await releasesFromFlags(opts.release, (message) => {
      throw new UsageError(message);
    }).catch((e: unknown) => (e instanceof UsageError ? e.message : Promise.reject(e)));
    if (typeof input === 'string') return input;
    if (opts.docs !== undefined) return '--docs is not supported with --release (each release is documented by its own schema)';
    inputs.push(input);
  }
  if (inputs.length > 1) return 'give only one of --schema, --introspection, --from-qemu, --release';
  const settings = {
    ...(opts.docs !== undefined ? { docs: resolve(opts.docs) } : {}),
    ...(opts.bigint ? { bigint: true } : {}),
    ...selectionFrom(opts),
  };
  if (inputs.length === 1) {
    if (opts.config !== undefined) return 'give either --config or a schema input, not both';
    if (opts.out === undefined) return '--out DIR is required with --schema, --introspection, --from-qemu or --release';
    const out = resolve(opts.out);
    return [{ ...inputs[0]!, output: out, site: out, ...settings }];
  }
  const { readConfig } = await import('../../generator/config.js');
  const file = opts.config ?? defaultConfigFile();
  const targets = readConfig(file)
    .map((t) => ({ ...t, ...settings }))
    .filter((t): t is GenerateTarget & { site: string } => t.site !== undefined);
  if (opts.out !== undefined) return '--out needs --schema, --introspection or --from-qemu (a config target names its folder with `site:`)';
  if (targets.length === 0) return `${file}: no target has a 'site:' folder to write the reference site to`;
  return targets;
}

/** A target's schema: one input's (with its docs), or a release set's newest with the releases of each part. */
async function loadSite(t: GenerateTarget): Promise<LoadedTarget & { releases?: ReleaseAvailability }> {
  const { loadTargetWithDocs, readTarget } = await import('../../generator/generate.js');
  if (!('releases' in t)) return loadTargetWithDocs(t);
  if (t.docs !== undefined) throw new QapiError({ file: t.output }, "'docs' is not supported with 'releases' (each release is documented by its own schema)");
  const [{ loadReleases }, { releaseSite }] = await Promise.all([import('../../generator/releases.js'), import('../../tools/docs/releases.js')]);
  return releaseSite(await loadReleases(t, (input) => readTarget({ ...input, ...(t.allowOutsideIncludes ? { allowOutsideIncludes: true } : {}) })));
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  const command = program.command('docs');
  addSelectionOptions(command)
    .description('write a static reference site (HTML, search, no server) for a schema')
    .option('--schema <file>', 'QAPI schema source or YAML (format detected)')
    .option('--introspection <file>', 'query-qmp-schema output (JSON)')
    .option('--from-qemu <binary>', 'start this qemu-system-* or qemu-storage-daemon and ask its schema (arguments after --)')
    .option('--docs <schema>', 'QAPI source schema of the same release: its docs for --introspection or --from-qemu')
    .option('-o, --out <dir>', 'the site folder')
    .option('--config <file>', 'YAML configuration: every target with a `site:` folder (default: ./qmp-ts.config.yaml)')
    .option('--title <text>', 'the site title (default: QMP reference)')
    .option('--bigint', 'show 64-bit integer types as bigint, as bindings generated with --bigint')
    .option('--release <label=file>', 'one release of a release set (repeat): the newest one\'s schema, with the releases having each part', (v: string, prev: string[] = []) => [...prev, v])
    .argument('[qemuArgs...]', 'arguments for the --from-qemu binary (after --)')
    .action(async (qemuArgs: string[], opts: DocsCliOptions) => {
      const targets = await sitesFrom(opts, qemuArgs);
      if (typeof targets === 'string') return command.error(`error: ${targets}`, { exitCode: 2 });
      const { writeSite } = await import('../../tools/docs/site.js');
      for (const t of targets) {
        const { schema, docs, releases } = await loadSite(t);
        // the doc source's chapters order the index of an introspected schema
        const docSource = docs?.sourceSchema;
        const r = await writeSite(schema, {
          ...(releases ? { releases } : {}),
          out: t.site,
          ...(t.commands ? { commands: t.commands } : {}),
          ...(t.events ? { events: t.events } : {}),
          ...(opts.title !== undefined ? { title: opts.title } : {}),
          ...(t.bigint ? { bigint: true } : {}),
          ...(docSource ? { docSource } : {}),
        }).catch(reportUnmatchedFlags(command));
        const out = relative(process.cwd(), t.site) || '.';
        writeError(`${out}: ${r.commands} commands, ${r.events} events, ${r.types} types; ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB\n`);
      }
      setExit(0);
    });
};
