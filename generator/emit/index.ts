/**
 * From a model to the text of every generated file (unformatted, without header).
 * Each file is built from structures (structures.ts) in one go and printed in the
 * generator's own style by print.ts: no AST, no formatter. With plugins, the same
 * structures ({@link planBindings}) fill a ts-morph Project instead (morph.ts,
 * generator/plugins/run.ts).
 *
 * Files (relative to the output directory):
 * - `types.ts`, or `types/<module>.ts` per schema module with the `modules` layout;
 * - `commands.ts` (`QmpCommands`, the command table), `events.ts` (`QmpEvents`, `QmpEvent`),
 *   `client.ts` (the methods interface and the client class), `testing.ts` (a typed
 *   FakeQemu; with the validator table only), `index.ts` (re-exports).
 */
import { posix } from 'node:path';
import type { StatementStructures } from './structures.js';
import { printFile } from './print.js';
import type { Definition, Schema } from '../model/types.js';
import { DEFAULT_FIXED_NAMES, nameSchema, type FixedNames, type NamedType, type Names } from '../names/index.js';
import { DEFAULT_RUNTIME_SPECIFIER } from '@qmp-ts/runtime/internal';
import { clientFile, commandsFile, eventsFile } from './api.js';
import { TESTING_FILE, testingFile } from './testing.js';
import { FileScope, relativeSpecifier, type ImportExtension, type Layout } from './scope.js';
import { select, validatedCommands, type NameFilter, type Selection } from './select.js';
import { typeDecls } from './types.js';
import { buildValidatorTable } from '../validation/table.js';
import { validatorTableModule } from '../validation/source.js';

/** The export of `validators.ts`. */
const VALIDATOR_TABLE_EXPORT = 'qmpValidatorTable';

export type FileLayout = 'single' | 'modules';

export interface EmitOptions {
  /**
   * How generated code imports the runtime: a package specifier (`@qmp-ts/runtime`, the
   * default) or a path relative to the output directory (`../../runtime/index.js`).
   */
  readonly runtime?: string;
  /**
   * `single`: all types in `types.ts`; `modules`: one file per schema module under
   * `types/`. Default: `modules` when the types come from several modules (QAPI source),
   * else `single`.
   */
  readonly layout?: FileLayout;
  readonly commands?: NameFilter;
  readonly events?: NameFilter;
  /** Names of the generated fixed declarations (client class, maps). */
  readonly names?: Partial<FixedNames>;
  /**
   * Emit `validators.ts` (the validator table, generator/validation) and make the client
   * connect with it: arguments checked strictly, replies leniently. Default true.
   */
  readonly validators?: boolean;
  /**
   * Emit `testing.ts`: a `FakeQemu` typed by these bindings (handlers per command, typed
   * `emit`), driven by the validator table. Default true; needs `validators`.
   */
  readonly testing?: boolean;
  /** 64-bit integer types as `bigint`, and the client connecting with `integers: 'bigint'`. */
  readonly bigint?: boolean;
  /**
   * The extension of imports between generated files: `.js` (the default; what TypeScript's
   * NodeNext resolution, Node and Bun take) or `.ts` (what `deno run` takes without
   * `--sloppy-imports`; tsc then needs `allowImportingTsExtensions` or
   * `rewriteRelativeImportExtensions`).
   */
  readonly importExtension?: ImportExtension;
}

export interface EmittedFile {
  /** Relative to the output directory, posix separators. */
  readonly path: string;
  readonly text: string;
}

