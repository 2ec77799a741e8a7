/**
 * The files of multi-release bindings besides the types: `releases.ts` (the release set, the
 * type-level helpers and the availability table), `commands.ts`, `events.ts`, `client.ts`
 * (the client with release guards) and `testing.ts` (a FakeQemu that serves any release).
 */
import type { Command, Event, StructType, Type, UnionType } from '../../model/types.js';
import { typeKey, type Merged, type ReleaseSet } from '../../model/releases.js';
import { propertyKey, stringLiteral } from '../../names/index.js';
import { camelCase } from '@qmp-ts/runtime/internal';
import { commandDocs, commandFlags, takesNothing } from '../api.js';
import { docs, generatorDocs } from '../docs.js';
import type { PropertySignatureStructure, StatementStructures } from '../structures.js';
import type { FileScope } from '../scope.js';
import { availabilityNote, releaseUnion, withNote } from './availability.js';
import { HELPERS, ReleaseTypes } from './types.js';

export const RELEASES_FILE = 'releases.ts';
const R_PARAM = `<$R extends ${HELPERS.release} = ${HELPERS.release}>`;

const newest = <T>(m: Merged<T>): T => [...m.byRelease.values()].at(-1)!;

/** The mask of `labels` over the set (bit i: the i-th release, oldest first). */
function mask(set: ReleaseSet, has: Iterable<string>): number {
  let bits = 0;
  for (const l of has) bits |= 1 << set.labels.indexOf(l);
  return bits;
}

function membersOf(t: Type | undefined): readonly { readonly name: string }[] {
  return t && (t.kind === 'struct' || t.kind === 'union') ? (t as StructType | UnionType).members : [];
}

/**
 * Paths not in every release: commands, events, and the top-level members of arguments,
 * results and event data whose releases differ from their command's or event's.
 */
export function releasePaths(set: ReleaseSet): { commands: Map<string, string[]>; events: Map<string, string[]>; members: Map<string, string[]> } {
  const commands = new Map<string, string[]>();
  const events = new Map<string, string[]>();
  const members = new Map<string, string[]>();
  const memberPaths = (name: string, byRelease: ReadonlyMap<string, Command | Event>): void => {
    const parts: ['arg-type' | 'ret-type', (d: Command | Event) => Type | undefined][] = [
      ['arg-type', (d) => d.arguments],
      ['ret-type', (d) => (d.kind === 'command' ? d.returns : undefined)],
    ];
    for (const [part, typeOf] of parts) {
      const found = new Map<string, string[]>();
      for (const [label, d] of byRelease) for (const m of membersOf(typeOf(d))) found.set(m.name, [...(found.get(m.name) ?? []), label]);
      for (const [m, has] of found) if (has.length !== byRelease.size) members.set(`${name}/${part}/${m}`, has);
    }
  };
  for (const [name, m] of set.commands) {
    if (m.byRelease.size !== set.labels.length) commands.set(name, [...m.byRelease.keys()]);
    memberPaths(name, m.byRelease);
  }
  for (const [name, m] of set.events) {
    if (m.byRelease.size !== set.labels.length) events.set(name, [...m.byRelease.keys()]);
    memberPaths(name, m.byRelease);
  }
  return { commands, events, members };
}

function releaseMap(name: string, doc: string, entries: Map<string, string[]>): string {
  const body = [...entries].map(([k, has]) => `  ${stringLiteral(k)}: ${releaseUnion(has)};\n`).join('');
  return `/** ${doc} */\nexport interface ${name} {${body ? `\n${body}` : ''}}\n`;
}

