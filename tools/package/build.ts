/**
 * `qmp-ts package`: a complete npm package of bindings for one schema.
 *
 *   DIR/package.json       ESM, `exports` with types, `sideEffects: false`, the schema's hash
 *                          and source under `qmpSchema`
 *   DIR/dist/*.js, *.d.ts  the compiled bindings (and `dist/runtime/` when bundled)
 *   DIR/qmp-schema.json    the schema in query-qmp-schema form (for `qmp-ts verify`)
 *   DIR/README.md          install, use, schema provenance, every command and event
 *   DIR/src/               the generated TypeScript (not published)
 *
 * The runtime is bundled (default: the package has no dependencies) or a dependency on
 * `@qmp-ts/runtime` at the version qmp-ts itself uses.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QapiError } from '../../generator/diagnostics.js';
import { RECORD_FILE } from '../../generator/emit/record.js';
import type { NameFilter } from '../../generator/emit/select.js';
import type { Schema } from '../../generator/model/types.js';
import { ownVersion } from '../../generator/version.js';
import type { PluginSpec } from '../../generator/config.js';
import { compile } from './compile.js';
import { renderReadme } from './readme.js';
import { prepareRuntime, RUNTIME_PACKAGE } from './runtime.js';

export type RuntimeMode = 'bundled' | 'dependency';

/** What a package is built from: one schema, or a release set (tools/package/releases.ts). */
export interface PackageSource {
  /** Writes the bindings and their `qmp-schema.json` into `src`, importing the runtime from `runtime`. */
  generate(src: string, runtime: string, client: string): Promise<void>;
  readme(generator: string, client: string, mode: RuntimeMode): string;
  /** `qmpSchema` of package.json (provenance). */
  provenance(generator: string): Record<string, unknown>;
  /** Writes the reference site (`qmp-ts docs`) into `dir`; absent where a site cannot be made (a release set). */
  site?(dir: string, title: string): Promise<void>;
  /** The package's description unless the options give one. */
  readonly description: string;
  readonly commands: number;
  readonly events: number;
}

export interface PackageOptions {
  readonly name: string;
  readonly version: string;
  readonly out: string;
  readonly runtime?: RuntimeMode;
  /** The generated client class (default `QmpApi`). */
  readonly client?: string;
  readonly commands?: NameFilter;
  readonly events?: NameFilter;
  /** SPDX license of the package (default GPL-2.0-or-later: the docs come from QEMU's schema). */
  readonly license?: string;
  readonly description?: string;
  /** Also put the reference site (`qmp-ts docs`, tools/docs/) of the selection in `docs/`. */
  readonly site?: boolean;
  /** With `site`: the QAPI source an introspected schema's docs come from (its chapters make the site's index). */
  readonly docSource?: Schema;
  /** Plugins run on the generated files before they are compiled (as `generate`'s; paths relative to the working directory). */
  readonly plugins?: readonly PluginSpec[];
}

export interface PackageResult {
  readonly out: string;
  /** Files of the package (relative, posix), `src/` excluded. */
  readonly files: readonly string[];
  readonly commands: number;
  readonly events: number;
}

// npm's rules: lower case, URL-safe, at most 214 characters, optional @scope/.
const NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function checkOptions(o: PackageOptions): void {
  if (o.name.length > 214 || !NAME.test(o.name)) {
    throw new QapiError(undefined, `--name '${o.name}' is not a valid npm package name (lower case, e.g. @scope/qemu-qmp)`);
  }
  if (!SEMVER.test(o.version)) throw new QapiError(undefined, `--version '${o.version}' is not a semantic version (e.g. 1.0.0)`);
}

