/**
 * Errors the runtime raises. Every one is a real `Error` subclass with a stable `name`, so
 * callers can branch on `instanceof` or on `error.name`.
 */

/** The server answered a command with `{"error": {"class", "desc"}, "id"}`. */
export class QmpError extends Error {
  override readonly name = 'QmpError';
  /** QEMU's error class, e.g. `GenericError`, `CommandNotFound`, `DeviceNotFound`. */
  readonly errorClass: string;
  /** QEMU's human-readable description (not meant to be parsed). */
  readonly desc: string;
  /** The command that failed. */
  readonly command: string;
  /** The id the command was sent with. */
  readonly id: unknown;
  /** The whole `error` member as received, unknown keys included. */
  readonly data: Readonly<Record<string, unknown>>;

  constructor(command: string, id: unknown, error: Record<string, unknown>) {
    const errorClass = typeof error['class'] === 'string' ? error['class'] : 'GenericError';
    const desc = typeof error['desc'] === 'string' ? error['desc'] : JSON.stringify(error);
    super(`${command}: ${errorClass}: ${desc}`);
    this.errorClass = errorClass;
    this.desc = desc;
    this.command = command;
    this.id = id;
    this.data = error;
  }
}

/** The connection closed (by the peer, by `close()`, or because it failed) before the answer came. */
export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  /** The command that was waiting, when the error rejects a command. */
  readonly command: string | undefined;

  constructor(message: string, options?: { command?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.command = options?.command;
  }
}

/**
 * The transport could not be opened: no such socket file, nothing listening, no permission,
 * no route, a failed TLS handshake, or no connection within `connectTimeout`. Only
 * `QmpClient.connect` (and a reconnect attempt, reported through `onError`) raises it;
 * once connected, losing the connection is a {@link ConnectionClosedError}.
 */
export class QmpConnectionError extends Error {
  override readonly name = 'QmpConnectionError';
  /**
   * The system's error code as Node gives it (`ENOENT`, `ECONNREFUSED`, `EACCES`, `EAGAIN`,
   * `ENOTFOUND`, a TLS code ...), `ETIMEDOUT` when `connectTimeout` passed, `UNKNOWN` when
   * the failure carried no code.
   */
  readonly code: string;
  /** What was being connected to: `unix:/run/vm.qmp`, `tcp:127.0.0.1:4444`, `tls:HOST:PORT` or `stream`. */
  readonly target: string;

  constructor(target: string, code: string, reason: string, options?: { cause?: unknown }) {
    super(`can't connect to ${target}: ${reason} (${code})`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.target = target;
  }
}

/** A command, the greeting, a resync or a `waitForEvent` did not complete in time. */
export class QmpTimeoutError extends Error {
  override readonly name = 'QmpTimeoutError';
  /** What timed out: a command name, `greeting`, `guest-sync-delimited`, or `event NAME`. */
  readonly operation: string;
  /** The time limit in milliseconds. */
  readonly timeout: number;

  constructor(operation: string, timeout: number) {
    super(`${operation}: timed out after ${timeout} ms`);
    this.operation = operation;
    this.timeout = timeout;
  }
}

/** A request the client refuses before sending anything (e.g. `oob` without the capability). */
export class QmpUsageError extends Error {
  override readonly name = 'QmpUsageError';
}

/** What kind of unexpected input a {@link QmpProtocolError} reports. */
export type ProtocolErrorKind =
  /** A line that is not valid JSON. */
  | 'invalid-json'
  /** A JSON value that is not a greeting, reply or event (or not an object at all). */
  | 'unknown-message'
  /** A reply without `id`: QEMU's answer to input it could not parse. Never matched to a command. */
  | 'reply-without-id'
  /** A reply whose id matches nothing this client sent. */
  | 'unknown-reply-id'
  /** A greeting after negotiation, or a greeting in agent mode. */
  | 'unexpected-greeting'
  /** An error reply to a command sent with `noReply` (the agent reports failures of those). */
  | 'no-reply-command-failed'
  /** Bytes discarded while looking for the agent's 0xFF sentinel, or an unterminated line. */
  | 'discarded-input'
  /** A line longer than `maxLineBytes`: the connection is failed with this error (see `ClientOptions.maxLineBytes`). */
  | 'line-too-long';

/**
 * Something unexpected arrived from the peer. It is reported through `ClientOptions.onError`
 * (and the message through the `log` hook) and fails nothing, except `line-too-long`, which
 * also fails the connection.
 */
export class QmpProtocolError extends Error {
  override readonly name = 'QmpProtocolError';
  readonly kind: ProtocolErrorKind;
  /** The raw line as received (possibly truncated for very long lines). */
  readonly raw: string;
  /** The parsed message, when it parsed. */
  readonly received: unknown;

  constructor(kind: ProtocolErrorKind, message: string, raw: string, received?: unknown) {
    super(`${kind}: ${message}${raw ? `: ${preview(raw)}` : ''}`);
    this.kind = kind;
    this.raw = raw;
    this.received = received;
  }
}

/** An event consumer fell behind by more than its buffer bound; events were dropped. */
export class EventOverflowError extends Error {
  override readonly name = 'EventOverflowError';
  /** How many events were dropped for this consumer. */
  readonly dropped: number;
  readonly limit: number;

  constructor(dropped: number, limit: number) {
    super(`event consumer fell behind: buffer limit ${limit} reached, ${dropped} event(s) dropped`);
    this.dropped = dropped;
    this.limit = limit;
  }
}

/** An event listener threw; the client caught it so the connection keeps working. */
export class EventListenerError extends Error {
  override readonly name = 'EventListenerError';
  readonly event: string;

  constructor(event: string, cause: unknown) {
    super(`listener for event ${event} threw: ${reasonText(cause)}`, { cause });
    this.event = event;
  }
}

function preview(raw: string): string {
  return raw.length > 200 ? `${raw.slice(0, 200)}... (${raw.length} chars)` : raw;
}

/** The text of an abort reason or a caught value, for messages. */
export function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/** A caught value as an Error: itself when it is one, else an Error carrying its text. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * True when `value` is an Error whose `name` is `name`. The guards below use it instead of
 * `instanceof`, which fails across two copies of the runtime (every SDK that `qmp-ts package`
 * bundles carries its own copy).
 */
export function hasErrorName(value: unknown, name: string): boolean {
  return value instanceof Error && value.name === name;
}

export const isQmpError = (e: unknown): e is QmpError => hasErrorName(e, 'QmpError');
export const isConnectionClosedError = (e: unknown): e is ConnectionClosedError => hasErrorName(e, 'ConnectionClosedError');
export const isQmpConnectionError = (e: unknown): e is QmpConnectionError => hasErrorName(e, 'QmpConnectionError');
export const isQmpTimeoutError = (e: unknown): e is QmpTimeoutError => hasErrorName(e, 'QmpTimeoutError');
export const isQmpUsageError = (e: unknown): e is QmpUsageError => hasErrorName(e, 'QmpUsageError');
export const isQmpProtocolError = (e: unknown): e is QmpProtocolError => hasErrorName(e, 'QmpProtocolError');
export const isEventOverflowError = (e: unknown): e is EventOverflowError => hasErrorName(e, 'EventOverflowError');