/** `releases.ts`. */
export function releasesFile(scope: FileScope, set: ReleaseSet): string[] {
  const all = releaseUnion(set.labels);
  const from = set.labels.map((l, i) => `  ${stringLiteral(l)}: ${releaseUnion(set.labels.slice(i))};\n`).join('');
  const upTo = set.labels.map((l, i) => `  ${stringLiteral(l)}: ${releaseUnion(set.labels.slice(0, i + 1))};\n`).join('');
  const paths = releasePaths(set);
  const table = [...paths.commands, ...paths.events, ...paths.members].map(([p, has]) => `[${stringLiteral(p)}, ${mask(set, has)}]`);
  return [
    `/** The QEMU releases these bindings cover. */\nexport type Release = ${all};\n`,
    `/** The releases, oldest first. */\nexport const releases = [${set.labels.map(stringLiteral).join(', ')}] as const;\n`,
    `/** Where a type is used: \`'in'\` what the client sends (arguments), \`'out'\` what the peer sends (results, events). */\nexport type Direction = 'in' | 'out';\n`,
    `/** Each release and those after it. */\nexport interface ReleasesFrom {\n${from}}\n`,
    `/** Each release and those before it. */\nexport interface ReleasesUpTo {\n${upTo}}\n`,
    `/** The releases of the set at or after \`L\`. */\nexport type AtLeast<L extends Release> = ReleasesFrom[L];\n`,
    `/** The releases of the set at or before \`L\`. */\nexport type AtMost<L extends Release> = ReleasesUpTo[L];\n`,
    `/** \`T\` when every release of \`R\` is one of \`S\`, else \`never\`. */\nexport type InAll<R, S, T> = [R] extends [S] ? T : never;\n`,
    `/** \`T\` when some release of \`R\` is one of \`S\`, else \`never\`. */\nexport type InAny<R, S, T> = [Extract<R, S>] extends [never] ? never : T;\n`,
    `/** What only releases \`S\` have: sent (\`'in'\`) only to releases \`R\` that all have it; received (\`'out'\`) from any of \`R\` that has it. */\nexport type ReleaseIf<R, D, S, T> = D extends 'in' ? InAll<R, S, T> : InAny<R, S, T>;\n`,
    `/** One variant of a type that differs by release, for arguments: \`T\` when some release of \`R\` is one of \`S\` (the variants are intersected). */\nexport type ReleaseMeet<R, S, T> = [Extract<R, S>] extends [never] ? {} : T;\n`,
    `/** Keys of \`O\` that must be left out. */\nexport type Absent<O> = { [K in keyof O]?: never };\n`,
    '/**\n * Members `O` that only releases `P` have, required in releases `Q`. Sent (`\'in\'`): allowed when every\n' +
      ' * release of `R` has them, required when one of `R` requires them. Received (`\'out\'`): possible when one of\n' +
      ' * `R` has them, certain when every release of `R` requires them.\n */\n' +
      'export type ReleaseMembers<R, D, P, Q, O> = D extends \'in\'\n' +
      '  ? [R] extends [P]\n    ? [Extract<R, Q>] extends [never] ? Partial<O> : O\n    : [Extract<R, Q>] extends [never] ? Absent<O> : { [K in keyof O]: never }\n' +
      '  : [R] extends [Q]\n    ? O\n    : [Extract<R, P>] extends [never] ? Absent<O> : Partial<O>;\n',
    releaseMap('CommandReleases', 'Commands not in every release, with the releases that have them.', paths.commands),
    releaseMap('EventReleases', 'Events not in every release, with the releases that have them.', paths.events),
    releaseMap('MemberReleases', 'Top-level members (paths as `qmp.schema.has` takes them) whose releases differ from their command\'s or event\'s.', paths.members),
    `/** Every path the release table knows. */\nexport type ReleasePath = keyof CommandReleases | keyof EventReleases | keyof MemberReleases;\n`,
    `/** The releases that have path \`P\` (all for a path the table does not list). */\nexport type ReleasesOf<P> = P extends keyof CommandReleases\n  ? CommandReleases[P]\n  : P extends keyof EventReleases\n    ? EventReleases[P]\n    : P extends keyof MemberReleases\n      ? MemberReleases[P]\n      : Release;\n`,
    `/** Commands some release of \`R\` lacks: not callable on a client that may talk to \`R\`. */\nexport type CommandsNotIn<R> = { [K in keyof CommandReleases]: [R] extends [CommandReleases[K]] ? never : K }[keyof CommandReleases];\n`,
    `/** Events no release of \`R\` has. */\nexport type EventsNotIn<R> = { [K in keyof EventReleases]: [Extract<R, EventReleases[K]>] extends [never] ? K : never }[keyof EventReleases];\n`,
    `/** What the client checks before sending: bit i of a mask is \`releases[i]\`. */\nexport const qmpReleaseTable = /* @__PURE__ */ ${scope.rt('defineReleases')}(releases, [\n${table.map((e) => `  ${e},\n`).join('')}]);\n`,
  ];
}

