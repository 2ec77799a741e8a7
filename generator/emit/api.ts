/**
 * The maps keyed by wire names (`QmpCommands`, `QmpEvents`), the event union `QmpEvent`,
 * the runtime command table and the generated client class with one method per command.
 */
import type { StatementStructures } from './structures.js';
import { fitOrBreak } from './print.js';
import type { Command, Event, StructType, UnionType } from '../model/types.js';
import { camelCase, propertyKey, stringLiteral } from '../names/index.js';
import { CommandFlag } from '@qmp-ts/runtime/internal';
import { docs, generatorDocs } from './docs.js';
import type { FileScope } from './scope.js';

/** True when a command or event carries no arguments at all. */
export function takesNothing(args: StructType | UnionType | undefined): boolean {
  return args === undefined || (args.kind === 'struct' && args.members.length === 0 && (args.name === 'q_empty' || args.implicit));
}

function commandNotes(c: Command): string[] {
  // Without schema docs (introspection input), at least say which command this is.
  const notes: string[] = c.doc ? [] : [`QMP command \`${c.name}\`.`];
  if (!c.successResponse) notes.push('QEMU sends no reply when this command succeeds: the call resolves once the command is sent.');
  if (c.allowOob) notes.push('May be sent out-of-band (`{ oob: true }`).');
  return notes;
}

/** Full docs (on the method), or a summary pointing at the method (in the command map). */
export function commandDocs(c: Command, summaryOf?: string) {
  return docs({
    ...(c.doc ? { doc: c.doc } : {}),
    features: c.features,
    ...(c.condition !== undefined ? { condition: c.condition } : {}),
    command: true,
    ...(summaryOf !== undefined ? { summary: `Method: \`${summaryOf}\`.` } : { notes: commandNotes(c) }),
  });
}

export function commandFlags(c: Command): number {
  return (
    (takesNothing(c.arguments) ? 0 : CommandFlag.Args) |
    (c.successResponse ? 0 : CommandFlag.NoSuccessResponse) |
    (c.allowOob ? CommandFlag.AllowOob : 0)
  );
}

/** `QmpCommands` and the runtime command table. */
export function commandsFile(scope: FileScope, commands: readonly Command[]): StatementStructures[] {
  const { fixed } = scope.names;
  const empty = commands.length > 0 ? scope.rt('EmptyObject') : '';
  return [
    {
      kind: 'interface',
      name: fixed.commands,
      isExported: true,
      docs: generatorDocs('Every command of the schema, by wire name: its arguments, result and flags.'),
      properties: commands.map((c) => {
        const args = c.arguments && !takesNothing(c.arguments) ? scope.typeExpr(c.arguments) : 'undefined';
        const returns = c.returns ? scope.typeExpr(c.returns) : empty;
        return {
          name: propertyKey(c.name),
          type: {
            kind: 'object',
            members: [
              { name: 'args', type: args },
              { name: 'returns', type: returns },
              { name: 'allowOob', type: String(c.allowOob) },
              { name: 'successResponse', type: String(c.successResponse) },
            ],
          },
          docs: commandDocs(c, scope.names.methodName(c)),
        };
      }),
    },
    {
      kind: 'const',
      name: fixed.commandTable,
      isExported: true,
      docs: generatorDocs(
        'What the client needs at run time about each command: its flags digit and wire name in one string, or `[wire, flags, method]` where the method name is not the camelCase of the wire name.',
      ),
      initializer: {
        kind: 'array',
        prefix: `/* @__PURE__ */ ${scope.rt('defineCommands')}<${fixed.commands}>(`,
        elements: commands.map((c) => {
          const method = scope.names.methodName(c);
          const flags = commandFlags(c);
          // the short form (runtime/typed.ts defineCommands): 3 bytes less a command, minified
          if (method === camelCase(c.name) && flags < 10) return stringLiteral(`${flags}${c.name}`);
          return `[${stringLiteral(c.name)}, ${flags}, ${stringLiteral(method)}]`;
        }),
        suffix: ')',
      },
    },
  ];
}

function eventDocs(e: Event) {
  return docs({
    ...(e.doc ? { doc: e.doc } : {}),
    features: e.features,
    ...(e.condition !== undefined ? { condition: e.condition } : {}),
  });
}

