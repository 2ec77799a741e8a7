/**
 * The `qmp-ts generate` configuration file (YAML). Either one target at the top level or a
 * list under `targets`:
 *
 * ```yaml
 * targets:
 *   - schema: ../qemu/qapi/qapi-schema.json   # QAPI source, YAML or introspection JSON
 *     output: src/qmp                         # relative to this file
 *     commands: { include: ['query-*', 'blockdev-*'], exclude: ['x-*'] }
 *     events: { exclude: ['VSERPORT_CHANGE'] }
 *     runtime: '@qmp-ts/runtime'               # or a path relative to `output`
 *     layout: modules                         # single | modules
 *     client: Qemu                            # name of the generated client class
 *     format: prettier                        # default (own style) | prettier (the project's config)
 *     site: docs/qmp                          # where `qmp-ts docs` writes the reference site
 *     plugins: [./qmp-plugins/since.js]       # ts-morph plugins, run in order (relative to this file)
 *   - introspection: captured.json
 *     docs: ../qemu/qapi/qapi-schema.json     # TSDoc from the same release's source
 *     output: src/qmp-captured
 *   - fromQemu: { binary: qemu-system-x86_64, args: ['-accel', 'tcg'] }
 *     output: src/qmp-live
 * ```
 *
 * Errors name the file and the key path. qmp-ts.config.schema.json states the same rules
 * as JSON Schema for editors; README.md ("Configuration") describes every key.
 */
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { QapiError } from './diagnostics.js';
import { parseRelease } from '@qmp-ts/runtime/internal';
import type { FileLayout } from './emit/index.js';
import type { NameFilter } from './emit/select.js';
import { DEFAULT_READ_LIMITS } from './read/limits.js';
import { FileReadError, readSchemaBytes } from './read/schema-file.js';
import type { PeerAddress } from './read/peer-address.js';
import type { QmpTsPlugin } from './plugins/types.js';
import { resolvePluginSpec } from './plugins/spec.js';

/** Where one schema comes from: exactly one of these. */
export type SingleInput =
  | { readonly schema: string }
  | { readonly introspection: string }
  | { readonly fromQemu: { readonly binary: string; readonly args?: readonly string[] } }
  /** A peer already running (the CLI's `--socket PATH` / `--tcp HOST:PORT`; not a config key). */
  | { readonly fromPeer: PeerAddress };

/**
 * Several releases of the schema, by label (`MAJOR.MINOR`, ordered numerically), each from
 * any single input: one binding set that covers them all (generator/releases.ts).
 */
export interface ReleasesInput {
  readonly releases: Readonly<Record<string, SingleInput>>;
}

/** Where a target's schema comes from: exactly one of these. */
export type TargetInput = SingleInput | ReleasesInput;

/** Everything about a target except its input. */
export interface TargetSettings {
  /** Output directory. */
  readonly output: string;
  /**
   * A QAPI source schema of the same release whose docs the bindings carry, matched by wire
   * name (for `introspection` and `fromQemu` input, which have none).
   */
  readonly docs?: string;
  readonly commands?: NameFilter;
  readonly events?: NameFilter;
  /** Runtime import specifier: a package name or a path relative to `output`. */
  readonly runtime?: string;
  readonly layout?: FileLayout;
  /** Name of the generated client class. */
  readonly client?: string;
  /** Emit the validator table (`validators.ts`) the client validates with (default true). */
  readonly validators?: boolean;
  /** Emit `testing.ts` (a typed FakeQemu for tests; needs the validator table; default true). */
  readonly testing?: boolean;
  /** 64-bit integer types as `bigint` in the bindings; the client reads them exactly. */
  readonly bigint?: boolean;
  /** Also write JSON Schema (draft 2020-12), strict and lenient, into this directory. */
  readonly jsonSchema?: string;
  /**
   * Where `qmp-ts docs` writes the target's reference site. Not `docs`: that key already
   * names the QAPI source whose doc text an introspected schema borrows.
   */
  readonly site?: string;
  /**
   * `default`: the generator's own fixed style (no formatter runs); `prettier`: that text
   * formatted by prettier with the prettier configuration of the output's project.
   */
  readonly format?: OutputFormat;
  /**
   * Read schema includes outside the schema's folder tree (the real path of the folder of
   * `schema`, `introspection` or `docs`, and below), and such a file that is a symlink
   * out of its folder. Default false: refused unread with a located error.
   */
  readonly allowOutsideIncludes?: boolean;
  /** Imports between generated files end in `.js` (default) or `.ts` (Deno without sloppy imports). */
  readonly importExtension?: '.js' | '.ts';
  /**
   * Plugins that change the emitted files through ts-morph, run in order (generator/plugins/):
   * module paths (in a config file relative to it), package names (resolved from the working
   * directory), or functions (API only).
   */
  readonly plugins?: readonly PluginSpec[];
}

