/**
 * FakeQemu: a QMP server for tests, driven by the bindings' validator table and command
 * table. It speaks QMP as QEMU 7.2 does (greeting, capability negotiation, in-band commands
 * one at a time, `exec-oob` only once `oob` is negotiated and only for allow-oob commands)
 * and checks arguments with QEMU's own wording (fake-input.ts). Replies and events from the
 * test's handlers are checked against the schema before they are sent: a reply that breaks
 * it is answered as an error naming the path, and recorded in `failures`.
 *
 * Transports: a Unix socket in a private folder (default), TCP, or in-memory streams
 * (`connectStream()`), all at once if wanted.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { duplexPair, type Duplex } from 'node:stream';
import { parseJson, stringifyJson } from '../json/bigint-json.js';
import { LineSplitter } from '../client/framing.js';
import { describeIssue } from '../validation/issues.js';
import { reasonText } from '../errors.js';
import type { CommandSpec, CommandSpecs, CommandTable, EmptyObject, JsonValue } from '../typed.js';
import { CommandFlag } from '../symbols.js';
import { Validator, type ValidatorTable } from '../validation/validate.js';
import { Compat, type CompatPolicy } from './fake-compat.js';
import { QemuInputChecker } from './fake-input.js';
import { loadReplayScript, mismatch, type ReplayScript } from './fake-replay.js';
import { makeOwnedFolder } from '../host/owned-folder.js';

/** Throw this from a handler to answer with a QMP error (any error with a string `errorClass` works too, e.g. a QmpError). */
export class QmpErrorReply extends Error {
  override readonly name = 'QmpErrorReply';
  constructor(
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(`${errorClass}: ${desc}`);
  }
}

/** What a handler learns about the call besides its arguments. */
export interface FakeCall {
  readonly command: string;
  /** Sent as `exec-oob`. */
  readonly oob: boolean;
}

type HandlerArgs<S extends CommandSpec> = [S['args']] extends [undefined] ? undefined : S['args'];
/** What a handler returns: nothing for commands without a success reply or without a return value (answered `{}`). */
type HandlerResult<S extends CommandSpec> = S['successResponse'] extends false
  ? void
  : [S['returns']] extends [EmptyObject]
    ? EmptyObject | void
    : S['returns'];

export type FakeHandler<S extends CommandSpec> = (args: HandlerArgs<S>, call: FakeCall) => HandlerResult<S> | Promise<HandlerResult<S>>;

/** Handlers by command wire name. */
export type FakeHandlers<C extends CommandSpecs<C>> = { readonly [K in keyof C]?: FakeHandler<C[K]> };

/** Commands of a schema the fake knows only at run time. */
export type UntypedCommands = Record<string, { args: Record<string, JsonValue> | undefined; returns: unknown; allowOob: boolean; successResponse: boolean }>;

/** Event data a fake can emit: none for events without data (and, untyped, wherever data may be left out). */
type EmitParams<D> = undefined extends D ? [data?: D] : [data: D];

export interface FakeQemuOptions<C extends CommandSpecs<C> = UntypedCommands> {
  readonly handlers?: FakeHandlers<C>;
  /** `query-version` and the greeting (default 7.2.0, package "qmp-ts FakeQemu"). */
  readonly version?: { readonly major: number; readonly minor: number; readonly micro: number; readonly package?: string };
  /** Offered in the greeting (default `['oob']`). */
  readonly capabilities?: readonly string[];
  /** QEMU's `-compat` policy. */
  readonly compat?: CompatPolicy;
  /**
   * Where to listen: a Unix socket (default: `qmp.sock` in a private folder, see `path`),
   * TCP (`{ host, port }`, port 0 picks one, see `port`), or `false` for in-memory streams
   * only (`connectStream()`). The fake has no authentication: without `host` it listens on
   * 127.0.0.1 only; other addresses must be named (an empty `host` is refused, as Node
   * would read it as every interface).
   */
  readonly listen?: { readonly path: string } | { readonly host?: string; readonly port: number } | false;
  /** Serve this recorded session (runtime/transcript/transcript.ts) instead of handlers; see `FakeQemu.replay`. */
  readonly replay?: string;
}