/** `QmpEvents` and `QmpEvent`. */
export function eventsFile(scope: FileScope, events: readonly Event[]): StatementStructures[] {
  const { fixed } = scope.names;
  return [
    {
      kind: 'interface',
      name: fixed.events,
      isExported: true,
      docs: generatorDocs('Every event of the schema, by wire name: the type of its `data` (`undefined`: it has none).'),
      properties: events.map((e) => ({
        name: propertyKey(e.name),
        type: e.arguments && !takesNothing(e.arguments) ? scope.typeExpr(e.arguments) : 'undefined',
        docs: eventDocs(e),
      })),
    },
    {
      kind: 'type',
      name: fixed.event,
      isExported: true,
      docs: generatorDocs(
        'An event as received. Comparing `event` with a known name narrows `data`; events the schema does not know arrive as the fallback member.',
      ),
      type: `${scope.rt('EventUnion')}<${fixed.events}> | ${scope.rt('UnknownEventMessage')}`,
    },
  ];
}

/** The per-command methods interface and the client class. */
export function clientFile(
  scope: FileScope,
  commands: readonly Command[],
  files: {
    commands: string;
    events: string;
    /** The validator table module: the client loads it at connect (see TypedQmpClient.connectDefaults). */
    validators?: { module: string; table: string };
    /** `--bigint`: the client connects with `integers: 'bigint'`. */
    bigint?: boolean;
  },
): (StatementStructures | string)[] {
  const { fixed } = scope.names;
  const method = scope.rt('CommandMethod');
  const base = scope.rt('TypedQmpClient');
  const raw = scope.rt('QmpClient');
  const install = scope.rt('installCommandMethods');
  const defaults = connectDefaults(fixed.client, files);
  return [
    ...defaults.imports,
    {
      kind: 'import',
      moduleSpecifier: files.commands,
      namedImports: [{ name: fixed.commandTable }, { name: fixed.commands, isTypeOnly: true }],
    },
    {
      kind: 'import',
      moduleSpecifier: files.events,
      isTypeOnly: true,
      namedImports: [{ name: fixed.events }],
    },
    {
      kind: 'interface',
      name: fixed.methods,
      isExported: true,
      docs: generatorDocs(`One method per command: sugar over \`execute(name, args, options)\`.`),
      properties: commands.map((c) => ({
        name: scope.names.methodName(c),
        isReadonly: true,
        type: { kind: 'generic', name: method, args: [fixed.commands, stringLiteral(c.name)] },
        docs: commandDocs(c),
      })),
    },
    {
      kind: 'interface',
      name: fixed.client,
      isExported: true,
      extends: [fixed.methods],
    },
    {
      kind: 'class',
      name: fixed.client,
      isExported: true,
      extends: `${base}<${fixed.commands}, ${fixed.events}>`,
      docs: generatorDocs(
        `A typed client: \`await ${fixed.client}.connect({ path })\`, then one method per command, typed \`execute\`, \`on\`, \`events\` and \`waitForEvent\`.`,
      ),
      ctor: { parameters: [{ name: 'raw', type: raw }], statements: [`super(raw, ${fixed.commandTable});`] },
      methods: [
        {
          name: 'launch',
          isStatic: true,
          docs: generatorDocs(
            'Starts QEMU (`qemu-system-*`, `qemu-storage-daemon` or `qemu-ga`) with a private QMP socket and connects. ' +
              'The client owns the process: `close()` (or `await using`) ends it and removes the socket.',
          ),
          parameters: [{ name: 'options', type: scope.rt('LaunchOptions') }],
          // through globalThis: the client may be named `Promise` (globalThis is reserved)
          returnType: `globalThis.Promise<${scope.rt('Launched')}<${fixed.client}>>`,
          statements: [`return ${scope.rt('launchClient')}(options, (raw) => new ${fixed.client}(raw), ${fixed.client}.connectDefaults);`],
        },
      ],
    },
    `${install}(${fixed.client}, ${fixed.commandTable});`,
    ...defaults.statements,
  ];
}

/**
 * The statement that gives the client class its connect defaults (validators, bigint). The
 * validator table is imported dynamically, at connect: bundlers put it (and the runtime's
 * validator) in a separate chunk, so a consumer loads the small core up front.
 */
function connectDefaults(
  client: string,
  files: { validators?: { module: string; table: string }; bigint?: boolean },
): { imports: StatementStructures[]; statements: string[] } {
  const entries: string[] = [];
  if (files.validators) {
    entries.push(`validator: () => import(${stringLiteral(files.validators.module)}).then((m) => m.${files.validators.table})`);
  }
  if (files.bigint) entries.push(`integers: 'bigint'`);
  const lead = `${client}.connectDefaults = `;
  return { imports: [], statements: entries.length > 0 ? [`${lead}${fitOrBreak(lead, '{ ', entries, ' };')}`] : [] };
}