function moduleFileNames(types: readonly NamedType[]): Map<string | undefined, string> {
  const out = new Map<string | undefined, string>();
  const used = new Set<string>();
  for (const t of types) {
    if (out.has(t.module)) continue;
    const stem = t.module === undefined
      ? 'types'
      : posix.basename(t.module.replace(/\\/g, '/')).replace(/\.(json|ya?ml)$/i, '').replace(/[^A-Za-z0-9_-]/g, '-') || 'types';
    let name = stem;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${stem}-${i}`;
    used.add(name.toLowerCase());
    out.set(t.module, `types/${name}.ts`);
  }
  return out;
}

/**
 * Lets a caller that kept an earlier run's output skip printing a file: called before each
 * file with the definitions whose documentation the file carries (everything else in it
 * comes from the schema's shape: names, kinds, members, types, features, conditions); a
 * returned text is used as the file's text. `qmp-ts generate --watch` returns the earlier
 * text when the shape is unchanged and none of `documents` had its docs edited.
 */
export type ReuseText = (path: string, documents: readonly Definition[]) => string | undefined;

/**
 * One file of the bindings before it is printed: the structures it is built from (built
 * when asked, in the file's order), or text that is not built from structures.
 */
export interface EmitUnit {
  /** Relative to the output directory, posix separators. */
  readonly path: string;
  /** The definitions whose documentation the file carries (see {@link ReuseText}). */
  readonly documents: readonly Definition[];
  readonly build: () => { readonly statements: readonly StatementStructures[] } | { readonly text: string };
}

/** What the files are built from: the selection, its names, and each file to build. */
export interface EmitPlan {
  readonly selection: Selection;
  readonly names: Names;
  readonly units: readonly EmitUnit[];
}

/** The text of a unit in the generator's own style. */
export function printUnit(unit: EmitUnit): string {
  const built = unit.build();
  return 'text' in built ? built.text : printFile(built.statements);
}

/**
 * Plans every file: selection and naming now (their errors are thrown here), the files'
 * structures only when a unit is built. The plugin path (generator/plugins/) builds the
 * same units into a ts-morph Project; {@link emitBindings} prints them.
 */
export function planBindings(schema: Schema, options: EmitOptions = {}): EmitPlan {
  const fixed: FixedNames = { ...DEFAULT_FIXED_NAMES, ...options.names };
  const selection = select(schema, options.commands, options.events);
  const names = nameSchema(schema, selection.types, selection.commands, fixed);
  const runtime = options.runtime ?? DEFAULT_RUNTIME_SPECIFIER;
  const layoutKind =
    options.layout ?? (new Set(selection.types.map((t) => t.module)).size > 1 ? 'modules' : 'single');
  const modules = layoutKind === 'modules' ? moduleFileNames(selection.types) : undefined;
  const ext = options.importExtension ?? '.js';
  const layout: Layout = {
    fileOf: (t) => modules?.get(t.module) ?? 'types.ts',
    // a runtime given by path keeps its extension, unless it names TypeScript source
    runtimeFrom: (file) => (runtime.startsWith('.') ? relativeSpecifier(file, runtime, runtime.endsWith('.ts') ? ext : undefined) : runtime),
    bigint: options.bigint ?? false,
    importExtension: ext,
  };
  /** A sibling generated file as the client and testing.ts import it. */
  const sibling = (file: string): string => relativeSpecifier('client.ts', file, ext);

  // Types, grouped by file in first-seen order.
  const byFile = new Map<string, NamedType[]>();
  for (const t of selection.types) {
    const f = layout.fileOf(t);
    let list = byFile.get(f);
    if (!list) byFile.set(f, (list = []));
    list.push(t);
  }
  const units: EmitUnit[] = [];
  const text = (path: string, documents: readonly Definition[], make: () => string): void => {
    units.push({ path, documents, build: () => ({ text: make() }) });
  };
  const emit = (path: string, documents: readonly Definition[], build: (scope: FileScope) => (StatementStructures | string)[]): void => {
    units.push({
      path,
      documents,
      build: () => {
        const scope = new FileScope(path, names, layout);
        const body = build(scope);
        return { statements: [...scope.imports(), ...body] };
      },
    });
  };
  for (const [path, types] of byFile) emit(path, types, (scope) => types.flatMap((t) => typeDecls(scope, t)));
  if (byFile.size === 0) emit('types.ts', [], () => ['export {};']);

  emit('commands.ts', selection.commands, (scope) => commandsFile(scope, selection.commands));
  emit('events.ts', selection.events, (scope) => eventsFile(scope, selection.events));
  const validators = options.validators ?? true;
  if (validators) {
    // Plain text (a JSON string and one import), so not built from structures.
    text('validators.ts', [], () => {
      const table = buildValidatorTable(schema, { commands: validatedCommands(schema, selection.commands), events: selection.events });
      return validatorTableModule(table, { runtimeImport: layout.runtimeFrom('validators.ts'), exportName: VALIDATOR_TABLE_EXPORT });
    });
  }
  emit('client.ts', selection.commands, (scope) =>
    clientFile(scope, selection.commands, {
      commands: sibling('commands.ts'), events: sibling('events.ts'),
      ...(validators ? { validators: { module: sibling('validators.ts'), table: VALIDATOR_TABLE_EXPORT } } : {}),
      ...(options.bigint ? { bigint: true } : {}),
    }),
  );
  if (validators && (options.testing ?? true)) {
    emit(TESTING_FILE, [], (scope) => testingFile(scope, { commands: sibling('commands.ts'), events: sibling('events.ts'), validators: sibling('validators.ts'), table: VALIDATOR_TABLE_EXPORT }));
  }
  const reexports = units.map((u) => u.path).filter((p) => p !== TESTING_FILE).map((p) => `export * from '${relativeSpecifier('index.ts', p, ext)}';`);
  text('index.ts', [], () => reexports.join('\n') + '\n');
  return { selection, names, units };
}

/**
 * Emits every file. `onFile` sees each file as soon as it is printed, so formatting can
 * start while the rest is still being emitted.
 */
export function emitBindings(
  schema: Schema,
  options: EmitOptions = {},
  onFile?: (file: EmittedFile) => void,
  reuse?: ReuseText,
): EmittedFile[] {
  const { units } = planBindings(schema, options);
  return units.map((unit) => {
    // index.ts only re-exports: never reused, like before the plan existed.
    const kept = unit.path === 'index.ts' ? undefined : reuse?.(unit.path, unit.documents);
    const file = { path: unit.path, text: kept ?? printUnit(unit) };
    onFile?.(file);
    return file;
  });
}
