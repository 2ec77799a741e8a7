/**
 * The parts of the client that only some connections use, loaded by `QmpClient.connect`
 * with `import()` when the options ask for them (connecting is async anyway), so that a
 * bundle with code splitting loads them on first use rather than up front:
 *
 * - agent-sync.ts: the guest agent's resynchronisation (`agent`);
 * - reconnect.ts: reconnecting (`reconnect`, on a target that can be opened again);
 * - transcript.ts: the session transcript (`record`).
 *
 * See "Lazily loaded modules" in index.ts; test/runtime/bundle-split.test.ts checks it.
 */
import type { AgentSync } from './agent-sync.js';
import type { ClientOptions } from './client-options.js';
import type { Reconnector } from './reconnect.js';
import type { Transcript } from '../transcript/transcript.js';
import { canReopen, type ConnectTarget } from './transport.js';

/** The classes a connection's options need; absent when they do not. */
export interface ClientParts {
  readonly AgentSync: typeof AgentSync | undefined;
  readonly Reconnector: typeof Reconnector | undefined;
  readonly Transcript: typeof Transcript | undefined;
}

/** Whether `options` turn reconnecting on for `target` (one that can be opened again). */
export function reconnects(target: ConnectTarget, options: ClientOptions): boolean {
  return options.reconnect !== undefined && options.reconnect !== false && canReopen(target);
}

/** Loads the parts `options` need for `target`. */
export async function loadClientParts(target: ConnectTarget, options: ClientOptions): Promise<ClientParts> {
  const [agent, reconnect, transcript] = await Promise.all([
    options.agent ?? false ? import('./agent-sync.js') : undefined,
    reconnects(target, options) ? import('./reconnect.js') : undefined,
    options.record !== undefined ? import('../transcript/transcript.js') : undefined,
  ]);
  return { AgentSync: agent?.AgentSync, Reconnector: reconnect?.Reconnector, Transcript: transcript?.Transcript };
}
