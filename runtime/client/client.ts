/**
 * The QMP client: one connection to QEMU, qemu-storage-daemon or the guest agent.
 *
 * - Commands are pipelined: each gets a unique numeric id, replies are matched by id, so
 *   in-band replies, `exec-oob` replies that overtake them, and events can interleave freely.
 * - Events go to every consumer in arrival order (see events.ts); a slow consumer never
 *   blocks replies.
 * - When the connection ends, every pending command rejects at once with
 *   ConnectionClosedError; events received before are still delivered.
 * - Unexpected input never throws: it is reported through `onError` and the `log` hook. A
 *   line over `maxLineBytes` also fails the connection (it may have been any command's reply).
 * - Failing to open the transport rejects `connect` with QmpConnectionError.
 *
 * Replies without an id (QEMU's answer to input it could not parse) are reported, never
 * used to settle a command: QEMU can send several for one bad input (its JSON streamer
 * resets and then rejects the rest of the message token by token), and with `oob` the
 * order of replies is not the order of input, so "the oldest pending command" would be a
 * guess. This client always sends an id with well-formed JSON, so such a reply means
 * something outside the client's control happened; the affected command still ends by its
 * timeout, its AbortSignal, or the connection closing.
 *
 * This module keeps the state machine, the handshake and the dispatch of what arrives; its
 * parts are the commands in flight (pending-commands.ts), write batching (write-batcher.ts),
 * guest agent resync (agent-sync.ts) and reconnecting (reconnect.ts).
 */
import type { Duplex } from 'node:stream';
import type { AgentSync } from './agent-sync.js';
import { loadClientParts, reconnects, type ClientParts } from './client-parts.js';
import type { ClientOptions, ClientState, ExecuteOptions, LogHook } from './client-options.js';
import {
  ConnectionClosedError,
  QmpError,
  QmpProtocolError,
  QmpTimeoutError,
  QmpUsageError,
  toError,
} from '../errors.js';
import {
  EventHub,
  type EventFilter,
  type EventIteratorOptions,
  type EventListener,
  type QmpEventMessage,
  type WaitForEventOptions,
} from './events.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './framing.js';
import type { SchemaProbe } from '../probe.js';
import type { JsonCodec } from '../json/json.js';
import type { MessageChecks } from './message-checks.js';
import { PendingCommands } from './pending-commands.js';
import type { Reconnector } from './reconnect.js';
import { observed } from '../observed.js';
import type { Transcript } from '../transcript/transcript.js';
import { describeTarget, openTransport, type ConnectTarget } from './transport.js';
import { WriteBatcher } from './write-batcher.js';
import { terminalWarning } from '../host/terminal-text.js';
import { startTimeLimit } from '../time-limit.js';

export interface QmpVersion {
  qemu: { major: number; minor: number; micro: number };
  package: string;
  [key: string]: unknown;
}

/** `{"QMP": {"version": ..., "capabilities": [...]}}`, as received (unknown keys kept). */
export interface QmpGreeting {
  QMP: { version: QmpVersion; capabilities: string[]; [key: string]: unknown };
  [key: string]: unknown;
}

export interface CloseInfo {
  /** True when the peer closed (or the connection failed), false when `close()` was called. */
  byPeer: boolean;
  /** The transport error, if the connection failed. */
  error?: Error | undefined;
}

const DEFAULT_CONNECT_TIMEOUT = 10_000;

/**
 * What a client learns from the process it talks to, when it owns one (launch.ts): why the
 * peer went away (exit status, stderr), and each command as it is sent.
 */
export interface PeerProcess {
  /** Settles (bounded) with a description of the process's end, or undefined if it did not end. */
  describeEnd(): Promise<string | undefined>;
  /** Called with each command's name as it is written. */
  sent(command: string): void;
}

/** @internal launch.ts ties a client to the process it started. Not exported from the package index. */
export let attachPeerProcess: (client: QmpClient, process: PeerProcess) => void;