/**
 * A plugin as given: a module path (relative to the config file in a config, else to the
 * working directory), a package name, or (API only) the function itself. A module's default
 * export is the plugin; without one, its export named `plugin` (generator/plugins/).
 */
export type PluginSpec = string | QmpTsPlugin<TargetSettings>;

export type OutputFormat = 'default' | 'prettier';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['default', 'prettier'];

export type GenerateTarget = TargetInput & TargetSettings;

type Json = { readonly [k: string]: unknown };

class ConfigReader {
  constructor(
    readonly file: string,
    readonly baseDir: string,
  ) {}

  fail(path: string, message: string): never {
    throw new QapiError({ file: this.file, path }, message);
  }

  object(v: unknown, path: string): Json {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'expected a mapping');
    return v as Json;
  }

  string(v: unknown, path: string): string {
    if (typeof v !== 'string' || v === '') this.fail(path, 'expected a non-empty string');
    return v;
  }

  strings(v: unknown, path: string): string[] {
    if (!Array.isArray(v)) this.fail(path, 'expected a list of strings');
    return v.map((x, i) => this.string(x, `${path}[${i}]`));
  }

  known(o: Json, path: string, keys: readonly string[]): void {
    for (const k of Object.keys(o)) {
      if (!keys.includes(k)) this.fail(`${path}.${k}`, `unknown key '${k}' (expected one of: ${keys.join(', ')})`);
    }
  }

  filter(v: unknown, path: string): NameFilter | undefined {
    if (v === undefined) return undefined;
    const o = this.object(v, path);
    this.known(o, path, ['include', 'exclude']);
    return {
      ...(o['include'] !== undefined ? { include: this.strings(o['include'], `${path}.include`) } : {}),
      ...(o['exclude'] !== undefined ? { exclude: this.strings(o['exclude'], `${path}.exclude`) } : {}),
      origin: { file: this.file, path },
    };
  }

  target(v: unknown, path: string): GenerateTarget {
    const o = this.object(v, path);
    this.known(o, path, ['schema', 'introspection', 'fromQemu', 'releases', 'output', 'commands', 'events', 'runtime', 'layout', 'client', 'validators', 'bigint', 'jsonSchema', 'docs', 'testing', 'format', 'allowOutsideIncludes', 'site', 'plugins']);
    const inputs = ['schema', 'introspection', 'fromQemu', 'releases'].filter((k) => o[k] !== undefined);
    if (inputs.length !== 1) this.fail(path, `give exactly one of 'schema', 'introspection', 'fromQemu', 'releases' (got ${inputs.length})`);
    const input: TargetInput = o['releases'] !== undefined ? this.releases(o['releases'], `${path}.releases`) : this.single(o, path);
    const layout = o['layout'];

    if (layout !== undefined && layout !== 'single' && layout !== 'modules') this.fail(`${path}.layout`, "expected 'single' or 'modules'");
    const format = o['format'];
    if (format !== undefined && !OUTPUT_FORMATS.includes(format as OutputFormat)) this.fail(`${path}.format`, "expected 'default' or 'prettier'");
    const commands = this.filter(o['commands'], `${path}.commands`);
    const events = this.filter(o['events'], `${path}.events`);
    return {
      ...input,
      output: resolve(this.baseDir, this.string(o['output'], `${path}.output`)),
      ...(o['docs'] !== undefined ? { docs: resolve(this.baseDir, this.string(o['docs'], `${path}.docs`)) } : {}),
      ...(commands ? { commands } : {}),
      ...(events ? { events } : {}),
      ...(o['runtime'] !== undefined ? { runtime: this.string(o['runtime'], `${path}.runtime`) } : {}),
      ...(layout !== undefined ? { layout } : {}),
      ...(format !== undefined ? { format: format as OutputFormat } : {}),
      ...(o['client'] !== undefined ? { client: this.string(o['client'], `${path}.client`) } : {}),
      ...(o['validators'] !== undefined ? { validators: this.boolean(o['validators'], `${path}.validators`) } : {}),
      ...(o['testing'] !== undefined ? { testing: this.boolean(o['testing'], `${path}.testing`) } : {}),
      ...(o['bigint'] !== undefined ? { bigint: this.boolean(o['bigint'], `${path}.bigint`) } : {}),
      ...(o['allowOutsideIncludes'] !== undefined ? { allowOutsideIncludes: this.boolean(o['allowOutsideIncludes'], `${path}.allowOutsideIncludes`) } : {}),
      ...(o['jsonSchema'] !== undefined ? { jsonSchema: resolve(this.baseDir, this.string(o['jsonSchema'], `${path}.jsonSchema`)) } : {}),
      ...(o['site'] !== undefined ? { site: resolve(this.baseDir, this.string(o['site'], `${path}.site`)) } : {}),
      ...(o['plugins'] !== undefined ? { plugins: this.strings(o['plugins'], `${path}.plugins`).map((m) => resolvePluginSpec(m, this.baseDir)) } : {}),
    };
  }

  /** One schema input: exactly one of `schema`, `introspection`, `fromQemu` in `o`. */
  single(o: Json, path: string): SingleInput {
    if (o['schema'] !== undefined) return { schema: resolve(this.baseDir, this.string(o['schema'], `${path}.schema`)) };
    if (o['introspection'] !== undefined) return { introspection: resolve(this.baseDir, this.string(o['introspection'], `${path}.introspection`)) };
    const q = this.object(o['fromQemu'], `${path}.fromQemu`);
    this.known(q, `${path}.fromQemu`, ['binary', 'args']);
    return {
      fromQemu: {
        binary: this.string(q['binary'], `${path}.fromQemu.binary`),
        ...(q['args'] !== undefined ? { args: this.strings(q['args'], `${path}.fromQemu.args`) } : {}),
      },
    };
  }

  /** `releases`: label -> one schema input. */
  releases(v: unknown, path: string): ReleasesInput {
    const o = this.object(v, path);
    const out: Record<string, SingleInput> = {};
    for (const [label, entry] of Object.entries(o)) {
      const at = `${path}['${label}']`;
      if (parseRelease(label) === undefined) this.fail(at, `release label '${label}' is not a version MAJOR.MINOR (e.g. '9.2'; quote it in YAML)`);
      const e = this.object(entry, at);
      this.known(e, at, ['schema', 'introspection', 'fromQemu']);
      const given = ['schema', 'introspection', 'fromQemu'].filter((k) => e[k] !== undefined);
      if (given.length !== 1) this.fail(at, `give exactly one of 'schema', 'introspection', 'fromQemu' (got ${given.length})`);
      out[label] = this.single(e, at);
    }
    if (Object.keys(out).length < 2) this.fail(path, 'a release set needs at least two releases');
    return { releases: out };
  }

  boolean(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') this.fail(path, 'expected true or false');
    return v;
  }
}

