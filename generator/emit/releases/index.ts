/**
 * From a release set (model/releases.ts) to the text of every file of one binding set that
 * covers all its releases. Types the releases share are emitted once, exactly as for one
 * release (emit/types.ts); only the varying ones take a release parameter (./types.ts).
 *
 * Files: `releases.ts`, `types.ts`, `commands.ts`, `events.ts`, `client.ts`,
 * `validators.ts` (one validator table per release, for the fake), `testing.ts`, `index.ts`.
 */
import type { ReleaseSet } from '../../model/releases.js';
import type { Command, Schema } from '../../model/types.js';
import { typeRefs } from '../../model/releases.js';
import { DEFAULT_FIXED_NAMES, nameSchema, type FixedNames, type NamedType, type Names } from '../../names/index.js';
import { DEFAULT_RUNTIME_SPECIFIER } from '@qmp-ts/runtime/internal';
import { printFile } from '../print.js';
import { FileScope, relativeSpecifier, type Layout } from '../scope.js';
import type { StatementStructures } from '../structures.js';
import { typeDecls } from '../types.js';
import type { EmitOptions, EmittedFile } from '../index.js';
import { buildValidatorTable } from '../../validation/table.js';
import { validatedCommands } from '../select.js';
import { stringLiteral } from '../../names/index.js';
import { availabilityNote, withNote } from './availability.js';
import { ReleaseTypes, helperImport } from './types.js';
import { clientFile, commandsFile, eventsFile, testingFile } from './api.js';
import { RELEASES_FILE, releasesFile } from './releases-file.js';
import { mergeValidatorTables } from '../../validation/merge.js';

/** Options that apply to a release set (one layout: `types.ts`; no include/exclude filters). */
export type ReleaseEmitOptions = Pick<EmitOptions, 'runtime' | 'names' | 'bigint'>;

/** A model that names every definition of the set by its newest node (the naming pass's input). */
function namingSchema(set: ReleaseSet): { schema: Schema; types: NamedType[]; commands: Command[] } {
  const newest = <T>(m: { byRelease: ReadonlyMap<string, T> }): T => [...m.byRelease.values()].at(-1)!;
  // As for one release: QEMU's built-in module (`QType`) only when a schema type refers to it.
  const referenced = new Set([...set.types.values()].flatMap((m) => [...m.byRelease.values()].flatMap((t) => typeRefs(t).map((r) => r.name))));
  const types = [...set.types.values()].map(newest).filter((t) => t.module !== './builtin' || referenced.has(t.name));
  const commands = [...set.commands.values()].map(newest);
  const events = [...set.events.values()].map(newest);
  const top = set.schemas.get(set.labels.at(-1)!)!;
  const schema: Schema = {
    ...top,
    entities: [...types, ...commands, ...events],
    types: new Map(types.map((t) => [t.name, t])),
    commands: new Map(commands.map((c) => [c.name, c])),
    events: new Map(events.map((e) => [e.name, e])),
  };
  return { schema, types, commands };
}

export function emitReleaseBindings(set: ReleaseSet, options: ReleaseEmitOptions = {}): EmittedFile[] {
  const fixed: FixedNames = { ...DEFAULT_FIXED_NAMES, ...options.names };
  const naming = namingSchema(set);
  const named = nameSchema(naming.schema, naming.types, naming.commands, fixed);
  // Nodes of any release are named by their type's newest node (a type emitted once refers
  // to the nodes of the release it was taken from).
  const rep = (t: NamedType): NamedType => naming.schema.types.get(t.name) as NamedType | undefined ?? t;
  const names: Names = {
    ...named,
    typeName: (t) => named.typeName(rep(t)),
    ownerOf: (t) => named.ownerOf(rep(t)),
  };
  const runtime = options.runtime ?? DEFAULT_RUNTIME_SPECIFIER;
  const layout: Layout = {
    fileOf: () => 'types.ts',
    runtimeFrom: (file) => (runtime.startsWith('.') ? relativeSpecifier(file, runtime.replace(/\.js$/, '.ts')) : runtime),
    bigint: options.bigint ?? false,
  };
  const files: EmittedFile[] = [];
  const emit = (path: string, build: (scope: FileScope) => (StatementStructures | string)[]): void => {
    const scope = new FileScope(path, names, layout);
    const body = printFile(build(scope));
    const helpers = path === RELEASES_FILE || path === 'client.ts' ? '' : helperImport(body);
    files.push({ path, text: printFile([...scope.imports(), ...(helpers ? [helpers] : [])]) + (helpers || scope.imports().length > 0 ? '\n' : '') + body });
  };

  emit(RELEASES_FILE, (scope) => releasesFile(scope, set));
  emit('types.ts', (scope) => {
    const types = new ReleaseTypes(set, scope);
    const out: (StatementStructures | string)[] = [];
    for (const t of naming.types) {
      const merged = set.types.get(t.name)!;
      if (set.varying.has(t.name)) {
        out.push(types.declaration(merged));
        continue;
      }
      // The same in every release that has it: as for one release, with where it is.
      const note = availabilityNote(set.labels, new Set(merged.byRelease.keys()));
      for (const d of typeDecls(scope, t)) {
        out.push(note !== undefined && typeof d !== 'string' && d.kind !== 'import' && d.kind !== 'const' ? { ...d, docs: [withNote(d.docs?.[0], note)!] } : d);
      }
    }
    return out;
  });
  emit('commands.ts', (scope) => commandsFile(scope, set, new ReleaseTypes(set, scope)));
  emit('events.ts', (scope) => eventsFile(scope, set, new ReleaseTypes(set, scope)));
  emit('client.ts', (scope) => clientFile(scope, set));
  files.push({ path: 'validators.ts', text: validatorsModule(set, layout.runtimeFrom('validators.ts')) });
  emit('testing.ts', (scope) => testingFile(scope, set));
  const reexports = files.map((f) => f.path).filter((p) => p !== 'testing.ts' && p !== 'validators.ts').map((p) => `export * from '${relativeSpecifier('index.ts', p)}';`);
  files.push({ path: 'index.ts', text: reexports.join('\n') + '\n' });
  return files;
}

/** One validator table per release (what the fake of that release checks against), over one pool of type descriptors. */
function validatorsModule(set: ReleaseSet, runtimeImport: string): string {
  const merged = mergeValidatorTables(
    set.labels.map((label) => {
      const schema = set.schemas.get(label)!;
      return buildValidatorTable(schema, { commands: validatedCommands(schema, [...schema.commands.values()]), events: [...schema.events.values()] });
    }),
  );
  const entries = set.labels.map((label, i) => {
    const { v: _, types: __, ...own } = merged.tables[i]!;
    return `  ${stringLiteral(label)}: { v: 1, types, ...(JSON.parse(${stringLiteral(JSON.stringify(own))}) as Own) },\n`;
  });
  return [
    '// Generated by qmp-ts: the validator descriptor table of each release (read by runtime/validation/validate.ts). Do not edit.',
    `import type { TypeDesc, ValidatorTable } from ${stringLiteral(runtimeImport)};`,
    `import type { Release } from './releases.js';`,
    '',
    '/** The type descriptors of every release: each one the releases share, once. */',
    `const types = JSON.parse(${stringLiteral(JSON.stringify(merged.pool))}) as readonly TypeDesc[];`,
    '',
    "type Own = Omit<ValidatorTable, 'v' | 'types'>;",
    '',
    `export const qmpValidatorTables: Readonly<Record<Release, ValidatorTable>> = {\n${entries.join('')}};`,
    '',
  ].join('\n');
}
