/**
 * `--transcript FILE`: everything that goes in and out, one JSON object per line:
 * `{"time": ISO, "dir": "send" | "recv", "message": ...}` for QMP traffic (from the client's
 * log hook), `{"time", "dir": "input", "line"}` for what the user typed, and
 * `{"time", "dir": "shell", "text"}` for what the shell answered itself (refusals, help).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { stringifyJson } from '@qmp-ts/runtime';

export type TranscriptEntry =
  | { readonly dir: 'send' | 'recv'; readonly message: unknown }
  | { readonly dir: 'input'; readonly line: string }
  | { readonly dir: 'shell'; readonly text: string };

export class Transcript {
  #fd: number | undefined;

  /** Appends to `file` (created if missing). */
  constructor(file: string) {
    this.#fd = openSync(file, 'a');
  }

  write(entry: TranscriptEntry): void {
    if (this.#fd === undefined) return;
    // Synchronous, so nothing is lost if the shell exits on a lost connection.
    writeSync(this.#fd, stringifyJson({ time: new Date().toISOString(), ...entry }) + '\n');
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
