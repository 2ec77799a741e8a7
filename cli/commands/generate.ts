/**
 * `qmp-ts generate`: typed bindings from a schema.
 *
 *   qmp-ts generate --schema qapi/qapi-schema.json --out src/qmp
 *   qmp-ts generate --introspection captured.json --out src/qmp
 *   qmp-ts generate --introspection captured.json --docs qemu/qapi/qapi-schema.json --out src/qmp
 *   qmp-ts generate --from-qemu qemu-system-x86_64 --out src/qmp -- -accel tcg
 *   qmp-ts generate --config qmp-ts.config.yaml
 *   qmp-ts generate [--check]        # ./qmp-ts.config.yaml, else this package's generated/
 *   qmp-ts generate --plugin ./since.js --check-types   # plugins (generator/plugins/), then a type check in memory
 *
 * `--check` writes nothing and exits 1 listing the files that would change.
 * The generator is imported only when the command runs; prettier only for `--format prettier`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';
import type { GenerateTarget, OutputFormat, TargetInput } from '../../generator/config.js';
import { addFileAccessOption, fileAccessFrom, type FileAccessCliOptions } from '../file-access.js';
import { resolvePluginSpec } from '../../generator/plugins/spec.js';
import { addSelectionOptions, selectionFrom, reportUnmatchedFlags, type SelectionCliOptions } from './selection.js';
import { addInputOptions, inputFrom, INPUT_FLAGS, reportUsage, UsageError, type InputCliOptions } from './input.js';
import { writeError } from '../terminal.js';

interface GenerateCliOptions extends SelectionCliOptions, InputCliOptions, FileAccessCliOptions {
  readonly release?: readonly string[];
  readonly out?: string;
  readonly config?: string;
  readonly check?: boolean;
  readonly runtime?: string;
  readonly layout?: 'single' | 'modules';
  readonly client?: string;
  readonly watch?: boolean;
  readonly validators?: boolean;
  readonly testing?: boolean;
  readonly bigint?: boolean;
  readonly jsonSchema?: string;
  readonly docs?: string;
  readonly format?: OutputFormat;
  readonly importExtension?: '.js' | '.ts';
  readonly plugin: string[];
  readonly checkTypes?: boolean;
  readonly verbose?: boolean;
}

export const CONFIG_FILE_NAME = 'qmp-ts.config.yaml';

/** The config used without arguments: the working directory's, else this package's own. */
export function defaultConfigFile(cwd = process.cwd()): string {
  const local = join(cwd, CONFIG_FILE_NAME);
  if (existsSync(local)) return local;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, CONFIG_FILE_NAME)) && existsSync(join(dir, 'package.json'))) return join(dir, CONFIG_FILE_NAME);
  }
  return local;
}

function parseLayout(v: string): 'single' | 'modules' {
  if (v !== 'single' && v !== 'modules') throw new InvalidArgumentError("expected 'single' or 'modules'");
  return v;
}

function parseImportExtension(v: string): '.js' | '.ts' {
  if (v === 'js' || v === '.js') return '.js';
  if (v === 'ts' || v === '.ts') return '.ts';
  throw new InvalidArgumentError("expected 'js' or 'ts'");
}

function parseFormat(v: string): OutputFormat {
  if (v !== 'default' && v !== 'prettier') throw new InvalidArgumentError("expected 'default' or 'prettier'");
  return v;
}

async function targetsFrom(opts: GenerateCliOptions, qemuArgs: readonly string[]): Promise<GenerateTarget[]> {
  const single = inputFrom(opts, qemuArgs, resolve);
  if (single && opts.release !== undefined) throw new UsageError(`give only one of ${INPUT_FLAGS}, --release`);
  const input = opts.release !== undefined ? await releasesFrom(opts.release) : single;
  const settings = {
    ...(opts.runtime !== undefined ? { runtime: opts.runtime } : {}),
    ...(opts.layout !== undefined ? { layout: opts.layout } : {}),
    ...(opts.client !== undefined ? { client: opts.client } : {}),
    ...(opts.validators === false ? { validators: false } : {}),
    ...(opts.testing === false ? { testing: false } : {}),
    ...(opts.bigint ? { bigint: true } : {}),
    ...(opts.jsonSchema !== undefined ? { jsonSchema: resolve(opts.jsonSchema) } : {}),
    ...(opts.docs !== undefined ? { docs: resolve(opts.docs) } : {}),
    // the flags replace a config target's filter of the same list
    ...selectionFrom(opts),
    ...(opts.format !== undefined ? { format: opts.format } : {}),
    ...fileAccessFrom(opts),
    ...(opts.importExtension !== undefined ? { importExtension: opts.importExtension } : {}),
    // module paths relative to the working directory; like the other flags, they replace the config's list
    ...(opts.plugin.length > 0 ? { plugins: opts.plugin.map((m) => resolvePluginSpec(m, process.cwd())) } : {}),
  };
  if (input) {
    if (opts.config !== undefined) throw new UsageError('give either --config or a schema input, not both');
    if (opts.out === undefined) throw new UsageError(`--out DIR is required with ${INPUT_FLAGS} or --release`);
    return [{ ...input, output: resolve(opts.out), ...settings }];
  }
  if (opts.out !== undefined) throw new UsageError(`--out needs ${INPUT_FLAGS}`);
  const { readConfig } = await import('../../generator/config.js');
  return readConfig(opts.config ?? defaultConfigFile()).map((t) => ({ ...t, ...settings }));
}

