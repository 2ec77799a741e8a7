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

export const runtimeSymbols = {
  JsonValue: { name: 'JsonValue', typeOnly: true },
  EmptyObject: { name: 'EmptyObject', typeOnly: true },
  CommandMethod: { name: 'CommandMethod', typeOnly: true },
  EventUnion: { name: 'EventUnion', typeOnly: true },
  UnknownEventMessage: { name: 'UnknownEventMessage', typeOnly: true },
  QmpClient: { name: 'QmpClient', typeOnly: true },
  TypedQmpClient: { name: 'TypedQmpClient', typeOnly: false },
  defineCommands: { name: 'defineCommands', typeOnly: false },
  installCommandMethods: { name: 'installCommandMethods', typeOnly: false },
  ValidatorTable: { name: 'ValidatorTable', typeOnly: true },
  LaunchOptions: { name: 'LaunchOptions', typeOnly: true },
  Launched: { name: 'Launched', typeOnly: true },
  launchClient: { name: 'launchClient', typeOnly: false },
  FakeQemu: { name: 'FakeQemu', typeOnly: false },
  FakeQemuOptions: { name: 'FakeQemuOptions', typeOnly: true },
  ReplayOptions: { name: 'ReplayOptions', typeOnly: true },
  QmpErrorReply: { name: 'QmpErrorReply', typeOnly: false },
  // multi-release bindings (release-client.ts, releases.ts)
  ReleaseQmpClient: { name: 'ReleaseQmpClient', typeOnly: false },
  MethodParams: { name: 'MethodParams', typeOnly: true },
  CommandResult: { name: 'CommandResult', typeOnly: true },
  defineReleases: { name: 'defineReleases', typeOnly: false },
} as const satisfies Record<string, RuntimeSymbol>;

export type RuntimeSymbolName = keyof typeof runtimeSymbols;

/** The import specifier generated code uses for the runtime unless configured otherwise. */
export const DEFAULT_RUNTIME_SPECIFIER = '@qmp-ts/runtime';

/**
 * Members of the typed client that command methods must not replace. A command whose method
 * name is one of these (or an `Object.prototype` member) gets a `$` suffix.
 */
export const typedClientMembers: readonly string[] = [
  'raw', 'execute', 'on', 'events', 'waitForEvent', 'close', 'greeting', 'capabilities', 'schema',
  'commands', 'connect', 'runJob', 'runMigration', 'deviceDel',
  // what the multi-release client adds (runtime/releases/release-client.ts)
  'release', 'releases', 'detectRelease', 'atLeast', 'atMost', 'is', 'has',
  // what a launched client adds (runtime/launch.ts)
  'process', 'exited', 'stderr', 'socketPath',
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