/**
 * A failure the fake plays instead of answering one command (see `FakeQemu.inject`):
 * - `refuse`: an error reply (`errorClass`, default GenericError), the command not run;
 * - `close-before-reply`: the connection ends without a reply, the command not run;
 * - `close-after-reply`: the command runs and is answered, then the connection ends;
 * - `kill`: every connection is cut at once and the fake stops accepting new ones, as if
 *   QEMU died (the command not run).
 * The closes end connections as QEMU going away does; the fake keeps listening (but for `kill`).
 */
export type FakeFault = 'refuse' | 'close-before-reply' | 'close-after-reply' | 'kill';

export interface FakeFaultOptions {
  /** Which call of the command gets the fault, counting from 1 (default: the next one). */
  readonly nth?: number;
  /** For `refuse`: the error's class and text. */
  readonly errorClass?: string;
  readonly desc?: string;
}

/** Options of a replay: everything but the handlers. */
export type ReplayOptions = Omit<FakeQemuOptions, 'handlers' | 'replay'>;

/** A command message as received (the id left out). */
export interface FakeReceived {
  readonly execute: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
  /** Sent as `exec-oob`. */
  readonly oob?: true;
}

/** Something a test should know went wrong on the fake's side. */
export interface FakeFailure {
  readonly command: string;
  readonly kind: 'bad-reply' | 'handler-threw' | 'no-handler' | 'replay-mismatch' | 'replay-exhausted';
  readonly message: string;
}

/** What the fake needs from the bindings. */
export interface FakeSchema<C> {
  readonly table: ValidatorTable;
  readonly commands: CommandTable<C>;
}

type Json = Readonly<Record<string, unknown>>;

/** Where TCP listens unless told otherwise: the fake has no authentication. */
const LOOPBACK = '127.0.0.1';

const DEFAULT_VERSION = { major: 7, minor: 2, micro: 0, package: 'qmp-ts FakeQemu' };

export class FakeQemu<C extends CommandSpecs<C> = UntypedCommands, E = Record<string, Json | undefined>> {
  /** Every command message received, in order, on every connection. */
  readonly received: FakeReceived[] = [];
  /** Bad replies, throwing or missing handlers, replay mismatches: a passing test expects none. */
  readonly failures: FakeFailure[] = [];

  readonly #table: ValidatorTable;
  readonly #flags: ReadonlyMap<string, { readonly flags: number }>;
  readonly #validator: Validator;
  readonly #input: QemuInputChecker;
  readonly #compat: Compat;
  readonly #handlers = new Map<string, (args: never, call: FakeCall) => unknown>();
  readonly #options: FakeQemuOptions<C>;
  readonly #version: { major: number; minor: number; micro: number; package: string };
  readonly #capabilities: readonly string[];
  readonly #sessions = new Set<Session>();
  readonly #replay: ReplayScript | undefined;
  #cursor = 0;
  #server: Server | undefined;
  #folder: string | undefined;
  #path: string | undefined;
  #port: number | undefined;
  #closing: Promise<void> | undefined;
  /** Faults to play, by command; and how often each command was called (after negotiation). */
  readonly #faults = new Map<string, { fault: FakeFault; nth: number; options: FakeFaultOptions }[]>();
  readonly #calls = new Map<string, number>();
  #dead = false;

  constructor(schema: FakeSchema<C>, options: FakeQemuOptions<C> = {}) {
    this.#table = schema.table;
    this.#flags = schema.commands.byName;
    this.#validator = new Validator(schema.table);
    this.#input = new QemuInputChecker(schema.table);
    this.#compat = new Compat(schema.table, options.compat);
    this.#options = options;
    this.#replay = options.replay !== undefined ? loadReplayScript(options.replay) : undefined;
    const recorded = this.#replay?.greeting?.['QMP'] as { version?: { qemu?: typeof DEFAULT_VERSION; package?: string }; capabilities?: string[] } | undefined;
    const version = options.version ?? (recorded?.version?.qemu ? { ...recorded.version.qemu, package: recorded.version.package ?? '' } : undefined);
    this.#version = { ...DEFAULT_VERSION, ...version };
    this.#capabilities = options.capabilities ?? recorded?.capabilities ?? ['oob'];
    for (const [name, handler] of Object.entries(options.handlers ?? {})) {
      if (typeof handler === 'function') this.#handlers.set(name, handler as (args: never, call: FakeCall) => unknown);
    }
  }

