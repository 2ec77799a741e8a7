/**
 * Guest agent resynchronisation (qemu-ga has no greeting; its channel may hold a previous
 * client's leftovers): send 0xFF, which resets the agent's JSON parser, then
 * `guest-sync-delimited` with a random id; the agent answers with a 0xFF sentinel followed by
 * that id. Everything before our sentinel is stale output or the agent's error reply to the
 * 0xFF, dropped quietly (the log hook still sees it).
 *
 * The client runs a sync on connect, and again before the next command after a command timed
 * out (the agent may still be busy with it, and its late output precedes any new reply).
 */
import { ConnectionClosedError, QmpTimeoutError } from '../errors.js';
import type { LogHook } from './client-options.js';
import type { JsonCodec } from '../json/json.js';
import type { PendingCommands } from './pending-commands.js';
import type { WriteBatcher } from './write-batcher.js';
import { startTimeLimit } from '../time-limit.js';

const SENTINEL_BYTE = Buffer.from([0xff]);

/** What a sync needs of its client. */
export interface AgentSyncHost {
  readonly json: JsonCodec;
  readonly log: LogHook | undefined;
  readonly writer: WriteBatcher;
  readonly pending: PendingCommands;
  /** Whether the socket can be written to now. */
  writable(): boolean;
}

/** The sync in progress. */
interface Attempt {
  readonly id: number;
  /** A 0xFF sentinel came and nothing since: the next line may be our reply. */
  sawSentinel: boolean;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class AgentSync {
  readonly #host: AgentSyncHost;
  #attempt: Attempt | undefined;
  /** A command timed out since the last sync. */
  #needed = false;

  constructor(host: AgentSyncHost) {
    this.#host = host;
  }

  /** True while a sync runs: input is then expected noise. */
  get active(): boolean {
    return this.#attempt !== undefined;
  }

  /** True when a command timed out since the last sync: the next command must wait for a resync. */
  get needed(): boolean {
    return this.#needed;
  }

  /** A command timed out: the agent may still answer it. */
  markNeeded(): void {
    this.#needed = true;
  }

  /** Syncs: resolves once our sentinel and reply came; QmpTimeoutError after `timeout` ms. */
  run(timeout: number): Promise<void> {
    const id = 1 + Math.floor(Math.random() * 0x7ffffffe);
    const host = this.#host;
    return new Promise<void>((resolve, reject) => {
      const stopTimer = startTimeLimit(timeout, () => {
        this.#attempt = undefined;
        reject(new QmpTimeoutError('guest-sync-delimited', timeout));
      });
      const attempt: Attempt = {
        id,
        sawSentinel: false,
        resolve: () => {
          stopTimer();
          this.#attempt = undefined;
          this.#needed = false;
          resolve();
        },
        reject: (error) => {
          stopTimer();
          this.#attempt = undefined;
          reject(error);
        },
      };
      this.#attempt = attempt;
      const message = { execute: 'guest-sync-delimited', arguments: { id } };
      const line = host.json.stringify(message);
      host.log?.('out', message, line);
      if (!host.writable()) {
        attempt.reject(new ConnectionClosedError('connection closed before guest-sync-delimited'));
        return;
      }
      host.writer.writeBytes(SENTINEL_BYTE);
      host.writer.write(line + '\n');
    });
  }

  /**
   * A resync between commands. Replies to commands still in flight come before the sentinel,
   * so they are let in first, but for at most `limit` ms: a command sent without a timeout
   * must not hold the resync, and every later command, forever. The agent runs commands one
   * at a time, so one still running then would also hold up the sync reply; it is given up on
   * like a timed-out command (rejects with QmpTimeoutError, its late reply is dropped).
   * Skipped when `stillReady` says the connection went away meanwhile.
   */
  async resync(limit: number, stillReady: () => boolean): Promise<void> {
    const pending = this.#host.pending;
    if (!(await pending.waitIdle(limit))) {
      pending.abandonAll((command) => new QmpTimeoutError(`${command} (still in flight when the guest agent needed a resync)`, limit));
    }
    if (!stillReady()) return;
    await this.run(limit);
  }

  /**
   * During a sync, stale output is dropped quietly: true then. Our sentinel must be followed
   * directly by our sync reply, so anything else after a sentinel means it was a stale one.
   */
  swallowsStray(): boolean {
    if (this.#attempt === undefined) return false;
    this.#attempt.sawSentinel = false;
    return true;
  }

  /** A 0xFF sentinel arrived. */
  sentinel(): void {
    if (this.#attempt !== undefined) this.#attempt.sawSentinel = true;
  }

  /**
   * A reply without an id: true when it belongs to the sync (ours ends it; a stale sync reply
   * of an earlier client or the agent's error reply to our 0xFF is expected noise).
   */
  replyWithoutId(reply: Record<string, unknown>): boolean {
    const attempt = this.#attempt;
    if (attempt === undefined) return false;
    if (attempt.sawSentinel && reply['return'] === attempt.id) attempt.resolve();
    else attempt.sawSentinel = false; // keep looking for our own sentinel
    return true;
  }

  /** The connection ended: the sync in progress rejects with `error`. */
  fail(error: Error): void {
    this.#attempt?.reject(error);
  }
}
