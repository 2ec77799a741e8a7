/**
 * Input history kept across sessions: `--history FILE`, else `$XDG_STATE_HOME/qmp-ts/history`
 * when XDG_STATE_HOME is set, else `~/.qmp-ts_history`. One line per entry, oldest first.
 * What was typed may hold passwords (`set_password`): the file is kept private (0600) as a
 * transcript is (runtime/host/private-file.ts).
 */
import { closeSync, mkdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { openPrivateAppend } from '@qmp-ts/runtime/internal';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const HISTORY_SIZE = 1000;

export function defaultHistoryFile(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME;
  if (state) return join(state, 'qmp-ts', 'history');
  return join(env.HOME ?? homedir(), '.qmp-ts_history');
}

/** The last entries of the file, newest first (readline's order); [] if there is none. */
export function loadHistory(file: string, size = HISTORY_SIZE): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  // Keep the file from growing without bound: rewrite it when it is twice the size kept.
  if (lines.length > 2 * size) {
    try {
      writeFileSync(file, lines.slice(-size).join('\n') + '\n', { mode: 0o600 });
    } catch {
      // Read-only history is fine.
    }
  }
  return lines.slice(-size).reverse();
}

/** Appends one entry; history is a convenience, so failures are ignored. */
export function appendHistory(file: string, line: string): void {
  const entry = line.trim();
  if (entry === '' || entry.includes('\n')) return;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Private as a transcript is: 0600, an older file of this user tightened, anything else left alone.
    const fd = openPrivateAppend(file, 'history');
    try {
      writeSync(fd, entry + '\n');
    } finally {
      closeSync(fd);
    }
  } catch {
    // An unwritable history file must not stop the shell.
  }
}
