/**
 * The typed face of {@link QmpClient}: one generic class typed by two maps that generated
 * bindings provide, keyed by wire names.
 *
 * - `C` maps each command name to a {@link CommandSpec} (arguments, result, flags).
 * - `E` maps each event name to its data type (`undefined` for events without data).
 *
 * Generated bindings add one method per command (see {@link installCommandMethods}), all
 * sugar over {@link TypedQmpClient.execute}. Nothing here checks values at run time: the
 * client receives leniently, the types make sending strict.
 */
import { QmpClient, type QmpGreeting } from './client/client.js';
import type { ClientOptions } from './client/client-options.js';
import type { EventIteratorOptions, QmpEventMessage, QmpTimestamp, WaitForEventOptions } from './client/events.js';
import type { SchemaProbe } from './probe.js';
import type { ConnectTarget } from './client/transport.js';
import { CommandFlag } from './symbols.js';
import { observed } from './observed.js';
import { closeOnFailure } from './client/close-on-failure.js';
import { camelCase } from './wire-names.js';
// The job, migration, device removal and launch helpers load on first use (`import()`):
// they are async anyway, and a consumer's bundle then loads them only when called.
import type { JobRun, RunJobOptions } from './operations/jobs.js';
import type { MigrationInfo, MigrationOptions } from './operations/migration.js';
import type { DeviceDelOptions } from './operations/device-del.js';
import type { LaunchOptions, Launched } from './launch.js';
import { runJobDeferred } from './operations/deferred-job-run.js';

export { CommandFlag };

/** Any JSON value: what QAPI's `any` type carries. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The empty object QEMU answers commands that declare no return value with. */
export type EmptyObject = { [key: string]: never };

/** What the bindings know about one command. */
export interface CommandSpec {
  /** The arguments object, or `undefined` when the command takes none. */
  readonly args: object | undefined;
  /** The value of a successful reply's `return`. */
  readonly returns: unknown;
  /** Whether the command may be sent out-of-band (`exec-oob`). */
  readonly allowOob: boolean;
  /** False for commands that send no reply when they succeed. */
  readonly successResponse: boolean;
}

/** Constraint of a command map (an interface of wire names, no index signature needed). */
export type CommandSpecs<C> = { readonly [K in keyof C]: CommandSpec };

/** Options of one typed command call. `oob: true` only type-checks for allow-oob commands. */
export type TypedExecuteOptions<S extends CommandSpec> = {
  /** Time limit, ms; overrides the client's `timeout`. */
  readonly timeout?: number;
  readonly signal?: AbortSignal;
} & (S['allowOob'] extends true
  ? { /** Send as `exec-oob` (needs the `oob` capability). */ readonly oob?: boolean }
  : { /** This command does not allow out-of-band execution. */ readonly oob?: false });

/** The parameters before the options: none allowed, optional or required arguments. */
export type ArgsParams<S extends CommandSpec> = [S['args']] extends [undefined]
  ? [args?: undefined]
  : {} extends S['args']
    ? [args?: S['args']]
    : [args: S['args']];

/** What a call resolves to: the reply's value, or nothing for commands without a success reply. */
export type CommandResult<S extends CommandSpec> = S['successResponse'] extends false ? void : S['returns'];

/** Parameters of `execute(name, ...)` after the name. */
export type ExecuteParams<S extends CommandSpec> = [...ArgsParams<S>, options?: TypedExecuteOptions<S>];

/** Parameters of a command's method: just the options when the command takes no arguments. */
export type MethodParams<S extends CommandSpec> = [S['args']] extends [undefined]
  ? [options?: TypedExecuteOptions<S>]
  : ExecuteParams<S>;

/** The type of a generated per-command method. */
export type CommandMethod<C extends CommandSpecs<C>, K extends keyof C> = (
  ...params: MethodParams<C[K]>
) => Promise<CommandResult<C[K]>>;

/** A known event as received, narrowed by its name. */
export type EventMessage<K extends string, D> = {
  readonly event: K;
  readonly timestamp: QmpTimestamp;
} & ([D] extends [undefined] ? { readonly data?: undefined } : { readonly data: D });

/**
 * The `event` of an event the bindings do not know. At run time it is the plain wire name;
 * the type is a pattern no real name matches, so that comparing `event` with a known name
 * narrows a {@link QmpEvent}-style union to that event alone. Compare it with other names
 * through `String(e.event)`.
 */
export type UnknownEventName = `${string}(not in the schema)`;

/** An event the bindings do not know (a newer peer, an event filtered out). */
export interface UnknownEventMessage {
  readonly event: UnknownEventName;
  readonly data?: { readonly [key: string]: JsonValue };
  readonly timestamp: QmpTimestamp;
}

/**
 * The events of map `E` named `K`, one member per name: a union discriminated by `event`, so
 * comparing `event` with a name narrows `data` to that event's.
 */
export type EventOf<E, K extends keyof E & string> = K extends unknown ? EventMessage<K, E[K]> : never;