/** The arguments (or result) of a command in each release, `q_empty` standing for none. */
function perRelease(set: ReleaseSet, m: Merged<Command | Event>, part: (d: Command | Event) => Type | undefined): Map<string, Type> | undefined {
  const out = new Map<string, Type>();
  let any = false;
  for (const [label, d] of m.byRelease) {
    const t = part(d);
    if (t !== undefined) any = true;
    out.set(label, t ?? set.schemas.get(label)!.types.get('q_empty')!);
  }
  return any ? out : undefined;
}

const argsOf = (d: Command | Event): Type | undefined => (takesNothing(d.arguments) ? undefined : d.arguments);

function noted(doc: readonly string[], note: string | undefined): string[] {
  const d = withNote(doc[0], note);
  return d !== undefined ? [d] : [];
}

/** `commands.ts`: `QmpCommandsAll<R>` (every command), `QmpCommands<R>` (those all of `R` have) and the runtime table. */
export function commandsFile(scope: FileScope, set: ReleaseSet, types: ReleaseTypes): StatementStructures[] {
  const { fixed } = scope.names;
  const all = `${fixed.commands}All`;
  const empty = scope.rt('EmptyObject');
  const list = [...set.commands.values()];
  return [
    {
      kind: 'interface',
      name: `${all}${R_PARAM}`,
      isExported: true,
      docs: generatorDocs('Every command of any release, by wire name: its arguments (what every release of `$R` accepts), result (what any may send) and flags.'),
      properties: list.map((m) => {
        const c = newest(m);
        const args = perRelease(set, m, argsOf);
        const returns = perRelease(set, m, (d) => (d as Command).returns);
        return {
          name: propertyKey(c.name),
          type: {
            kind: 'object',
            members: [
              { name: 'args', type: args ? types.slot(args, "'in'") : 'undefined' },
              { name: 'returns', type: returns ? types.slot(returns, "'out'") : empty },
              { name: 'allowOob', type: String(c.allowOob) },
              { name: 'successResponse', type: String(c.successResponse) },
            ],
          },
          docs: noted(commandDocs(c, scope.names.methodName(c)), availabilityNote(set.labels, new Set(m.byRelease.keys()))),
        };
      }),
    },
    {
      kind: 'type',
      name: `${fixed.commands}${R_PARAM}`,
      isExported: true,
      docs: generatorDocs('The commands every release of `$R` has.'),
      type: `Omit<${all}<$R>, ${HELPERS.commandsNotIn}<$R>>`,
    },
    {
      kind: 'const',
      name: fixed.commandTable,
      isExported: true,
      docs: generatorDocs('What the client needs at run time about each command of any release: wire name, flags, method name.'),
      initializer: {
        kind: 'array',
        prefix: `/* @__PURE__ */ ${scope.rt('defineCommands')}<${all}>(`,
        elements: list.map((m) => {
          const c = newest(m);
          const method = scope.names.methodName(c);
          const explicit = method === camelCase(c.name) ? '' : `, ${stringLiteral(method)}`;
          return `[${stringLiteral(c.name)}, ${commandFlags(c)}${explicit}]`;
        }),
        suffix: ')',
      },
    },
  ];
}

/** `events.ts`: `QmpEventsAll<R>`, `QmpEvents<R>` (those some release of `R` has), `QmpEvent<R>`. */
export function eventsFile(scope: FileScope, set: ReleaseSet, types: ReleaseTypes): StatementStructures[] {
  const { fixed } = scope.names;
  const all = `${fixed.events}All`;
  return [
    {
      kind: 'interface',
      name: `${all}${R_PARAM}`,
      isExported: true,
      docs: generatorDocs('Every event of any release, by wire name: the type of its `data` as any release of `$R` may send it (`undefined`: none).'),
      properties: [...set.events.values()].map((m): PropertySignatureStructure => {
        const e = newest(m);
        const data = perRelease(set, m, argsOf);
        return {
          name: propertyKey(e.name),
          type: data ? types.slot(data, "'out'") : 'undefined',
          docs: noted(docs({ ...(e.doc ? { doc: e.doc } : {}), features: e.features }), availabilityNote(set.labels, new Set(m.byRelease.keys()))),
        };
      }),
    },
    {
      kind: 'type',
      name: `${fixed.events}${R_PARAM}`,
      isExported: true,
      docs: generatorDocs('The events some release of `$R` has.'),
      type: `Omit<${all}<$R>, ${HELPERS.eventsNotIn}<$R>>`,
    },
    {
      kind: 'type',
      name: `${fixed.event}${R_PARAM}`,
      isExported: true,
      docs: generatorDocs('An event as received from a peer of release `$R`; unknown events arrive as the fallback member.'),
      type: `${scope.rt('EventUnion')}<${fixed.events}<$R>> | ${scope.rt('UnknownEventMessage')}`,
    },
  ];
}

