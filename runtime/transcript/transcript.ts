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
import { closeSync, writeSync } from 'node:fs';
import { openPrivateAppend } from '../host/private-file.js';
import { stringifyJson } from '../json/json-stringify.js';

export type TranscriptEntry =
  | { readonly dir: 'send' | 'recv'; readonly message: unknown }
  | { readonly dir: 'input'; readonly line: string }
  | { readonly dir: 'shell'; readonly text: string };

export class Transcript {
  #fd: number | undefined;

  /** Appends to `file`, a private file: see private-file.ts (refused: another user's file, a FIFO, a terminal). */
  constructor(file: string) {
    this.#fd = openPrivateAppend(file, 'transcript');
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
