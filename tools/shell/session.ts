/**
 * What one line of input does, independent of how it is shown: parse it, check the
 * arguments against the schema, send it, and describe the result. Both the interactive
 * front and the non-interactive one are thin layers over this.
 */
import { ConnectionClosedError, QmpError, QmpUsageError } from '@qmp-ts/runtime';
import { toError } from '@qmp-ts/runtime/internal';
import { ArgumentChecker } from './check-args.js';
import { suggest } from './help.js';
import { parseLine, ShellInputError } from './parse.js';
import type { ShellSchema } from './schema-view.js';

/** What the shell needs from its connection (QmpClient has this shape). */
export interface ShellPeer {
  execute(
    command: string,
    args?: Record<string, unknown>,
    options?: { oob?: boolean; noReply?: boolean; signal?: AbortSignal },
  ): Promise<unknown>;
}

export type Outcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'help'; readonly topic?: string }
  /** Not sent: the input is malformed or the arguments do not fit the schema. */
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'return'; readonly command: string; readonly arguments?: Record<string, unknown>; readonly value: unknown; readonly id?: unknown }
  | { readonly kind: 'error'; readonly command: string; readonly errorClass: string; readonly desc: string; readonly id?: unknown };

export interface SessionOptions {
  /** Check commands and arguments against the schema before sending (default true). */
  readonly check?: boolean;
}

/** A lost connection: the fronts report it and exit with status 1. */
export class ConnectionLost extends Error {
  override readonly name = 'ConnectionLost';
}

export class ShellSession {
  #checker: ArgumentChecker | undefined;

  constructor(
    readonly peer: ShellPeer,
    readonly schema: ShellSchema,
    readonly options: SessionOptions = {},
  ) {}

  /** Built on first use: the descriptor table covers the whole schema. */
  get checker(): ArgumentChecker | undefined {
    if (!this.schema.model) return undefined;
    return (this.#checker ??= new ArgumentChecker(this.schema.model));
  }

  /** Runs one line; `signal` stops waiting for the reply. Rejects only with ConnectionLost. */
  async run(line: string, opts: { signal?: AbortSignal } = {}): Promise<Outcome> {
    let input;
    try {
      input = parseLine(line, this.schema);
    } catch (e) {
      if (e instanceof ShellInputError) return { kind: 'refused', message: e.message };
      throw e;
    }
    switch (input.kind) {
      case 'empty':
        return { kind: 'none' };
      case 'quit':
        return { kind: 'quit' };
      case 'help':
        return input.topic === undefined ? { kind: 'help' } : { kind: 'help', topic: input.topic };
      case 'execute':
        break;
    }
    const { command, oob } = input;
    const idPart = 'id' in input ? { id: input.id } : {};
    if (this.options.check !== false) {
      const refusal = this.refusal(command, input.arguments);
      if (refusal) return { kind: 'refused', message: refusal };
    }
    try {
      const noReply = this.schema.noReply.has(command);
      const value = await this.peer.execute(command, input.arguments, { oob, noReply, ...(opts.signal ? { signal: opts.signal } : {}) });
      return { kind: 'return', command, ...(input.arguments === undefined ? {} : { arguments: input.arguments }), value: value ?? {}, ...idPart };
    } catch (e) {
      if (e instanceof QmpError) return { kind: 'error', command, errorClass: e.errorClass, desc: e.desc, ...idPart };
      if (e instanceof ConnectionClosedError) throw new ConnectionLost(e.message, { cause: e });
      if (e instanceof QmpUsageError) return { kind: 'refused', message: e.message };
      if (opts.signal?.aborted) {
        return { kind: 'error', command, errorClass: 'Cancelled', desc: 'stopped waiting for the reply (the command may still complete)', ...idPart };
      }
      const err = toError(e);
      return { kind: 'error', command, errorClass: err.name, desc: err.message, ...idPart };
    }
  }

  /** Why a command must not be sent, or undefined. */
  refusal(command: string, args: Record<string, unknown> | undefined): string | undefined {
    if (!this.schema.commands.has(command)) {
      const near = suggest(command, [...this.schema.commands.keys()]);
      return `unknown command '${command}'${near.length ? `; did you mean ${near.join(', ')}?` : ''}`;
    }
    if (!this.schema.commands.get(command)) return undefined;
    const problems = this.checker?.check(command, args) ?? [];
    if (problems.length === 0) return undefined;
    return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
  }
}