/** The discriminated union of every event in map `E`. */
export type EventUnion<E> = EventOf<E, keyof E & string>;

/** Every event message a client may see: the known ones and the fallback. */
export type AnyEventMessage<E> = EventUnion<E> | UnknownEventMessage;

/**
 * One command as generated: wire name, {@link CommandFlag} bits, and the method name when it
 * is not `camelCase(wire)`.
 */
export type CommandTableEntry = readonly [wire: string, flags: number, method?: string];

/** What the runtime knows about every command of a set of bindings, by wire name. */
export interface CommandTable<C> {
  readonly byName: ReadonlyMap<string, { readonly method: string; readonly flags: number }>;
  /** Phantom: ties the table to its command map. */
  readonly commands?: C;
}

/**
 * Builds the runtime table from the generated entries (a Map: wire names are never object keys).
 * An entry is a {@link CommandTableEntry} or, for a command whose method is `camelCase(wire)`
 * and whose flags are below 10, the short form the generator emits: the flags digit followed
 * by the wire name (`'1device_add'`), which keeps the table a bundle loads up front small.
 */
export function defineCommands<C>(entries: readonly (CommandTableEntry | string)[]): CommandTable<C> {
  return { byName: new Map(entries.map(commandEntry)) };
}

function commandEntry(entry: CommandTableEntry | string): [string, { readonly method: string; readonly flags: number }] {
  const [wire, flags, method] = typeof entry === 'string' ? [entry.slice(1), Number(entry[0])] : entry;
  return [wire, { method: method ?? camelCase(wire), flags }];
}

/** The commands that start a job: those with a `job-id` argument (blockdev-create, blockdev-backup, ...). */
export type JobCommand<C extends CommandSpecs<C>> = {
  [K in keyof C & string]: 'job-id' extends keyof NonNullable<C[K]['args']> ? K : never;
}[keyof C & string];

/** A job command's arguments with `job-id` optional: {@link TypedQmpClient.runJob} makes one up when it is absent. */
export type JobArgs<S extends CommandSpec> = NonNullable<S['args']> extends infer A
  ? A extends object ? Omit<A, 'job-id'> & { readonly 'job-id'?: string } : never
  : never;

/** `migrate`'s arguments in map `C`. */
export type MigrateArgs<C> = C extends { readonly migrate: { readonly args: infer A } } ? NonNullable<A> : never;

/** `DEVICE_DELETED` as map `E` types it. */
export type DeviceDeletedEvent<E> = 'DEVICE_DELETED' extends keyof E ? EventMessage<'DEVICE_DELETED', E['DEVICE_DELETED']> : never;

/** A typed client over a connected {@link QmpClient}. */
export class TypedQmpClient<C extends CommandSpecs<C>, E> {
  /**
   * Options generated bindings connect with unless overridden: their validator table (so
   * arguments are checked strictly and replies leniently) and, for bindings generated with
   * `--bigint`, `integers: 'bigint'`. Set by the generated client module.
   */
  static connectDefaults: ClientOptions = {};

  /**
   * Connects and wraps the connection in this (generated) class.
   * Same targets and options as {@link QmpClient.connect}, over the class's `connectDefaults`.
   */
  static connect<T>(
    this: (new (raw: QmpClient) => T) & { connectDefaults?: ClientOptions },
    target: ConnectTarget,
    options?: ClientOptions,
  ): Promise<T> {
    return observed(QmpClient.connect(target, { ...this.connectDefaults, ...options }).then((raw) => closeOnFailure(raw, () => new this(raw))));
  }

  /** The untyped connection, still usable for anything the bindings do not cover. */
  readonly raw: QmpClient;
  /** The generated command table. */
  protected readonly commands: CommandTable<C>;

  constructor(raw: QmpClient, commands: CommandTable<C>) {
    this.raw = raw;
    this.commands = commands;
  }

  get greeting(): QmpGreeting | undefined {
    return this.raw.greeting;
  }

  get capabilities(): readonly string[] {
    return this.raw.capabilities;
  }

  /** Runs a command by its wire name. Arguments are typed by the command's schema. */
  execute<K extends keyof C & string>(command: K, ...params: ExecuteParams<C[K]>): Promise<CommandResult<C[K]>> {
    const [args, options] = params as unknown as [object | undefined, TypedExecuteOptions<CommandSpec> | undefined];
    const flags = this.commands.byName.get(command)?.flags ?? 0;
    const noReply = (flags & CommandFlag.NoSuccessResponse) !== 0;
    const opts = noReply ? { ...options, noReply } : options;
    const result = this.raw.execute(command, args as Record<string, unknown> | undefined, opts);
    return (noReply ? observed(result.then(() => undefined)) : result) as Promise<CommandResult<C[K]>>;
  }