export class QmpClient {
  /** Settles when the client is closed for good. Never rejects. */
  readonly closed: Promise<CloseInfo>;
  readonly #target: ConnectTarget;
  readonly #options: ClientOptions;
  readonly #json: JsonCodec;
  /** Validators and 64-bit integer handling (message-checks.ts). */
  readonly #checks: MessageChecks;
  readonly #log: LogHook | undefined;
  /** The session transcript (`record`), closed with the client. */
  readonly #recording: Transcript | undefined;
  readonly #hub: EventHub;
  readonly #splitter: LineSplitter;
  readonly #writer: WriteBatcher;
  readonly #pending: PendingCommands;
  /** Guest agent mode only. */
  readonly #agentSync: AgentSync | undefined;
  /** Only when `reconnect` is on and the target can be opened again. */
  readonly #reconnector: Reconnector | undefined;
  #resolveClosed!: (info: CloseInfo) => void;

  #state: ClientState = 'connecting';
  #stateListeners: ((state: ClientState) => void)[] = [];
  #socket: Duplex | undefined;
  /** Incremented per connection, so late callbacks of an old socket are ignored. */
  #generation = 0;
  #greeting: QmpGreeting | undefined;
  /** Set while the greeting is awaited: the greeting's arrival, and the handshake's failure. */
  #awaitingGreeting: ((greeting: QmpGreeting) => void) | undefined;
  #failHandshake: ((error: Error) => void) | undefined;
  #capabilities: readonly string[] = [];
  #oob = false;
  /** While set, new commands wait for it (reconnecting, or agent resync). */
  #gate: Promise<void> | undefined;
  #everReady = false;
  #userClosing = false;
  #closePromise: Promise<void> | undefined;
  #closeInfo: CloseInfo | undefined;
  /** `client.schema`, fetched on first use; forgotten on reconnect or when the fetch fails. */
  #schemaProbe: Promise<SchemaProbe> | undefined;
  /** The process at the other end, when launch.ts started it. */
  #peerProcess: PeerProcess | undefined;

  static {
    attachPeerProcess = (client, process) => {
      client.#peerProcess = process;
    };
  }