/** Refuses to clobber a directory that is not empty and not a package this command wrote. */
function prepareOut(out: string): void {
  if (!existsSync(out)) {
    mkdirSync(out, { recursive: true });
    return;
  }
  const entries = readdirSync(out);
  if (entries.length === 0) return;
  const pkgFile = path.join(out, 'package.json');
  const ours = existsSync(pkgFile) && (JSON.parse(readFileSync(pkgFile, 'utf8')) as { qmpSchema?: unknown }).qmpSchema !== undefined;
  if (!ours) throw new QapiError({ file: out }, 'output directory is not empty and was not written by qmp-ts package');
  for (const d of ['dist', 'src', 'docs']) rmSync(path.join(out, d), { recursive: true, force: true });
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p, base) : [path.relative(base, p).split(path.sep).join('/')];
  });
}

export async function buildPackage(schema: Schema, o: PackageOptions): Promise<PackageResult> {
  checkOptions(o); // before the filters are applied: a bad name is reported first
  const [{ generateFromModel }, { select }, { nameSchema, DEFAULT_FIXED_NAMES }] = await Promise.all([
    import('../../generator/generate.js'),
    import('../../generator/emit/select.js'),
    import('../../generator/names/index.js'),
  ]);
  const selection = select(schema, o.commands, o.events);
  return buildFrom(o, {
    async generate(src, runtime, client) {
      await generateFromModel(schema, {
        output: src,
        runtime,
        layout: 'single',
        client,
        ...(o.commands ? { commands: o.commands } : {}),
        ...(o.events ? { events: o.events } : {}),
        ...(o.plugins && o.plugins.length > 0 ? { plugins: o.plugins } : {}),
      });
    },
    readme(generator, client, mode) {
      const names = nameSchema(schema, selection.types, selection.commands, { ...DEFAULT_FIXED_NAMES, client });
      return renderReadme({
        name: o.name,
        version: o.version,
        generator,
        schema,
        commands: selection.commands,
        events: selection.events,
        methodName: (c) => names.methodName(c),
        client,
        runtime: mode,
      });
    },
    provenance: (generator) => ({ format: schema.source.format, source: publishedSourceNames(schema.source.files), sha256: schema.source.hash, generator }),
    async site(dir, title) {
      const { writeSite } = await import('../docs/site.js');
      await writeSite(schema, {
        out: dir,
        title,
        ...(o.commands ? { commands: o.commands } : {}),
        ...(o.events ? { events: o.events } : {}),
        ...(o.docSource ? { docSource: o.docSource } : {}),
      });
    },
    description: `Typed QMP bindings for QEMU, generated by qmp-ts from ${path.basename(schema.source.files[0] ?? 'a QAPI schema')}`,
    commands: selection.commands.length,
    events: selection.events.length,
  });
}