  /** Starts listening (see `listen`) and resolves with the fake. */
  async listen(): Promise<this> {
    const where = this.#options.listen;
    if (where === false) return this;
    if (where !== undefined && 'port' in where && where.host === '') {
      throw new TypeError("FakeQemu: listen.host is empty, which would listen on every interface; name an address (without host, 127.0.0.1)");
    }
    const server = createServer((socket) => this.#attach(socket));
    this.#server = server;
    if (where !== undefined && 'port' in where) {
      await listenOn(server, { host: where.host ?? LOOPBACK, port: where.port });
      const address = server.address();
      this.#port = typeof address === 'object' && address !== null ? address.port : undefined;
    } else {
      if (where === undefined) this.#folder = makeOwnedFolder('fake-');
      this.#path = where?.path ?? join(this.#folder!, 'qmp.sock');
      await listenOn(server, { path: this.#path });
    }
    return this;
  }

  /** The Unix socket it listens on. */
  get path(): string | undefined {
    return this.#path;
  }

  /** The TCP port it listens on. */
  get port(): number | undefined {
    return this.#port;
  }

  /** Commands of the recording not replayed yet (0 when not replaying or done). */
  get unplayed(): number {
    return this.#replay === undefined ? 0 : this.#replay.steps.length - this.#cursor;
  }

  /** Client connections open now (a test can wait for its client to go away). */
  get connections(): number {
    return this.#sessions.size;
  }

  /**
   * Ends every open connection, as QEMU quitting or crashing would, after what was already
   * sent; keeps listening, so a reconnecting client finds the fake again.
   */
  disconnect(): void {
    for (const s of this.#sessions) s.end();
  }

  /** A new in-memory connection: pass it as `{ stream: fake.connectStream() }`. */
  connectStream(): Duplex {
    const [mine, theirs] = duplexPair();
    this.#attach(mine);
    return theirs;
  }

  /**
   * Plays `fault` instead of the normal answer to one call of `command` (see {@link FakeFault}):
   * the `nth` call from now on counted from the fake's start (default: the next call).
   */
  inject(command: string, fault: FakeFault, options: FakeFaultOptions = {}): void {
    const nth = options.nth ?? (this.#calls.get(command) ?? 0) + 1;
    const list = this.#faults.get(command) ?? [];
    list.push({ fault, nth, options });
    this.#faults.set(command, list);
  }

  /** True once a `kill` fault was played: the fake accepts no connection any more. */
  get dead(): boolean {
    return this.#dead;
  }

  /** Sets (or replaces) the handler of one command. */
  handle<K extends keyof C & string>(command: K, handler: FakeHandler<C[K]>): void {
    this.#handlers.set(command, handler as (args: never, call: FakeCall) => unknown);
  }

  /**
   * Sends an event to every negotiated connection. The data is checked against the schema
   * first; data that breaks it throws (nothing is sent).
   */
  emit<K extends keyof E & string>(event: K, ...params: EmitParams<E[K]>): void {
    const data = params[0] as unknown;
    const r = this.#validator.checkEvent(event, data, 'strict');
    if (!r.ok) throw new Error(`FakeQemu.emit(${event}): ${r.issues.filter((i) => i.severity === 'error').map(describeIssue).join('; ')}`);
    this.#broadcast({ event, ...(data !== undefined ? { data } : {}) }, this.#table.events[event]);
  }

  /** Closes every connection and the listener; removes the socket and its folder. Idempotent. */
  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      for (const s of this.#sessions) s.destroy();
      this.#sessions.clear();
      if (this.#server !== undefined) await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
      if (this.#folder !== undefined) rmSync(this.#folder, { recursive: true, force: true });
    })());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---- serving ----------------------------------------------------------------------

  #attach(stream: Duplex | Socket): void {
    if (this.#closing !== undefined || this.#dead) {
      stream.destroy();
      return;
    }
    const session = new Session(stream, (message, s) => this.#onMessage(message, s), () => this.#sessions.delete(session));
    this.#sessions.add(session);
    session.send({
      QMP: {
        version: { qemu: { micro: this.#version.micro, minor: this.#version.minor, major: this.#version.major }, package: this.#version.package },
        capabilities: [...this.#capabilities],
      },
    });
  }

  #broadcast(message: Json, type: number | undefined): void {
    const name = message['event'] as string;
    if (this.#compat.hidesEvent(name)) return;
    const data = message['data'] !== undefined && type !== undefined ? this.#compat.output(type, message['data']) : message['data'];
    const now = Date.now();
    const full = { event: name, ...(data !== undefined ? { data } : {}), timestamp: { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 } };
    for (const s of this.#sessions) if (s.negotiated) s.send(full);
  }

  /** QEMU's qmp_dispatch, in order: shape of the message, negotiation, lookup, policy, OOB, arguments. */
  #onMessage(m: unknown, session: Session): void {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) {
      session.send(errorReply(undefined, 'GenericError', 'QMP input must be a JSON object'));
      return;
    }
    const msg = m as Json;
    const id = msg['id'];
    const execute = msg['execute'] ?? msg['exec-oob'];
    if (typeof execute === 'string') {
      const args = msg['arguments'];
      this.received.push({
        execute,
        ...(args !== undefined ? { arguments: args as Json } : {}),
        ...('exec-oob' in msg && !('execute' in msg) ? { oob: true as const } : {}),
      });
    }
    const shape = checkShape(msg, session.oob);
    if (shape !== undefined) {
      session.send(errorReply(id, 'GenericError', shape));
      return;
    }
    const oob = !('execute' in msg);
    const command = execute as string;
    const args = (msg['arguments'] ?? {}) as Json;
    if (oob) {
      // Out-of-band: at once, overtaking in-band commands still queued or running.
      void this.#dispatch(command, args, id, true, session);
    } else {
      session.enqueue(() => this.#dispatch(command, args, id, false, session));
    }
  }

  async #dispatch(command: string, args: Json, id: unknown, oob: boolean, session: Session): Promise<void> {
    if (!session.negotiated) {
      if (command !== 'qmp_capabilities') {
        session.send(errorReply(id, 'CommandNotFound', "Expecting capabilities negotiation with 'qmp_capabilities'"));
        return;
      }
      this.#negotiate(args, id, session);
      return;
    }
    if (command === 'qmp_capabilities') {
      session.send(errorReply(id, 'CommandNotFound', 'Capabilities negotiation is already complete, command ignored'));
      return;
    }
    const call = (this.#calls.get(command) ?? 0) + 1;
    this.#calls.set(command, call);
    const fault = this.#faults.get(command)?.find((f) => f.nth === call);
    if (fault !== undefined) {
      await this.#playFault(fault.fault, fault.options, command, args, id, oob, session);
      return;
    }
    await this.#answer(command, args, id, oob, session);
  }

  async #playFault(fault: FakeFault, options: FakeFaultOptions, command: string, args: Json, id: unknown, oob: boolean, session: Session): Promise<void> {
    switch (fault) {
      case 'refuse':
        session.send(errorReply(id, options.errorClass ?? 'GenericError', options.desc ?? `FakeQemu: injected refusal of '${command}'`));
        return;
      case 'close-before-reply':
        session.end();
        return;
      case 'close-after-reply':
        await this.#answer(command, args, id, oob, session);
        session.end();
        return;
      case 'kill':
        this.#dead = true;
        for (const s of this.#sessions) s.destroy();
        return;
    }
  }

  /** The normal answer to a command once negotiated: replayed, or looked up, checked and run. */
  async #answer(command: string, args: Json, id: unknown, oob: boolean, session: Session): Promise<void> {
    if (this.#replay !== undefined) {
      this.#replayStep(this.#replay, command, args, id, session);
      return;
    }
    const types = this.#table.commands[command];
    if (types === undefined || !Object.hasOwn(this.#table.commands, command)) {
      session.send(errorReply(id, 'CommandNotFound', `The command ${command} has not been found`));
      return;
    }
    const refused = this.#compat.refuseCommand(command);
    if (refused !== undefined) {
      session.send(errorReply(id, 'CommandNotFound', refused));
      return;
    }
    const flags = this.#flags.get(command)?.flags ?? 0;
    if (oob && (flags & CommandFlag.AllowOob) === 0) {
      session.send(errorReply(id, 'GenericError', `The command ${command} does not support OOB`));
      return;
    }
    const bad = this.#input.check(types[0], args, this.#compat.input);
    if (bad !== undefined) {
      session.send(errorReply(id, 'GenericError', bad));
      return;
    }
    const noReply = (flags & CommandFlag.NoSuccessResponse) !== 0;
    const answer = await this.#run(command, types[1], (flags & CommandFlag.Args) !== 0 ? args : undefined, oob, session);
    if ('error' in answer || !noReply) session.send({ ...answer, ...(id !== undefined ? { id } : {}) });
  }

  #negotiate(args: Json, id: unknown, session: Session): void {
    const types = this.#table.commands['qmp_capabilities'];
    const bad = types === undefined ? undefined : this.#input.check(types[0], args, this.#compat.input);
    if (bad !== undefined) {
      session.send(errorReply(id, 'GenericError', bad));
      return;
    }
    const enable = Array.isArray(args['enable']) ? (args['enable'] as string[]) : [];
    const unavailable = enable.filter((c) => !this.#capabilities.includes(c));
    if (unavailable.length > 0) {
      session.send(errorReply(id, 'GenericError', `Capability ${unavailable.join(', ')} not available`));
      return;
    }
    session.oob = enable.includes('oob');
    session.negotiated = true;
    session.send({ return: {}, ...(id !== undefined ? { id } : {}) });
    if (this.#replay !== undefined) for (const e of this.#replay.initial) session.send(e);
  }

  /** Runs the handler (or a built-in) and checks its reply against the schema. */
  async #run(command: string, returns: number, args: Json | undefined, oob: boolean, session: Session): Promise<Json> {
    const handler = this.#handlers.get(command) ?? this.#builtin(command, session);
    if (handler === undefined) {
      const message = `FakeQemu has no handler for command '${command}': pass handlers: { '${command}': (args) => ... } to FakeQemu.start(), or call fake.handle('${command}', ...)`;
      this.failures.push({ command, kind: 'no-handler', message });
      return { error: { class: 'GenericError', desc: message } };
    }
    let value: unknown;
    try {
      value = await handler(args as never, { command, oob });
    } catch (error) {
      const errorClass = (error as { errorClass?: unknown } | null)?.errorClass;
      if (typeof errorClass === 'string') {
        const desc = (error as { desc?: unknown }).desc;
        return { error: { class: errorClass, desc: typeof desc === 'string' ? desc : String((error as Error).message) } };
      }
      const message = `FakeQemu: the handler of '${command}' threw: ${reasonText(error)}`;
      this.failures.push({ command, kind: 'handler-threw', message });
      return { error: { class: 'GenericError', desc: message } };
    }
    if (value === undefined && isEmptyStruct(this.#table, returns)) value = {};
    const r = this.#validator.checkReturn(command, value, 'strict');
    if (!r.ok) {
      const message = `FakeQemu: the handler of '${command}' returned a reply that breaks the schema: ${r.issues
        .filter((i) => i.severity === 'error')
        .map(describeIssue)
        .join('; ')}`;
      this.failures.push({ command, kind: 'bad-reply', message });
      return { error: { class: 'GenericError', desc: message } };
    }
    return { return: this.#compat.output(returns, value) };
  }

  /** What the fake answers itself unless a handler is given: query-version, query-commands, quit. */
  #builtin(command: string, session: Session): ((args: never) => unknown) | undefined {
    switch (command) {
      case 'query-version':
        return () => ({ qemu: { major: this.#version.major, minor: this.#version.minor, micro: this.#version.micro }, package: this.#version.package });
      case 'query-commands':
        return () => Object.keys(this.#table.commands).filter((c) => this.#compat.refuseCommand(c) === undefined).map((name) => ({ name }));
      case 'quit':
        // Like QEMU: the reply, then the connection goes away.
        return () => {
          setImmediate(() => session.end());
          return {};
        };
      default:
        return undefined;
    }
  }

  #replayStep(script: ReplayScript, command: string, args: Json, id: unknown, session: Session): void {
    const step = script.steps[this.#cursor];
    if (step === undefined) {
      const message = `FakeQemu replay: unexpected command '${command}': all ${script.steps.length} commands of ${script.file} were replayed`;
      this.failures.push({ command, kind: 'replay-exhausted', message });
      session.send(errorReply(id, 'GenericError', message));
      return;
    }
    const why = mismatch(step, this.#cursor, command, args);
    if (why !== undefined) {
      const message = `FakeQemu replay: ${why}`;
      this.failures.push({ command, kind: 'replay-mismatch', message });
      session.send(errorReply(id, 'GenericError', message));
      return;
    }
    this.#cursor++;
    for (const e of step.before) session.send(e);
    if (step.reply !== undefined) {
      const { id: _recorded, ...reply } = step.reply;
      session.send({ ...reply, ...(id !== undefined ? { id } : {}) });
    }
    for (const e of step.after) session.send(e);
  }
}

/** QEMU's qmp_dispatch_check_obj: the members a command message may have. */
function checkShape(m: Json, oobEnabled: boolean): string | undefined {
  let execKey: string | undefined;
  for (const [key, value] of Object.entries(m)) {
    if (key === 'execute' || (key === 'exec-oob' && oobEnabled)) {
      if (typeof value !== 'string') return `QMP input member '${key}' must be a string`;
      if (execKey !== undefined) return `QMP input member '${key}' clashes with '${execKey}'`;
      execKey = key;
    } else if (key === 'arguments') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return "QMP input member 'arguments' must be an object";
    } else if (key !== 'id') {
      return `QMP input member '${key}' is unexpected`;
    }
  }
  return execKey === undefined ? "QMP input lacks member 'execute'" : undefined;
}

function errorReply(id: unknown, errorClass: string, desc: string): Json {
  return { error: { class: errorClass, desc }, ...(id !== undefined ? { id } : {}) };
}

function isEmptyStruct(table: ValidatorTable, i: number): boolean {
  const d = table.types[i];
  return d !== undefined && d[0] === 's' && d[2].length === 0;
}

function listenOn(server: Server, where: { path: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** One client connection: line framing, the negotiation state and the in-band queue. */
class Session {
  negotiated = false;
  oob = false;
  #queue: Promise<void> = Promise.resolve();
  readonly #stream: Duplex;

  constructor(stream: Duplex, onMessage: (message: unknown, session: Session) => void, onClose: () => void) {
    this.#stream = stream;
    const splitter = new LineSplitter({
      line: (text) => {
        let message: unknown;
        try {
          message = parseJson(text, { integers: 'bigint' });
        } catch {
          // QEMU answers unparsable input with an error without id.
          this.send(errorReply(undefined, 'GenericError', 'JSON parse error, invalid JSON'));
          return;
        }
        onMessage(message, this);
      },
      sentinel: () => {},
      discarded: () => {},
    });
    stream.on('data', (chunk: Buffer | string) => splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    stream.on('error', () => {});
    stream.once('close', onClose);
    stream.once('end', () => stream.end());
  }

  /** Runs in-band commands one at a time, in order, as QEMU's monitor does. */
  enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task, task);
  }

  send(message: Json): void {
    if (this.#stream.writable) this.#stream.write(stringifyJson(message) + '\r\n');
  }

  /** Ends the connection after what was sent (as QEMU closes its socket); an in-memory peer need not end its side. */
  end(): void {
    this.#stream.end(() => this.#stream.destroy());
  }

  destroy(): void {
    this.#stream.destroy();
  }
}
