/**
 * Every runtime symbol that generated bindings may import, in one place. The emitter reads
 * this table to write its imports, and a test checks that each entry is exported by the
 * runtime, so generated code and runtime cannot drift apart.
 *
 * Generated modules import these under private aliases (`$` + name): a schema may define
 * its own `JsonValue` or `TypedQmpClient`, and upstream QAPI names never start with `$`.
 */

export interface RuntimeSymbol {
  /** The export's name in the runtime's entry module. */
  readonly name: string;
  /** True for types and interfaces (imported with `import type`). */
  readonly typeOnly: boolean;
}

function sym<N extends string>(name: N, typeOnly: boolean): { readonly name: N; readonly typeOnly: boolean } {
  return { name, typeOnly };
}

export const runtimeSymbols = {
  JsonValue: sym('JsonValue', true),
  EmptyObject: sym('EmptyObject', true),
  CommandMethod: sym('CommandMethod', true),
  EventUnion: sym('EventUnion', true),
  UnknownEventMessage: sym('UnknownEventMessage', true),
  QmpClient: sym('QmpClient', true),
  TypedQmpClient: sym('TypedQmpClient', false),
  defineCommands: sym('defineCommands', false),
  installCommandMethods: sym('installCommandMethods', false),
} as const satisfies Record<string, RuntimeSymbol>;

export type RuntimeSymbolName = keyof typeof runtimeSymbols;

/** The import specifier generated code uses for the runtime unless configured otherwise. */
export const DEFAULT_RUNTIME_SPECIFIER = 'qmp-ts/runtime';

/**
 * Members of the typed client that command methods must not replace. A command whose method
 * name is one of these (or an `Object.prototype` member) gets a `$` suffix.
 */
export const typedClientMembers: readonly string[] = [
  'raw', 'execute', 'on', 'events', 'waitForEvent', 'close', 'greeting', 'capabilities',
  'commands', 'connect',
];

/** Bits of a command table entry's flags. */
export const CommandFlag = {
  /** The command takes arguments (its method's first parameter is `args`). */
  Args: 1,
  /** `success-response: false`: no reply on success; calls resolve once sent. */
  NoSuccessResponse: 2,
  /** `allow-oob: true`. */
  AllowOob: 4,
} as const;