/** Reads a configuration file; relative paths in it are resolved against its directory. */
export function readConfig(file: string): GenerateTarget[] {
  let text: string;
  try {
    // the readers' own way: a regular file only, within their size limit
    text = readSchemaBytes(resolve(file), DEFAULT_READ_LIMITS.maxFileBytes, { file }).toString('utf8');
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    throw new QapiError({ file }, `can't read config file: ${(e.reason as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new QapiError({ file }, `invalid YAML: ${(e as Error).message}`);
  }
  return parseConfig(doc, file);
}

/**
 * The targets of a configuration already parsed from YAML (`file` names it in errors and
 * relative paths are resolved against its directory). qmp-ts.config.schema.json states the
 * same rules for editors; test/config-schema.test.ts holds the two to agreement.
 */
export function parseConfig(doc: unknown, file: string): GenerateTarget[] {
  const r = new ConfigReader(file, dirname(resolve(file)));
  const top = r.object(doc, '$');
  if (top['targets'] !== undefined) {
    r.known(top, '$', ['targets']);
    const list: unknown = top['targets'];
    if (!Array.isArray(list) || list.length === 0) r.fail('$.targets', 'expected a non-empty list of targets');
    return (list as unknown[]).map((t, i) => r.target(t, `$.targets[${i}]`));
  }
  return [r.target(top, '$')];
}
