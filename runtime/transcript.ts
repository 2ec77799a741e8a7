/**
 * A session as JSON lines, one object per line, written by the client's `record` option and
 * by the shell's `--transcript`, and read back by `FakeQemu.replay`:
 *
 * - `{"time": ISO, "dir": "send" | "recv", "message": ...}`: QMP traffic, as sent and received;
 * - `{"time", "dir": "input", "line"}`: what a shell user typed;
 * - `{"time", "dir": "shell", "text"}`: what the shell answered itself (refusals, help).
 *
 * Readers skip the directions they do not know, so the format can grow. QMP traffic is written
 * as it was on the wire (the `message` member is the line itself, not re-serialised): exact,
 * 64-bit integers included, whatever the client's integer mode. The reader is
 * transcript-read.ts (it needs the lossless parser, which the client loads only on demand).
 */
import { closeSync, constants, fchmodSync, fstatSync, openSync, writeSync } from 'node:fs';
import { stringifyJson } from './json-stringify.js';

export type TranscriptEntry =
  | { readonly dir: 'send' | 'recv'; readonly message: unknown }
  | { readonly dir: 'input'; readonly line: string }
  | { readonly dir: 'shell'; readonly text: string };

// O_NONBLOCK: opening a FIFO with no reader fails at once (ENXIO) instead of waiting for one.
const APPEND_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export class Transcript {
  #fd: number | undefined;

  /**
   * Appends to `file`. A transcript holds whatever the session sent (passwords and keys
   * included), so it is private: created with mode 0600, and an existing file of this user
   * loses its group and other permissions. Anything else is refused before a byte is written:
   * another user's file (one planted in a shared folder could be read by its owner), and what
   * is not a regular file (a FIFO would block, a terminal would be sent the peer's text raw).
   */
  constructor(file: string) {
    let fd: number;
    try {
      fd = openSync(file, APPEND_FLAGS, 0o600);
    } catch (error) {
      // ENXIO: a FIFO without a reader (or a socket), refused at once thanks to O_NONBLOCK
      if ((error as NodeJS.ErrnoException).code === 'ENXIO') throw new Error(`transcript ${file}: not a regular file`, { cause: error });
      throw error;
    }
    try {
      const stat = fstatSync(fd);
      const uid = process.getuid?.();
      if (!stat.isFile()) throw new Error(`transcript ${file}: not a regular file`);
      if (uid !== undefined && stat.uid !== uid) {
        throw new Error(`transcript ${file}: not a file of this user (uid ${stat.uid}); a transcript holds what the session sent, so it is written only to a private file`);
      }
      if ((stat.mode & 0o077) !== 0) fchmodSync(fd, stat.mode & 0o700);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.#fd = fd;
  }

  write(entry: TranscriptEntry): void {
    this.#append(stringifyJson({ time: new Date().toISOString(), ...entry }));
  }

  /**
   * A client `log` hook writing QMP traffic: each line as it was on the wire (the client
   * passes `message` only for a line its codec parsed, so `raw` is JSON; lines that were not
   * are left out).
   */
  logHook(): (direction: 'in' | 'out', message: unknown, raw: string) => void {
    return (direction, message, raw) => {
      if (message === undefined) return;
      this.#append(`{"time":"${new Date().toISOString()}","dir":"${direction === 'in' ? 'recv' : 'send'}","message":${raw}}`);
    };
  }

  #append(line: string): void {
    // Synchronous, so nothing is lost if the process exits on a lost connection.
    if (this.#fd !== undefined) writeSync(this.#fd, line + '\n');
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
