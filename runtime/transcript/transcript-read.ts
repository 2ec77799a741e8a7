/**
 * Reads the QMP messages of a transcript (written by transcript.ts) back, with 64-bit
 * integers exact. `FakeQemu.replay` serves them; apart from the writer, so a client that
 * records a session does not load the lossless JSON parser up front.
 */
import { readFileSync } from 'node:fs';
import { parseJson } from '../json/bigint-json.js';
import { reasonText } from '../errors.js';

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
