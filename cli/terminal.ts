/**
 * How the CLI writes what may hold schema or peer text: through terminalText / terminalJson
 * (runtime/host/terminal-text.ts), so an escape sequence in a schema name, a doc comment or an
 * error is shown, never acted on by the terminal.
 */
import { terminalJson, terminalText } from '@qmp-ts/runtime/internal';

/** Messages and reports on stderr (may span lines). */
export function writeError(text: string): void {
  process.stderr.write(terminalText(text, { multiline: true }));
}

/** A report on stdout (text or JSON), always escaped: it is meant for a person. */
export function writeReport(text: string, format: 'text' | 'json'): void {
  process.stdout.write(format === 'json' ? terminalJson(text) : terminalText(text, { multiline: true }));
}

/** Data on stdout (a schema dump or capture), escaped only when stdout is a terminal: a file gets it byte for byte. */
export function writeData(text: string, format: 'text' | 'json'): void {
  process.stdout.write(process.stdout.isTTY === true ? (format === 'json' ? terminalJson(text) : terminalText(text, { multiline: true })) : text);
}
