/**
 * How the shell shows things to a person: replies as indented, coloured JSON; errors and
 * events on one line each. Colours come from picocolors and can be switched off. Text from
 * the peer is shown through terminalText / terminalJson (runtime/host/terminal-text.ts): escape
 * sequences in a reply, an error or an event name are shown, never acted on.
 */
import pc from 'picocolors';
import { stringifyJson } from '@qmp-ts/runtime';
import { terminalJson, terminalText } from '@qmp-ts/runtime/internal';

export type Colors = ReturnType<typeof pc.createColors>;

export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

/** Levels of a reply shown; deeper ones are `…` (a peer can nest without end; a person reads a few). */
export const SHOWN_DEPTH = 64;

function stackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * `value` as one line of JSON, escaped for a terminal; `instead()` is written in its place
 * when it is nested too deeply to serialise (the output stays JSON, and nothing throws).
 */
export function jsonLine(value: unknown, instead: () => unknown): string {
  try {
    return terminalJson(stringifyJson(value));
  } catch (error) {
    if (!stackOverflow(error)) throw error;
    return terminalJson(stringifyJson(instead()));
  }
}

/** JSON like `JSON.stringify(v, null, 2)`, coloured; short arrays and objects stay on one line; SHOWN_DEPTH levels. */
export function prettyJson(value: unknown, c: Colors, indent = ''): string {
  if (value === null) return c.dim('null');
  switch (typeof value) {
    case 'string':
      return c.green(terminalJson(JSON.stringify(value)));
    case 'number':
    case 'bigint':
      return c.yellow(String(value));
    case 'boolean':
      return c.magenta(String(value));
    case 'object':
      break;
    default:
      return c.dim(String(value));
  }
  if (indent.length >= 2 * SHOWN_DEPTH) return c.dim('…');
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object') && stringifyJson(value).length <= 60) {
      return `[${value.map((v) => prettyJson(v, c)).join(', ')}]`;
    }
    return `[\n${value.map((v) => inner + prettyJson(v, c, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const body = entries.map(([k, v]) => `${inner}${c.cyan(terminalJson(JSON.stringify(k)))}: ${prettyJson(v, c, inner)}`);
  return `{\n${body.join(',\n')}\n${indent}}`;
}

export function formatError(errorClass: string, desc: string, c: Colors): string {
  return `${c.red(c.bold(terminalText(errorClass)))}${c.red(':')} ${terminalText(desc)}`;
}

export interface EventLike {
  readonly event: string;
  readonly data?: unknown;
  readonly timestamp?: { readonly seconds: number; readonly microseconds: number };
}

/** `[12:03:04.123] STOP {"reason": ...}` */
export function formatEvent(e: EventLike, c: Colors): string {
  let when = '';
  if (e.timestamp && e.timestamp.seconds >= 0) {
    const d = new Date(e.timestamp.seconds * 1000 + Math.floor(e.timestamp.microseconds / 1000));
    const two = (n: number): string => String(n).padStart(2, '0');
    const ms = String(d.getMilliseconds()).padStart(3, '0');
    when = c.dim(`[${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${ms}] `);
  }
  const data = e.data === undefined || (typeof e.data === 'object' && e.data !== null && Object.keys(e.data).length === 0)
    ? ''
    : ` ${c.dim(jsonLine(e.data, () => '… (nested too deeply to show)'))}`;
  return `${when}${c.bold(c.blue('event'))} ${c.bold(terminalText(e.event))}${data}`;
}