/** Generates, compiles and describes a package from `source`. */
export async function buildFrom(o: PackageOptions, source: PackageSource): Promise<PackageResult> {
  checkOptions(o);
  if (o.site && !source.site) throw new QapiError(undefined, '--site: a reference site is made for one schema, not for a release set');
  const mode: RuntimeMode = o.runtime ?? 'bundled';
  const out = path.resolve(o.out);
  prepareOut(out);
  const scratch = mkdtempSync(path.join(tmpdir(), 'qmp-ts-package-'));
  try {
    const { DEFAULT_FIXED_NAMES } = await import('../../generator/names/index.js');
    const runtime = prepareRuntime(scratch);
    const src = path.join(out, 'src');
    const dist = path.join(out, 'dist');
    const client = o.client ?? DEFAULT_FIXED_NAMES.client;
    await source.generate(src, mode === 'bundled' ? './runtime/index.js' : RUNTIME_PACKAGE, client);
    renameSync(path.join(src, RECORD_FILE), path.join(out, RECORD_FILE));

    const generated = readdirSync(src).filter((f) => f.endsWith('.ts')).map((f) => path.join(src, f));
    const inGenerated = (f: string): boolean => path.resolve(f).startsWith(src + path.sep) && !path.resolve(f).startsWith(path.join(src, 'runtime') + path.sep);
    if (mode === 'bundled') {
      // Declarations next to the sources for compiling; JavaScript and declarations shipped.
      for (const f of runtime.files) {
        mkdirSync(path.dirname(path.join(src, 'runtime', f)), { recursive: true });
        mkdirSync(path.dirname(path.join(dist, 'runtime', f)), { recursive: true });
        if (f.endsWith('.d.ts')) copyFileSync(path.join(runtime.dir, f), path.join(src, 'runtime', f));
        copyFileSync(path.join(runtime.dir, f), path.join(dist, 'runtime', f));
      }
      compile({ rootDir: src, outDir: dist, files: generated, checkOnly: inGenerated });
    } else {
      compile({ rootDir: src, outDir: dist, files: generated, paths: { [RUNTIME_PACKAGE]: path.join(runtime.dir, 'index.d.ts') }, checkOnly: inGenerated });
    }

    const generator = `qmp-ts ${ownVersion()}`;
    writeFileSync(path.join(out, 'README.md'), source.readme(generator, client, mode));
    writeFileSync(path.join(out, 'package.json'), JSON.stringify(manifest(source, o, mode, generator, runtime.version, existsSync(path.join(dist, 'testing.js'))), null, 2) + '\n');
    if (o.site && source.site) await source.site(path.join(out, 'docs'), `${o.name} ${o.version}`);
    const docs = o.site ? listFiles(path.join(out, 'docs')).map((f) => `docs/${f}`) : [];
    const files = ['package.json', 'README.md', RECORD_FILE, ...listFiles(dist).map((f) => `dist/${f}`), ...docs].sort();
    return { out, files, commands: source.commands, events: source.events };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The schema's files as a published package names them: relative to the main file's folder
 * (the main file by its name), a file elsewhere or a binary by its name. Never a path of the
 * machine that built the package; the hash is what identifies the schema.
 */
export function publishedSourceNames(files: readonly string[]): string[] {
  const root = path.dirname(path.resolve(files[0] ?? '.'));
  return files.map((f) => {
    const rel = path.relative(root, path.resolve(f));
    const shown = rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? path.basename(f) : rel;
    return shown.split(path.sep).join('/');
  });
}

/** Subpath types for TypeScript's old `moduleResolution: node`, which ignores `exports`. */
function typesVersions(mode: RuntimeMode, testing: boolean): { typesVersions?: Record<string, Record<string, string[]>> } {
  const paths: Record<string, string[]> = {
    ...(mode === 'bundled' ? { runtime: ['./dist/runtime/index.d.ts'] } : {}),
    ...(testing ? { testing: ['./dist/testing.d.ts'] } : {}),
  };
  return Object.keys(paths).length ? { typesVersions: { '*': paths } } : {};
}

function manifest(source: PackageSource, o: PackageOptions, mode: RuntimeMode, generator: string, runtimeVersion: string, testing: boolean): Record<string, unknown> {
  const entry = { types: './dist/index.d.ts', default: './dist/index.js' };
  return {
    name: o.name,
    version: o.version,
    description: o.description ?? source.description,
    license: o.license ?? 'GPL-2.0-or-later',
    type: 'module',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': entry,
      ...(mode === 'bundled' ? { './runtime': { types: './dist/runtime/index.d.ts', default: './dist/runtime/index.js' } } : {}),
      ...(testing ? { './testing': { types: './dist/testing.d.ts', default: './dist/testing.js' } } : {}),
      './qmp-schema.json': './qmp-schema.json',
      './package.json': './package.json',
    },
    ...typesVersions(mode, testing),
    sideEffects: false,
    files: ['dist', RECORD_FILE, ...(o.site ? ['docs'] : [])],
    engines: { node: '>=20' },
    keywords: ['qemu', 'qmp', 'qapi'],
    ...(mode === 'dependency' ? { dependencies: { [RUNTIME_PACKAGE]: `^${runtimeVersion}` } } : {}),
    qmpSchema: source.provenance(generator),
  };
}
