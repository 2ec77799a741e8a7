/**
 * `qmp-ts generate`: typed bindings from a schema.
 *
 *   qmp-ts generate --schema qapi/qapi-schema.json --out src/qmp
 *   qmp-ts generate --introspection captured.json --out src/qmp
 *   qmp-ts generate --introspection captured.json --docs qemu/qapi/qapi-schema.json --out src/qmp
 *   qmp-ts generate --from-qemu qemu-system-x86_64 --out src/qmp -- -accel tcg
 *   qmp-ts generate --config qmp-ts.config.yaml
 *   qmp-ts generate [--check]        # ./qmp-ts.config.yaml, else this package's generated/
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
import { addSelectionOptions, selectionFrom, reportUnmatchedFlags, type SelectionCliOptions } from './selection.js';
import { writeError } from '../terminal.js';

interface GenerateCliOptions extends SelectionCliOptions, FileAccessCliOptions {
  readonly schema?: string;
  readonly introspection?: string;
  readonly fromQemu?: string;
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
}

export const CONFIG_FILE_NAME = 'qmp-ts.config.yaml';

/** A wrong combination of options: exit status 2, like commander's own usage errors. */
class UsageError extends Error {}

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

function parseFormat(v: string): OutputFormat {
  if (v !== 'default' && v !== 'prettier') throw new InvalidArgumentError("expected 'default' or 'prettier'");
  return v;
}

async function targetsFrom(opts: GenerateCliOptions, qemuArgs: readonly string[]): Promise<GenerateTarget[]> {
  const inputs: TargetInput[] = [];
  if (opts.schema !== undefined) inputs.push({ schema: resolve(opts.schema) });
  if (opts.introspection !== undefined) inputs.push({ introspection: resolve(opts.introspection) });
  if (opts.fromQemu !== undefined) inputs.push({ fromQemu: { binary: opts.fromQemu, args: qemuArgs } });
  if (inputs.length > 1) throw new UsageError('give only one of --schema, --introspection, --from-qemu');
  if (qemuArgs.length > 0 && opts.fromQemu === undefined) throw new UsageError(`unexpected arguments: ${qemuArgs.join(' ')} (QEMU arguments go after --from-qemu BINARY --)`);
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
  };
  if (inputs.length === 1) {
    if (opts.config !== undefined) throw new UsageError('give either --config or a schema input, not both');
    if (opts.out === undefined) throw new UsageError('--out DIR is required with --schema, --introspection or --from-qemu');
    return [{ ...inputs[0]!, output: resolve(opts.out), ...settings }];
  }
  if (opts.out !== undefined) throw new UsageError('--out needs --schema, --introspection or --from-qemu');
  const { readConfig } = await import('../../generator/config.js');
  return readConfig(opts.config ?? defaultConfigFile()).map((t) => ({ ...t, ...settings }));
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  const command = program.command('generate');
  addSelectionOptions(addFileAccessOption(command))
    .description('generate typed TypeScript bindings (types, command and event maps, client) from a schema')
    .option('--schema <file>', 'QAPI schema source or YAML (format detected)')
    .option('--introspection <file>', 'query-qmp-schema output (JSON)')
    .option('--from-qemu <binary>', 'start this qemu-system-* or qemu-storage-daemon and ask its schema (arguments after --)')
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
    .option('--check', 'write nothing; exit 1 listing the files that would change')
    .option('--watch', 'regenerate whenever a schema file (includes too) or the config changes; Ctrl-C stops')
    .argument('[qemuArgs...]', 'arguments for the --from-qemu binary (after --)')
    .action(async (qemuArgs: string[], opts: GenerateCliOptions) => {
      if (opts.watch) {
        // tools/watch.ts: re-reads the config and schemas on every change.
        const { watchGenerate } = await import('../../tools/watch.js');
        const fromInput = opts.schema !== undefined || opts.introspection !== undefined || opts.fromQemu !== undefined;
        const configFile = fromInput ? undefined : (opts.config ?? defaultConfigFile());
        const stop = new AbortController();
        process.once('SIGINT', () => stop.abort());
        await watchGenerate({ targets: () => targetsFrom(opts, qemuArgs), ...(configFile ? { configFile } : {}), signal: stop.signal });
        return setExit(0);
      }
      const targets = await targetsFrom(opts, qemuArgs).catch((e: unknown) => {
        if (e instanceof UsageError) command.error(`error: ${e.message}`, { exitCode: 2 });
        throw e;
      });
      const [{ generate }, { coverageLine }] = await Promise.all([import('../../generator/generate.js'), import('../../generator/model/docs/attach.js')]);
      const results = await generate(targets, { check: opts.check ?? false }).catch(reportUnmatchedFlags(command));
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
