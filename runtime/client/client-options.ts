/**
 * What a QmpClient is given: its options, per-command options, and the types they name. Kept
 * apart from client.ts so the client's parts (agent-sync.ts, ...) can name them without
 * importing the client.
 */
import type { ValidationOptions } from './message-checks.js';
import type { JsonCodec } from '../json/json.js';
import type { ReconnectOptions } from './reconnect.js';

export type ClientState = 'connecting' | 'negotiating' | 'ready' | 'closing' | 'closed';

/** One message in or out. `raw` is the line as sent or received (no line terminator). */
export type LogHook = (direction: 'in' | 'out', message: unknown, raw: string) => void;

/** Validation and 64-bit integer options (`validate`, `validator`, `onValidationIssue`, `integers`) come from ValidationOptions. */
export interface ClientOptions extends ValidationOptions {
  /** Guest agent mode: no greeting or negotiation; `guest-sync-delimited` resynchronisation. */
  agent?: boolean;
  /** Capabilities to enable when the server offers them (default `['oob']`). */
  capabilities?: readonly string[];
  /** Default time limit for each command, ms (default: none). */
  timeout?: number;
  /**
   * Time limit for connecting (then QmpConnectionError, code `ETIMEDOUT`), and again for the
   * greeting and negotiation or agent sync (then QmpTimeoutError), ms (default 10000).
   */
  connectTimeout?: number;
  /** Events buffered per `events()` iterator whose consumer is behind (default 10000). */
  eventBufferLimit?: number;
  /** Called with every message received and sent. */
  log?: LogHook;
  /**
   * Appends the session to this file as JSON lines (runtime/transcript/transcript.ts, the shell's
   * `--transcript` format), for `FakeQemu.replay`. The file is closed when the client closes.
   */
  record?: string;
  /**
   * Problems that do not belong to one command: unexpected input (QmpProtocolError), an
   * event consumer overflowing (EventOverflowError), a listener throwing
   * (EventListenerError), a failed reconnect attempt. Default: `process.emitWarning`.
   */
  onError?: (error: Error) => void;
  /** Called on every state change. */
  onStateChange?: (state: ClientState) => void;
  /** Reconnect with backoff when the peer goes away (default off). */
  reconnect?: boolean | ReconnectOptions;
  /** JSON codec (default: JSON.parse / JSON.stringify, with the `integers` handling of message-checks.ts). */
  json?: JsonCodec;
  /**
   * Longest line accepted from the server, bytes (default 256 MiB). A longer line fails the
   * connection with a `line-too-long` QmpProtocolError: it could be any pending command's reply.
   */
  maxLineBytes?: number;
}

export interface ExecuteOptions {
  /** Time limit, ms; overrides the client's `timeout`. */
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Send as `exec-oob` (requires the `oob` capability to have been negotiated). */
  oob?: boolean;
  /** The command sends no reply on success (`success-response: false`): resolve once written. */
  noReply?: boolean;
}
