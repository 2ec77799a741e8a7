/** What both fronts (interactive and non-interactive) are given to work with. */
import type { Readable, Writable } from 'node:stream';
import type { Colors } from './display.js';
import type { ShellSession } from './session.js';
import type { Transcript } from '@qmp-ts/runtime';

export interface ShellEvent {
  readonly event: string;
  readonly data?: Record<string, unknown>;
  readonly timestamp: { readonly seconds: number; readonly microseconds: number };
}

export interface ShellContext {
  readonly session: ShellSession;
  /** Subscribes to every event; returns the unsubscribe function. */
  readonly onEvent: (listener: (event: ShellEvent) => void) => () => void;
  /** Settles with a message when the connection is lost (never when the shell closes it). */
  readonly lost: Promise<string>;
  readonly transcript?: Transcript;
  readonly input: Readable;
  readonly output: Writable;
  readonly errors: Writable;
  readonly colors: Colors;
}

/** Exit statuses. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