  /** `parts`: the classes the options need (client-parts.ts), loaded by connect. */
  private constructor(target: ConnectTarget, options: ClientOptions, checks: MessageChecks, parts: ClientParts) {
    this.#target = target;
    this.#options = options;
    this.#checks = checks;
    this.#json = options.json ?? this.#checks.codec();
    this.#log = options.log;
    if (options.record !== undefined) {
      const transcript = new parts.Transcript!(options.record);
      const record = transcript.logHook();
      const log = options.log;
      this.#log = log === undefined ? record : (direction, message, raw) => (record(direction, message, raw), log(direction, message, raw));
      this.#recording = transcript;
    }
    const agent = options.agent ?? false;
    this.#hub = new EventHub((error) => this.#report(error), options.eventBufferLimit);
    this.#splitter = new LineSplitter(
      {
        line: (text) => this.#onLine(text),
        sentinel: () => this.#agentSync?.sentinel(),
        discarded: (bytes, reason) => this.#onDiscarded(bytes, reason),
      },
      { sentinel: agent, maxLineBytes: options.maxLineBytes },
    );
    this.#writer = new WriteBatcher(() => this.#socket);
    // A timed-out command may still be running in the agent: its late output precedes any new reply.
    this.#pending = new PendingCommands(agent ? () => this.#agentSync?.markNeeded() : undefined);
    this.#agentSync = agent
      ? new parts.AgentSync!({ json: this.#json, log: this.#log, writer: this.#writer, pending: this.#pending, writable: () => this.#writable() })
      : undefined;
    const reconnect = options.reconnect;
    this.#reconnector = reconnects(target, options)
      ? new parts.Reconnector!(typeof reconnect === 'object' ? reconnect : {}, {
          open: () => this.#open(),
          stopped: () => this.#userClosing,
          attemptFailed: (attempt, error) => {
            this.#detach()?.destroy();
            this.#report(new ConnectionClosedError(`reconnect attempt ${attempt} to ${describeTarget(this.#target)} failed: ${error.message}`, { cause: error }));
            this.#setState('connecting');
          },
          gaveUp: (lastError) => this.#finalClose({ byPeer: true, error: lastError }),
        })
      : undefined;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    if (options.onStateChange) this.#stateListeners.push(options.onStateChange);
  }

  /**
   * Connects, reads the greeting and negotiates capabilities (or, in agent mode, runs
   * `guest-sync-delimited`), and resolves once commands can be sent.
   */
  static connect(target: ConnectTarget, options: ClientOptions = {}): Promise<QmpClient> {
    return observed(QmpClient.#connect(target, options));
  }

  static async #connect(target: ConnectTarget, options: ClientOptions): Promise<QmpClient> {
    // Loads the message checks (with the validator and the bigint codec when the options ask
    // for them), and the guest agent's resync, reconnecting and the transcript writer when
    // they ask for them: lazy modules, which a bundled consumer loads on first use.
    const checks = await (await import('./message-checks.js')).MessageChecks.load(options);
    const client = new QmpClient(target, options, checks, await loadClientParts(target, options));
    try {
      await client.#open();
    } catch (error) {
      client.#userClosing = true;
      client.#teardown(toError(error));
      client.#finalClose({ byPeer: true, error: error instanceof Error ? error : undefined });
      throw error;
    }
    return client;
  }

  /** The server's greeting (undefined in agent mode). */
  get greeting(): QmpGreeting | undefined {
    return this.#greeting;
  }

  /** Capabilities enabled by negotiation. */
  get capabilities(): readonly string[] {
    return this.#capabilities;
  }

  get state(): ClientState {
    return this.#state;
  }

  /** True in guest agent mode. */
  get agent(): boolean {
    return this.#agentSync !== undefined;
  }

  /**
   * The peer's schema (`query-qmp-schema`) for feature probing, e.g.
   * `(await client.schema).has('blockdev-add/arg-type/+file/aio')`. Fetched on first use and
   * cached until the connection is lost (a reconnect fetches it again); a failed fetch is
   * retried on the next use.
   */
  get schema(): Promise<SchemaProbe> {
    // probe.ts is imported on first use: most consumers never probe.
    this.#schemaProbe ??= observed(import('../probe.js').then((m) => m.fetchSchemaProbe(this)).catch((error: unknown) => {
      this.#schemaProbe = undefined;
      throw error;
    }));
    return this.#schemaProbe;
  }

  /** Commands sent and not answered yet. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Event consumers registered (listeners, iterators, waiters). */
  get eventConsumerCount(): number {
    return this.#hub.consumerCount;
  }

  /** How the client closed, once it has. */
  get closeInfo(): CloseInfo | undefined {
    return this.#closeInfo;
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onStateChange(listener: (state: ClientState) => void): () => void {
    this.#stateListeners = [...this.#stateListeners, listener];
    return () => {
      this.#stateListeners = this.#stateListeners.filter((l) => l !== listener);
    };
  }

  /**
   * Runs a command and resolves with its `return` value; rejects with QmpError for an error
   * reply, QmpTimeoutError, the signal's reason, or ConnectionClosedError.
   */
  execute(command: string, args?: Record<string, unknown>, options?: ExecuteOptions): Promise<unknown> {
    try {
      this.#checks.outgoing(command, args); // QmpValidationError: nothing is sent
    } catch (error) {
      return observed(Promise.reject(error));
    }
    if (this.#state === 'ready' && this.#gate === undefined && this.#agentSync?.needed !== true) {
      return observed(this.#send(command, args, options));
    }
    return observed(this.#executeLater(command, args, options));
  }

  /** Calls `listener` for each event named `event` (`'*'` for all). Returns the unsubscribe. */
  on(event: string, listener: EventListener): () => void {
    if (this.#hub.closed) return () => {};
    return this.#hub.subscribe(event, listener);
  }

  /**
   * Events from now on, in order, as an async iterator. It ends when the client closes (after
   * the events received before), or by `break`/`return()`. If its consumer falls behind by
   * more than the buffer bound it throws EventOverflowError instead of silently skipping.
   */
  events(filter?: EventFilter, options?: EventIteratorOptions): AsyncIterableIterator<QmpEventMessage> {
    return this.#hub.iterate(filter, options);
  }

  /**
   * The next event named `event` (`'*'` for any) that satisfies `predicate`. Armed at the call,
   * so create it before sending the command that causes the event, then await it.
   */
  waitForEvent(event: string, predicate?: (e: QmpEventMessage) => boolean, options?: WaitForEventOptions): Promise<QmpEventMessage> {
    return this.#hub.waitFor(event, predicate, options);
  }

  /**
   * Closes the connection: pending commands reject with ConnectionClosedError, iterators end,
   * waiters reject. Idempotent; resolves when the transport is closed.
   */
  close(): Promise<void> {
    if (this.#closePromise !== undefined) return this.#closePromise;
    this.#userClosing = true;
    this.#reconnector?.cancel();
    if (this.#state === 'closed') {
      this.#closePromise = Promise.resolve();
      return this.#closePromise;
    }
    this.#setState('closing');
    // Whatever the peer still sends (half a line, replies to the commands failed here) is
    // not reported: the client chose to stop listening.
    const socket = this.#detach();
    const error = new ConnectionClosedError('connection closed by the client');
    this.#teardown(error);
    this.#closePromise = (async () => {
      if (socket !== undefined) await endSocket(socket);
      this.#finalClose({ byPeer: false });
    })();
    return this.#closePromise;
  }

  // ---- connection setup and handshake -----------------------------------------------

  async #open(): Promise<void> {
    const timeout = this.#options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    this.#setState('connecting');
    const socket = await openTransport(this.#target, timeout); // QmpConnectionError naming the target
    if (this.#userClosing) {
      socket.destroy();
      throw new ConnectionClosedError('connection closed by the client');
    }
    this.#attach(socket);
    this.#setState('negotiating');
    if (this.#agentSync !== undefined) {
      await this.#agentSync.run(timeout);
    } else {
      await this.#negotiate(timeout);
    }
    this.#everReady = true;
    this.#setState('ready');
  }

  #attach(socket: Duplex): void {
    const generation = ++this.#generation;
    this.#socket = socket;
    this.#splitter.reset();
    let failure: Error | undefined;
    socket.on('data', (chunk: Buffer | string) => {
      if (generation !== this.#generation) return;
      this.#splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    });
    const ended = (): void => this.#onTransportEnded(generation, failure);
    socket.on('error', (error: Error) => {
      failure ??= error;
      ended();
    });
    socket.on('end', ended);
    socket.on('close', ended);
  }

  async #negotiate(timeout: number): Promise<void> {
    const greeting = await this.#waitGreeting(timeout);
    const offered = Array.isArray(greeting.QMP.capabilities)
      ? greeting.QMP.capabilities.filter((c): c is string => typeof c === 'string')
      : [];
    const wanted = this.#options.capabilities ?? ['oob'];
    const enable = wanted.filter((c) => offered.includes(c));
    // Servers that offer nothing may predate the `enable` argument: send none then.
    await this.#send('qmp_capabilities', enable.length > 0 ? { enable } : undefined, { timeout });
    this.#capabilities = Object.freeze(enable);
    this.#oob = enable.includes('oob');
  }

  #waitGreeting(timeout: number): Promise<QmpGreeting> {
    this.#greeting = undefined;
    return new Promise<QmpGreeting>((resolve, reject) => {
      const generation = this.#generation;
      const stopTimer = startTimeLimit(timeout, () => {
        this.#awaitingGreeting = undefined;
        reject(new QmpTimeoutError('greeting', timeout));
      });
      this.#awaitingGreeting = (greeting) => {
        stopTimer();
        this.#awaitingGreeting = undefined;
        this.#failHandshake = undefined;
        if (generation !== this.#generation) reject(new ConnectionClosedError('connection closed before the greeting'));
        else resolve(greeting);
      };
      this.#failHandshake = (error) => {
        stopTimer();
        this.#awaitingGreeting = undefined;
        reject(error);
      };
    });
  }

  // ---- sending ----------------------------------------------------------------------

  async #executeLater(command: string, args: Record<string, unknown> | undefined, options: ExecuteOptions | undefined): Promise<unknown> {
    const start = Date.now();
    const timeout = options?.timeout ?? this.#options.timeout;
    // Without a timeout of its own, a command waits for the connection to come back at most
    // `connectTimeout`: a peer that stays away must not hold it until close(). (An agent
    // resync on a live connection is bounded by itself.)
    const reconnectBound = timeout === undefined ? (this.#options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT) : undefined;
    for (;;) {
      if (this.#state === 'closing' || this.#state === 'closed' || this.#userClosing) {
        throw new ConnectionClosedError(`${command}: the connection is closed`, { command });
      }
      if (this.#state === 'ready' && this.#agentSync?.needed === true && this.#gate === undefined) {
        const resync = this.#resync(this.#agentSync);
        // Waiters see the failure through waitGate; with none left (they all timed out),
        // a failed resync must not surface as an unhandled rejection.
        resync.catch(() => {});
        this.#gate = resync;
      }
      const gate = this.#gate;
      if (gate === undefined && this.#state === 'ready') break;
      if (reconnectBound !== undefined && this.#state !== 'ready') {
        const left = reconnectBound - (Date.now() - start);
        if (left <= 0) throw this.#notBackError(command, reconnectBound);
        await waitGate(gate ?? this.#nextStateChange(), command, left, undefined, options?.signal, () => this.#notBackError(command, reconnectBound));
        continue;
      }
      const remaining = timeout === undefined ? undefined : timeout - (Date.now() - start);
      if (remaining !== undefined && remaining <= 0) throw new QmpTimeoutError(command, timeout!);
      await waitGate(gate ?? this.#nextStateChange(), command, remaining, timeout, options?.signal);
    }
    const remaining = timeout === undefined ? undefined : Math.max(1, timeout - (Date.now() - start));
    return this.#send(command, args, { ...options, timeout: remaining });
  }

  #notBackError(command: string, bound: number): ConnectionClosedError {
    return new ConnectionClosedError(`${command}: the connection to ${describeTarget(this.#target)} was not back within ${bound} ms (connectTimeout)`, { command });
  }

  #nextStateChange(): Promise<void> {
    return new Promise((resolve) => {
      const off = this.onStateChange(() => {
        off();
        resolve();
      });
    });
  }

  /** The agent resync between commands (agent-sync.ts), bounded by `connectTimeout`; holds the gate. */
  async #resync(agentSync: AgentSync): Promise<void> {
    try {
      await agentSync.resync(this.#options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT, () => this.#state === 'ready');
    } finally {
      this.#gate = undefined;
    }
  }

  #send(command: string, args: Record<string, unknown> | undefined, options: ExecuteOptions | undefined): Promise<unknown> {
    const oob = options?.oob === true;
    if (oob && !this.#oob) {
      return Promise.reject(
        new QmpUsageError(
          `${command}: cannot send out-of-band: the 'oob' capability was not negotiated` +
            (this.agent ? ' (the guest agent has no out-of-band execution)' : ` (enabled: [${this.#capabilities.join(', ')}])`),
        ),
      );
    }
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.#writable()) {
      return Promise.reject(new ConnectionClosedError(`${command}: the connection is closed`, { command }));
    }
    const id = this.#pending.nextId();
    // The envelope is written here; only the arguments go through the codec (the command
    // name and the numeric id look the same in every codec). Saves an object and a walk per
    // command, which shows in pipelined throughput.
    let line: string;
    try {
      line = (oob ? '{"exec-oob":' : '{"execute":') + JSON.stringify(command) +
        (args === undefined ? '' : ',"arguments":' + this.#json.stringify(args)) + ',"id":' + id + '}';
    } catch (error) {
      return Promise.reject(error);
    }
    this.#peerProcess?.sent(command);
    if (this.#log !== undefined) {
      const message = oob ? { 'exec-oob': command, arguments: args, id } : { execute: command, arguments: args, id };
      this.#log('out', message, line);
    }
    if (options?.noReply === true) {
      this.#pending.addNoReply(id, command);
      return new Promise((resolve, reject) => {
        this.#writer.write(line + '\n', (error) => {
          if (error) reject(new ConnectionClosedError(`${command}: write failed`, { command, cause: error }));
          else resolve(undefined);
        });
      });
    }
    const reply = this.#pending.add(id, command, options?.timeout ?? this.#options.timeout, signal);
    this.#writer.write(line + '\n');
    return reply;
  }

  #writable(): boolean {
    const s = this.#socket;
    return s !== undefined && s.writable && !s.destroyed;
  }

  // ---- receiving and dispatch -------------------------------------------------------

  #onLine(text: string): void {
    let message: unknown;
    try {
      message = this.#json.parse(text);
    } catch (error) {
      this.#log?.('in', undefined, text);
      if (this.#quiet()) return;
      this.#report(new QmpProtocolError('invalid-json', error instanceof Error ? error.message : String(error), text));
      return;
    }
    this.#log?.('in', message, text);
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      if (!this.#quiet()) this.#report(new QmpProtocolError('unknown-message', 'not a JSON object', text, message));
      return;
    }
    const m = message as Record<string, unknown>;
    if ('return' in m || 'error' in m) {
      this.#onReply(m, text);
    } else if (typeof m['event'] === 'string') {
      this.#hub.dispatch(this.#checks.incomingEvent(m as QmpEventMessage));
    } else if ('QMP' in m && typeof m['QMP'] === 'object' && m['QMP'] !== null) {
      this.#onGreeting(m as QmpGreeting, text);
    } else if (!this.#quiet()) {
      this.#report(new QmpProtocolError('unknown-message', 'neither a reply, an event nor a greeting', text, message));
    }
  }

  /** True while an agent sync runs: unexpected input is then stale output, dropped unreported. */
  #quiet(): boolean {
    return this.#agentSync?.swallowsStray() ?? false;
  }

  #onReply(m: Record<string, unknown>, text: string): void {
    const id = m['id'];
    if (id === undefined) {
      if (this.#agentSync?.replyWithoutId(m) === true) return;
      this.#report(new QmpProtocolError('reply-without-id', describeErrorMember(m['error']), text, m));
      return;
    }
    const owner = typeof id === 'number' ? this.#pending.claim(id) : undefined;
    if (owner?.kind === 'pending') {
      if ('error' in m) owner.reject(new QmpError(owner.command, owner.id, errorMember(m['error'])));
      else {
        let value: unknown;
        try {
          value = this.#checks.incomingReturn(owner.command, m['return']);
        } catch (error) {
          owner.reject(error);
          return;
        }
        owner.resolve(value);
      }
      return;
    }
    if (owner?.kind === 'abandoned') return;
    if (owner?.kind === 'no-reply') {
      if ('error' in m) {
        const err = new QmpError(owner.command, owner.id, errorMember(m['error']));
        this.#report(new QmpProtocolError('no-reply-command-failed', err.message, text, m));
      }
      return;
    }
    if (this.#quiet()) return;
    this.#report(new QmpProtocolError('unknown-reply-id', `no command with id ${JSON.stringify(id)} is waiting`, text, m));
  }

  #onGreeting(greeting: QmpGreeting, text: string): void {
    if (!this.agent && this.#awaitingGreeting !== undefined) {
      this.#greeting = greeting;
      this.#awaitingGreeting(greeting);
      return;
    }
    this.#report(new QmpProtocolError('unexpected-greeting', this.agent ? 'a greeting in agent mode' : 'a second greeting', text, greeting));
  }

  #onDiscarded(bytes: number, reason: 'sentinel' | 'too-long'): void {
    // During agent sync everything before our sentinel is stale output, dropped quietly;
    // the sync's own deadline bounds it.
    if (this.#agentSync?.active === true) return;
    if (reason === 'sentinel') {
      this.#report(new QmpProtocolError('discarded-input', `dropped ${bytes} bytes before a 0xFF sentinel`, ''));
      return;
    }
    // The dropped line may have been the reply to any command in flight, or an event: with it
    // gone, nothing could end those commands. The connection fails instead (see README).
    const limit = this.#options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    const error = new QmpProtocolError(
      'line-too-long',
      `a line from the peer passed maxLineBytes (${limit} bytes) after ${bytes} bytes; the connection is closed`,
      '',
    );
    this.#report(error);
    this.#splitter.reset();
    this.#onTransportEnded(this.#generation, error);
  }

  #report(error: Error): void {
    const handler = this.#options.onError;
    if (handler === undefined) {
      // Node prints the warning to stderr: the peer's text must not reach the terminal raw.
      process.emitWarning(terminalWarning(error));
      return;
    }
    try {
      handler(error);
    } catch {
      // The error hook itself failed; nothing sensible is left to tell.
    }
  }

  // ---- state, closing and reconnecting ----------------------------------------------

  #onTransportEnded(generation: number, failure: Error | undefined): void {
    if (generation !== this.#generation) return;
    this.#generation++;
    // A last line without terminator is still offered (the fake servers in tests do that).
    this.#splitter.end();
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.destroy();
    const message = failure ? `connection to ${describeTarget(this.#target)} failed: ${failure.message}` : `connection to ${describeTarget(this.#target)} closed by the peer`;
    const ending = this.#peerProcess?.describeEnd();
    if (ending === undefined) {
      this.#afterTransportEnded(message, failure);
      return;
    }
    // The process's exit status and stderr say why; its end is awaited (bounded by describeEnd).
    void ending.then(
      (detail) => this.#afterTransportEnded(detail === undefined ? message : `${message}: ${detail}`, failure),
      () => this.#afterTransportEnded(message, failure),
    );
  }

  #afterTransportEnded(message: string, failure: Error | undefined): void {
    const error = new ConnectionClosedError(message, { cause: failure });
    this.#teardown(error);
    if (this.#userClosing || this.#state === 'closing' || this.#state === 'closed') return;
    if (this.#state !== 'ready') return; // #open() is running; it fails through #teardown
    if (this.#reconnector !== undefined && this.#everReady) {
      this.#startReconnect(this.#reconnector, failure);
      return;
    }
    this.#finalClose({ byPeer: true, error: failure });
  }

  /** Fails everything waiting on the current connection. */
  #teardown(error: Error): void {
    // Lines batched for this connection must not reach the next one.
    this.#writer.discard(error);
    this.#pending.rejectAll(error);
    this.#failHandshake?.(error);
    this.#failHandshake = undefined;
    this.#agentSync?.fail(error);
  }

  /**
   * Stops listening to the current socket and returns it: its later data, end and errors are
   * ignored, and half a line received from it is dropped unreported.
   */
  #detach(): Duplex | undefined {
    this.#generation++;
    this.#splitter.reset();
    const socket = this.#socket;
    this.#socket = undefined;
    return socket;
  }

  #finalClose(info: CloseInfo): void {
    if (this.#state === 'closed') return;
    this.#closeInfo = info;
    this.#detach()?.destroy();
    this.#setState('closed');
    this.#hub.close(new ConnectionClosedError('connection closed', { cause: info.error }));
    this.#recording?.close();
    this.#resolveClosed(info);
  }

  /** Reconnects (reconnect.ts); new commands wait for it behind the gate. */
  #startReconnect(reconnector: Reconnector, failure: Error | undefined): void {
    this.#schemaProbe = undefined; // the peer may come back as another (restarted, upgraded) QEMU
    this.#setState('connecting');
    this.#gate = reconnector.run(failure).finally(() => {
      this.#gate = undefined;
    });
    this.#gate.catch(() => {});
  }

  #setState(state: ClientState): void {
    if (this.#state === state) return;
    this.#state = state;
    for (const listener of this.#stateListeners) {
      try {
        listener(state);
      } catch (error) {
        this.#report(toError(error));
      }
    }
  }
}

