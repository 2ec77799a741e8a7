/**
 * A session as JSON lines, one object per line, written by the client's `record` option and
 * by the shell's `--transcript`, and read back by `FakeQemu.replay`:
 *
 * - `{"time": ISO, "dir": "send" | "recv", "message": ...}`: QMP traffic, as sent and received;
 * - `{"time", "dir": "input", "line"}`: what a shell user typed;
 * - `{"time", "dir": "shell", "text"}`: what the shell answered itself (refusals, help).
 *
 * Readers skip the directions they do not know, so the format can grow.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parseJson, stringifyJson } from './bigint-json.js';
import { reasonText } from './errors.js';

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
    // Synchronous, so nothing is lost if the process exits on a lost connection.
    writeSync(this.#fd, stringifyJson({ time: new Date().toISOString(), ...entry }) + '\n');
  }

  /** A client `log` hook writing QMP traffic (lines that were not JSON are left out). */
  logHook(): (direction: 'in' | 'out', message: unknown, raw: string) => void {
    return (direction, message) => {
      if (message !== undefined) this.write({ dir: direction === 'in' ? 'recv' : 'send', message });
    };
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

/** One QMP message of a transcript, with its line number (1-based) for messages. */
export interface TranscriptMessage {
  readonly dir: 'send' | 'recv';
  readonly message: Readonly<Record<string, unknown>>;
  readonly line: number;
}

/**
 * The QMP messages of a transcript file, in order. A line that is not a JSON object, or a
 * `send`/`recv` entry whose message is not an object, fails with `FILE:LINE: why`.
 */
export function readTranscript(file: string): TranscriptMessage[] {
  const out: TranscriptMessage[] = [];
  readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
    if (text.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let entry: unknown;
    try {
      entry = parseJson(text, { integers: 'bigint' });
    } catch (error) {
      throw new Error(`${where}: not JSON: ${reasonText(error)}`);
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${where}: not a JSON object`);
    const { dir, message } = entry as { dir?: unknown; message?: unknown };
    if (dir !== 'send' && dir !== 'recv') return;
    if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new Error(`${where}: "message" is not a JSON object`);
    out.push({ dir, message: message as Record<string, unknown>, line: i + 1 });
  });
  return out;
}