  /**
   * The peer's schema (`query-qmp-schema`) for feature probing, e.g.
   * `(await qmp.schema).has('blockdev-add/arg-type/+file/aio')`, with paths typed by the
   * bindings' command and event names (`raw.schema` takes any name). Fetched on first use.
   */
  get schema(): Promise<SchemaProbe<keyof C & string, keyof E & string>> {
    return this.raw.schema;
  }

  /** Calls `listener` for each event named `event` (or every event for `'*'`); returns an unsubscribe function. */
  on<K extends keyof E & string>(event: K, listener: (event: EventOf<E, K>) => void): () => void;
  on(event: '*', listener: (event: AnyEventMessage<E>) => void): () => void;
  on(event: string, listener: (event: never) => void): () => void {
    return this.raw.on(event, listener as (e: QmpEventMessage) => void);
  }

  /**
   * Events as an async iterator: all of them, or those named in `filter` (then typed as
   * exactly those events, discriminated by `event`).
   */
  events<K extends keyof E & string>(
    filter: K | readonly K[],
    options?: EventIteratorOptions,
  ): AsyncIterableIterator<EventOf<E, K>>;
  events(filter?: undefined, options?: EventIteratorOptions): AsyncIterableIterator<AnyEventMessage<E>>;
  events(filter?: string | readonly string[], options?: EventIteratorOptions): AsyncIterableIterator<unknown> {
    return this.raw.events(filter, options);
  }

  /**
   * Resolves with the next event named `event` that satisfies `predicate`. Arm it before
   * sending the command that causes the event.
   */
  waitForEvent<K extends keyof E & string>(
    event: K,
    predicate?: (event: EventOf<E, K>) => boolean,
    options?: WaitForEventOptions,
  ): Promise<EventOf<E, K>> {
    return this.raw.waitForEvent(event, predicate as ((e: QmpEventMessage) => boolean) | undefined, options) as Promise<unknown> as Promise<
      EventOf<E, K>
    >;
  }

  /**
   * Starts a job and follows it to its end (see {@link runJob}): awaiting the run resolves with
   * the job's final `query-jobs` entry or rejects with a `JobError` carrying QEMU's text; `ready`
   * jobs are completed by `complete()` or `autoComplete`; nothing is left in `query-jobs`.
   * The peer is driven with `job-*`, or with `block-job-*` where the bindings have only those.
   */
  runJob<K extends JobCommand<C>>(command: K, args: JobArgs<C[K]>, options?: RunJobOptions): JobRun {
    const legacy = !this.commands.byName.has('job-cancel') && this.commands.byName.has('block-job-cancel');
    return runJobDeferred(this.raw, command, args as Record<string, unknown>, { ...(legacy ? { verbs: 'block-job' } : {}), ...options });
  }

  /** Sends `migrate` and resolves once the migration completed (see {@link runMigration}). */
  runMigration(args: MigrateArgs<C>, options?: MigrationOptions): Promise<MigrationInfo> {
    return import('./operations/migration.js').then((m) => m.runMigration(this.raw, args as Record<string, unknown>, options));
  }

  /**
   * Sends `device_del` and resolves with `DEVICE_DELETED` once the device is gone (the wait is
   * armed first). The plain command, which resolves as soon as QEMU accepted it, stays
   * available as `execute('device_del', { id })` (and the generated method `deviceDel$`).
   */
  deviceDel(id: string, options?: DeviceDelOptions): Promise<DeviceDeletedEvent<E>> {
    return import('./operations/device-del.js').then((m) => m.deviceDel(this.raw, id, options)) as Promise<unknown> as Promise<DeviceDeletedEvent<E>>;
  }

  close(): Promise<void> {
    return this.raw.close();
  }
}

/**
 * Starts QEMU and wraps its connection with `wrap` (see launch.ts): what a generated client's
 * static `launch` calls. Here rather than re-exported from launch.ts, so that launch.ts loads
 * on first use.
 */
export function launchClient<T extends object>(options: LaunchOptions, wrap: (raw: QmpClient) => T, defaults?: ClientOptions): Promise<Launched<T>> {
  return import('./launch.js').then((m) => m.launchClient(options, wrap, defaults));
}

/**
 * Adds one method per command to a generated client class's prototype. A method of a
 * command without arguments takes only the options.
 */
export function installCommandMethods<C>(
  cls: { readonly prototype: object },
  table: CommandTable<C>,
): void {
  for (const [wire, { method, flags }] of table.byName) {
    const takesArgs = (flags & CommandFlag.Args) !== 0;
    Object.defineProperty(cls.prototype, method, {
      configurable: true,
      writable: true,
      enumerable: false,
      value: takesArgs
        ? function (this: TypedQmpClient<never, never>, args?: object, options?: object): Promise<unknown> {
            return (this.execute as (...p: unknown[]) => Promise<unknown>)(wire, args, options);
          }
        : function (this: TypedQmpClient<never, never>, options?: object): Promise<unknown> {
            return (this.execute as (...p: unknown[]) => Promise<unknown>)(wire, undefined, options);
          },
    });
  }
}