function errorMember(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  return { class: 'GenericError', desc: `malformed error member: ${JSON.stringify(value)}` };
}

function describeErrorMember(value: unknown): string {
  const e = errorMember(value);
  return typeof e['class'] === 'string' ? `${e['class']}: ${String(e['desc'])}` : 'reply without id';
}

/** Waits for `gate`, bounded by the command's remaining time and its signal. */
function waitGate(
  gate: Promise<void>,
  command: string,
  remaining: number | undefined,
  timeout: number | undefined,
  signal: AbortSignal | undefined,
  timedOut: () => Error = () => new QmpTimeoutError(command, timeout!),
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let stopTimer: (() => void) | undefined;
    const onAbort = (): void => {
      cleanup();
      reject(signal?.reason);
    };
    const cleanup = (): void => {
      stopTimer?.();
      signal?.removeEventListener('abort', onAbort);
    };
    if (remaining !== undefined) {
      stopTimer = startTimeLimit(remaining, () => {
        cleanup();
        reject(timedOut());
      });
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    gate.then(
      () => {
        cleanup();
        resolve();
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}

/** Half-closes, destroys once flushed (or after 1 s), resolves when closed. */
function endSocket(socket: Duplex): Promise<void> {
  return new Promise<void>((resolve) => {
    if (socket.destroyed) {
      resolve();
      return;
    }
    const timer = setTimeout(() => socket.destroy(), 1000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', () => {});
    socket.end(() => socket.destroy());
  });
}
