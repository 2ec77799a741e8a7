/**
 * Getting the shell attached: reading the TARGET argument, optionally starting the peer
 * itself (`--from-qemu BINARY -- ARGS`), and learning the peer's schema: `query-qmp-schema`
 * for QEMU, `guest-info` plus an optional `--schema` file for the guest agent.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ConnectTarget } from '@qmp-ts/runtime';
import { makeOwnedFolder, spawnOwned } from '@qmp-ts/runtime/internal';
import type { Schema } from '../../generator/model/types.js';
import { introspectionToModel } from '../../generator/read/introspection.js';
import { isRecord, shellSchema, type ShellSchema } from './schema-view.js';
import type { ShellPeer } from './session.js';

/** A usage mistake or an unusable target: reported as one line, exit status 2 or 1. */
export class ShellSetupError extends Error {
  override readonly name = 'ShellSetupError';
}

/** `PATH`, `unix:PATH`, `HOST:PORT` or `tcp:HOST:PORT`. An existing file is always a path. */
export function parseTarget(text: string): ConnectTarget {
  if (text.startsWith('unix:')) return { path: text.slice(5) };
  const tcp = /^(?:tcp:)?(\[[^\]]+\]|[^:/]*):(\d+)$/.exec(text);
  if (tcp && !existsSync(text)) {
    const host = tcp[1]!.replace(/^\[(.*)\]$/, '$1') || 'localhost';
    return { host, port: Number(tcp[2]) };
  }
  return { path: text };
}

export interface LaunchedPeer {
  readonly socketPath: string;
  readonly process: ChildProcess;
  /** What the peer wrote to stderr so far. */
  stderr(): string;
  /** Stops the peer (SIGTERM, then SIGKILL) and removes its temporary directory. */
  stop(): Promise<void>;
  /** Settles once `stop()` has finished. */
  readonly stopped: Promise<void>;
}

/** True for the guest agent's binary, which speaks the agent protocol. */
export function isAgentBinary(binary: string): boolean {
  return basename(binary).startsWith('qemu-ga');
}

/** The arguments that give `binary` a QMP (or agent) socket at `sock`. */
function socketArgs(binary: string, sock: string, dir: string, agent: boolean, userArgs: readonly string[]): string[] {
  const name = basename(binary);
  if (agent || isAgentBinary(name)) return ['-m', 'unix-listen', '-p', sock, '-t', dir, ...userArgs];
  if (name.includes('storage-daemon')) {
    return ['--chardev', `socket,id=qmp-ts-shell,path=${sock},server=on,wait=off`, '--monitor', 'chardev=qmp-ts-shell', ...userArgs];
  }
  // Without arguments of its own, a bare machine that needs no display or disk.
  const defaults = userArgs.length ? [] : ['-machine', 'none', '-nodefaults', '-display', 'none'];
  return [...defaults, '-qmp', `unix:${sock},server=on,wait=off`, ...userArgs];
}

/**
 * Starts `binary` with a QMP socket in a fresh temporary directory and waits for the socket.
 * The peer dies with the shell, however the shell ends (see the runtime's owned-process.ts).
 */
export async function launchPeer(binary: string, userArgs: readonly string[], agent: boolean, timeoutMs = 15_000): Promise<LaunchedPeer> {
  const dir = makeOwnedFolder('shell-');
  const socketPath = join(dir, 'qmp.sock');
  const proc = spawnOwned(binary, socketArgs(binary, socketPath, dir, agent, userArgs), { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  let spawnError: Error | undefined;
  proc.once('error', (e) => {
    spawnError = e;
  });
  const exited = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  let stopping: Promise<void> | undefined;
  let markStopped!: () => void;
  const stopped = new Promise<void>((r) => {
    markStopped = r;
  });
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (proc.exitCode === null && proc.signalCode === null && !spawnError) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
      markStopped();
    })();
    return stopping;
  };
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(socketPath)) {
    const gone = spawnError ?? (proc.exitCode !== null || proc.signalCode !== null ? new Error(`exited (${proc.exitCode ?? proc.signalCode})`) : undefined);
    if (gone || Date.now() > deadline) {
      await stop();
      const why = gone ? gone.message : `no socket after ${timeoutMs} ms`;
      throw new ShellSetupError(`could not start ${binary}: ${why}${err.trim() ? `\n${err.trim()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { socketPath, process: proc, stderr: () => err, stop, stopped };
}

/** Reads `--schema FILE` (QAPI source with doc comments, YAML, or introspection JSON). */
export async function loadSchemaFile(file: string, allowOutsideIncludes = false): Promise<Schema> {
  // The schema front end is only loaded when asked for.
  const { loadSchema } = await import('../../generator/load.js');
  return loadSchema(file, { allowOutsideIncludes });
}

interface GuestCommandInfo {
  readonly name: string;
  readonly enabled: boolean;
  readonly successResponse: boolean;
}

function guestCommands(info: unknown): GuestCommandInfo[] {
  const list = isRecord(info) ? info['supported_commands'] : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).flatMap((c) =>
    typeof c.name === 'string'
      ? [{ name: c.name, enabled: c.enabled !== false, successResponse: c['success-response'] !== false }]
      : [],
  );
}

/**
 * The shell's view of the peer. QEMU: its own `query-qmp-schema` (the `--schema` file adds
 * doc comments). Guest agent: `guest-info`'s enabled commands, typed by `--schema` if given.
 */
export async function learnSchema(peer: ShellPeer, opts: { agent: boolean; source?: Schema }): Promise<ShellSchema> {
  if (opts.agent) {
    const cmds = guestCommands(await peer.execute('guest-info'));
    if (cmds.length === 0 && opts.source) return shellSchema(opts.source, { docs: opts.source });
    return shellSchema(opts.source, {
      names: cmds.filter((c) => c.enabled).map((c) => c.name),
      noReply: cmds.filter((c) => !c.successResponse).map((c) => c.name),
      ...(opts.source ? { docs: opts.source } : {}),
    });
  }
  const reply = await peer.execute('query-qmp-schema');
  const live = introspectionToModel(reply, 'query-qmp-schema');
  return shellSchema(live, opts.source ? { docs: opts.source } : {});
}