/** `client.ts`: the methods interface and the client class with its release guards. */
export function clientFile(scope: FileScope, set: ReleaseSet): (StatementStructures | string)[] {
  const { fixed } = scope.names;
  const all = `${fixed.commands}All`;
  const client = fixed.client;
  const release = HELPERS.release;
  return [
    {
      kind: 'import',
      moduleSpecifier: './commands.js',
      namedImports: [{ name: fixed.commandTable }, { name: all, isTypeOnly: true }, { name: fixed.commands, isTypeOnly: true }],
    },
    { kind: 'import', moduleSpecifier: './events.js', isTypeOnly: true, namedImports: [{ name: `${fixed.events}All` }, { name: fixed.events }] },
    {
      kind: 'import',
      moduleSpecifier: './releases.js',
      namedImports: [
        { name: 'qmpReleaseTable' },
        { name: 'AtLeast', alias: '$AtLeast', isTypeOnly: true },
        { name: 'AtMost', alias: '$AtMost', isTypeOnly: true },
        { name: 'Release', alias: release, isTypeOnly: true },
        { name: 'ReleasePath', alias: '$ReleasePath', isTypeOnly: true },
        { name: 'ReleasesOf', alias: '$ReleasesOf', isTypeOnly: true },
      ],
    },
    // Commands whose types depend on the release: their method takes the client as `this` and
    // types its arguments and result by the client's `release` (narrowed or not). The client
    // type itself depends on the release only through `release`, so narrowing it is cheap.
    `/** A method typed by the releases the client is narrowed to; callable only when all of them (\`S\`) have the command. */\n` +
      `type $Method<K extends keyof ${all}, S extends ${release} = ${release}> = <T extends { readonly release: S }>(\n` +
      `  this: T,\n  ...params: ${scope.rt('MethodParams')}<${all}<T['release']>[K]>\n) => Promise<${scope.rt('CommandResult')}<${all}<T['release']>[K]>>;\n`,
    {
      kind: 'interface',
      name: fixed.methods,
      isExported: true,
      docs: generatorDocs('One method per command of any release. A command not every release has is callable only on a client narrowed to releases that have it.'),
      properties: [...set.commands.values()].map((m) => {
        const c = newest(m);
        const partial = m.byRelease.size !== set.labels.length;
        const plain = !partial && !dependsOnRelease(set, m);
        return {
          name: scope.names.methodName(c),
          isReadonly: true,
          type: plain
            ? { kind: 'generic', name: scope.rt('CommandMethod'), args: [all, stringLiteral(c.name)] }
            : { kind: 'generic', name: '$Method', args: [stringLiteral(c.name), ...(partial ? [releaseUnion([...m.byRelease.keys()])] : [])] },
          docs: noted(commandDocs(c), availabilityNote(set.labels, new Set(m.byRelease.keys()))),
        };
      }),
    },
    { kind: 'interface', name: `${client}${R_PARAM}`, isExported: true, extends: [fixed.methods] },
    {
      kind: 'class',
      name: `${client}${R_PARAM}`,
      isExported: true,
      extends: `${scope.rt('ReleaseQmpClient')}<${fixed.commands}, ${fixed.events}, $R>`,
      docs: generatorDocs(
        `A typed client for releases ${set.labels.join(', ')}: \`await ${client}.connect({ path })\` matches the peer to a release (\`release\`); ` +
          'narrow with `atLeast`, `atMost`, `is` or `has` before using what not every release has.',
      ),
      ctor: { parameters: [{ name: 'raw', type: scope.rt('QmpClient') }], statements: ['super(raw, { byName: qmpCommandTable.byName }, qmpReleaseTable);'] },
      methods: [
        {
          name: 'launch',
          isStatic: true,
          docs: generatorDocs('Starts QEMU with a private QMP socket and connects (see `TypedQmpClient.launch`).'),
          parameters: [{ name: 'options', type: scope.rt('LaunchOptions') }],
          returnType: `Promise<${scope.rt('Launched')}<${client}>>`,
          // Explicit type arguments: inferring them would relate two instantiations of the
          // client, which makes the checker measure its variance structurally (slow).
          statements: [`return ${scope.rt('launchClient')}<${client}>(options, (raw) => new ${client}<${release}>(raw), ${client}.connectDefaults);`],
        },
        guard(client, 'atLeast', 'The peer runs release `label` or newer: narrows to those releases.', `L extends ${release}`, `Extract<$R, $AtLeast<L>>`),
        guard(client, 'atMost', 'The peer runs release `label` or older: narrows to those releases.', `L extends ${release}`, `Extract<$R, $AtMost<L>>`),
        guard(client, 'is', 'The peer runs release `label`.', 'L extends $R', 'L'),
        guard(
          client,
          'has',
          'The peer\'s release has this command, event or top-level member (`cmd/arg-type/member`): narrows to the releases that have it.',
          `P extends $ReleasePath | keyof ${all} | keyof ${fixed.events}All`,
          'Extract<$R, $ReleasesOf<P>>',
          'path: P',
          'path',
        ),
      ],
    },
    `${scope.rt('installCommandMethods')}(${client}, qmpCommandTable);`,
  ];
}

