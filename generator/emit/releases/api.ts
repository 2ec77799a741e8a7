/**
 * The files of multi-release bindings besides the types and `releases.ts`: `commands.ts`,
 * `events.ts`, `client.ts` (the client with release guards) and `testing.ts` (a FakeQemu
 * that serves any release).
 */
import type { Command, Event, Type } from '../../model/types.js';
import { typeKey, type Merged, type ReleaseSet } from '../../model/releases.js';
import { propertyKey, stringLiteral } from '../../names/index.js';
import { camelCase } from '@qmp-ts/runtime/internal';
import { commandDocs, commandFlags, takesNothing } from '../api.js';
import { docs, generatorDocs } from '../docs.js';
import type { PropertySignatureStructure, StatementStructures } from '../structures.js';
import type { FileScope } from '../scope.js';
import { availabilityNote, releaseUnion, withNote } from './availability.js';
import { HELPERS, ReleaseTypes } from './types.js';

const R_PARAM = `<$R extends ${HELPERS.release} = ${HELPERS.release}>`;

const newest = <T>(m: Merged<T>): T => [...m.byRelease.values()].at(-1)!;

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