/** `--verbose`: a plugin's error also shows the stack of what it threw (the message alone otherwise, as for every error). */
function verbosePluginErrors(verbose: boolean): (e: unknown) => never {
  return (e) => {
    if (verbose && e instanceof Error && e.name === 'PluginError' && e.cause instanceof Error && e.cause.stack) {
      writeError(`${e.cause.stack}\n`);
    }
    throw e;
  };
}

/** `--release LABEL=FILE`, repeated (generator/releases.ts). */
async function releasesFrom(list: readonly string[]): Promise<TargetInput> {
  const { releasesFromFlags } = await import('../../generator/releases.js');
  return releasesFromFlags(list, (message) => {
    throw new UsageError(message);
  });
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  const command = program.command('generate');
  addFileAccessOption(addInputOptions(addSelectionOptions(command)))
    .description('generate typed TypeScript bindings (types, command and event maps, client) from a schema')
    .option('--release <label=file>', 'one release of a release set (repeat): LABEL is MAJOR.MINOR, FILE any schema input (format detected)', (v: string, prev: string[] = []) => [...prev, v])
    .option('-o, --out <dir>', 'output directory')
    .option('--config <file>', `YAML configuration (default: ./${CONFIG_FILE_NAME}, else the package's own)`)
    .option('--runtime <specifier>', "how generated code imports the runtime (package name, or a path relative to the output directory)")
    .option('--layout <layout>', "'single' (one types.ts) or 'modules' (types/<module>.ts; the default for multi-file schemas)", parseLayout)
    .option('--client <name>', 'name of the generated client class (default QmpApi)')
    .option('--no-validators', 'do not emit validators.ts (the client then validates nothing by default)')
    .option('--no-testing', 'do not emit testing.ts (the typed FakeQemu for tests)')
    .option('--bigint', "64-bit integer types (int, int64, uint64, size) as bigint; the client reads them exactly")
    .option('--docs <schema>', 'QAPI source schema of the same release: its docs for bindings from --introspection or --from-qemu')
    .option('--json-schema <dir>', 'also write JSON Schema (draft 2020-12) for every command and event, strict and lenient, into DIR')
    .option('--format <style>', "'default' (the generator's own style) or 'prettier' (formatted with the output project's prettier configuration)", parseFormat)
    .option('--import-extension <ext>', "imports between generated files end in 'js' (default: tsc's NodeNext, Node, Bun) or 'ts' (deno run without --sloppy-imports)", parseImportExtension)
    .option('--plugin <module>', 'run this plugin on the emitted files (a ts-morph Project) before writing; repeatable, in order; replaces the config\'s plugins', (m: string, list: string[]) => [...list, m], [] as string[])
    .option('--check-types', 'type-check the emitted files (after plugins) in memory before writing; exit 1 with the first error')
    .option('--verbose', 'with an error from a plugin, also print the stack of what it threw')
    .option('--check', 'write nothing; exit 1 listing the files that would change')
    .option('--watch', 'regenerate whenever a schema file (includes too) or the config changes; Ctrl-C stops')
    .argument('[qemuArgs...]', 'arguments for the --from-qemu binary (after --)')
    .action(async (qemuArgs: string[], opts: GenerateCliOptions) => {
      if (opts.watch) {
        // tools/watch.ts: re-reads the config and schemas on every change.
        const { watchGenerate } = await import('../../tools/watch.js');
        const fromInput = inputFrom(opts, qemuArgs) !== undefined || opts.release !== undefined;
        const configFile = fromInput ? undefined : (opts.config ?? defaultConfigFile());
        const stop = new AbortController();
        process.once('SIGINT', () => stop.abort());
        await watchGenerate({ targets: () => targetsFrom(opts, qemuArgs), ...(configFile ? { configFile } : {}), signal: stop.signal });
        return setExit(0);
      }
      const targets = await targetsFrom(opts, qemuArgs).catch(reportUsage(command));
      const [{ generate }, { coverageLine }] = await Promise.all([import('../../generator/generate.js'), import('../../generator/model/docs/attach.js')]);
      const results = await generate(targets, { check: opts.check ?? false, ...(opts.checkTypes ? { checkTypes: true } : {}) })
        .catch(verbosePluginErrors(opts.verbose ?? false))
        .catch(reportUnmatchedFlags(command));
      const show = (p: string): string => relative(process.cwd(), p) || '.';
      let dirty = 0;
      for (const r of results) {
        const out = show(r.output);
        if (r.docs) writeError(`${out}: ${coverageLine(r.docs.coverage, show(r.docs.source))}\n`);
        if (opts.check) {
          for (const f of r.changed) writeError(`${join(out, f)}: would change\n`);
          for (const f of r.removed) writeError(`${join(out, f)}: would be removed\n`);
          dirty += r.changed.length + r.removed.length;
        } else {
          writeError(
            `${out}: ${r.changed.length} written, ${r.unchanged} unchanged${r.removed.length ? `, ${r.removed.length} removed` : ''}\n`,
          );
        }
      }
      if (opts.check && dirty > 0) {
        writeError(`qmp-ts generate --check: ${dirty} file(s) out of date; run 'qmp-ts generate' to update them\n`);
      }
      setExit(opts.check && dirty > 0 ? 1 : 0);
    });
};