/** True when a command's arguments or result differ by release (or reach a type that does). */
function dependsOnRelease(set: ReleaseSet, m: Merged<Command>): boolean {
  const keys = (part: (c: Command) => Type | undefined): Set<string> => new Set([...m.byRelease.values()].map((c) => { const t = part(c); return t ? typeKey(t) : ''; }));
  const varying = (part: (c: Command) => Type | undefined): boolean =>
    keys(part).size > 1 || [...m.byRelease.values()].some((c) => { const t = part(c); return t !== undefined && reaches(set, t); });
  return varying((c) => argsOf(c)) || varying((c) => c.returns);
}

function reaches(set: ReleaseSet, t: Type): boolean {
  return t.kind === 'array' ? reaches(set, t.element) : set.varying.has(t.name);
}

/** A release question of the runtime client, redeclared as a type guard that narrows `$R`. */
function guard(client: string, name: string, doc: string, typeParam: string, narrowed: string, param = 'label: L', arg = 'label') {
  const [pname, ptype] = param.split(': ') as [string, string];
  return {
    name: `override ${name}<${typeParam}>`,
    docs: generatorDocs(doc),
    parameters: [{ name: pname, type: ptype }],
    returnType: `this is ${client}<${narrowed}>`,
    statements: [`return super.${name}(${arg});`],
  };
}

/** `testing.ts`: a FakeQemu that serves any release of the set. */
export function testingFile(scope: FileScope, set: ReleaseSet): (StatementStructures | string)[] {
  const { fixed } = scope.names;
  const base = scope.rt('FakeQemu');
  const options = scope.rt('FakeQemuOptions');
  return [
    { kind: 'import', moduleSpecifier: './commands.js', namedImports: [{ name: fixed.commandTable }, { name: fixed.commands, isTypeOnly: true }] },
    { kind: 'import', moduleSpecifier: './events.js', isTypeOnly: true, namedImports: [{ name: fixed.events }] },
    { kind: 'import', moduleSpecifier: './validators.js', namedImports: [{ name: 'qmpValidatorTables' }] },
    {
      kind: 'class',
      name: `FakeQemu${R_PARAM}`,
      isExported: true,
      extends: `${base}<${fixed.commands}<$R>, ${fixed.events}<$R>>`,
      docs: generatorDocs(
        'A QMP server for tests that speaks one release of the set (`release`): its commands, arguments checked as that release checks them, its version in the greeting. ' +
          'Run the same test against every release with no QEMU binary.',
      ),
      methods: [
        {
          name: `start<L extends ${HELPERS.release}>`,
          isStatic: true,
          docs: generatorDocs('Starts a fake of release `release` on a private Unix socket (`.path`), TCP, or in memory (`listen`).'),
          parameters: [{ name: 'options', type: `${options}<${fixed.commands}<L>> & { readonly release: L }` }],
          returnType: 'Promise<FakeQemu<L>>',
          statements: [
            'const { release, ...rest } = options;',
            "const [major, minor] = release.split('.').map(Number) as [number, number];",
            'return new FakeQemu<L>({ table: qmpValidatorTables[release], commands: { byName: qmpCommandTable.byName } }, { version: { major, minor, micro: 0 }, ...rest }).listen();',
          ],
        },
      ],
    },
    `export { ${scope.rt('QmpErrorReply')} as QmpErrorReply };`,
  ];
}
