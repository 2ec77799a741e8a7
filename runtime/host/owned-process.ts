/**
 * Starting a program that dies with the Node process that started it, whatever ends that
 * process: a normal exit, an uncaught error, or any signal, SIGKILL included (a process
 * cannot catch SIGKILL, so cleanup code alone can never do this).
 *
 * On Linux with util-linux's `setpriv`, the program runs as
 * `setpriv --pdeathsig SIGKILL -- /bin/sh -c GUARD qmp-ts-guard OWNER_PID PROGRAM ARGS...`:
 * the kernel sends SIGKILL to the program when the thread that spawned it ends (in Node, the
 * thread whose event loop called `spawn`: the main thread, or a worker). The setting survives
 * `exec` (setpriv execs the shell, the shell execs the program: one process, whose pid is the
 * program's). The guard closes the one gap: an owner that dies after the fork but before
 * setpriv set the signal leaves an orphan whose parent is no longer the owner, and the guard
 * then starts nothing.
 *
 * Without setpriv (not Linux, or a system without util-linux), or when the program cannot be
 * found (so that spawn reports ENOENT itself), the program is spawned directly, and only a
 * normal exit of the owner ends it (launch.ts kills its children on `exit`).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** Runs the program only if the owner (its first argument) is still the parent. */
const GUARD = '[ "$PPID" = "$1" ] || exit 125; shift; exec "$@"';

/** An executable regular file at `path`. */
function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where `spawn` would find `binary`: itself when it names a path (relative to `cwd`), else the first match on PATH. */
export function findExecutable(binary: string, env: NodeJS.ProcessEnv = process.env, cwd = '.'): string | undefined {
  if (binary.includes('/')) return executable(resolve(cwd, binary)) ? resolve(cwd, binary) : undefined;
  for (const dir of (env['PATH'] ?? process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, binary);
    if (executable(candidate)) return resolve(candidate);
  }
  return undefined;
}

let setpriv: string | null | undefined;
/** util-linux's setpriv on Linux (looked up once), or undefined. */
export function deathSignalTool(): string | undefined {
  if (setpriv === undefined) {
    const found = process.platform === 'linux' && executable('/bin/sh') ? findExecutable('setpriv', { PATH: `${process.env['PATH'] ?? ''}${delimiter}/usr/bin${delimiter}/bin` }) : undefined;
    setpriv = found ?? null;
  }
  return setpriv ?? undefined;
}

/**
 * The command line that runs `binary args` so that it dies with this process (see the module
 * comment), or `[binary, ...args]` where that cannot be arranged.
 */
export function ownedCommand(binary: string, args: readonly string[], env?: NodeJS.ProcessEnv, cwd?: string): [program: string, ...args: string[]] {
  const tool = deathSignalTool();
  const program = tool === undefined ? undefined : findExecutable(binary, env, cwd);
  if (tool === undefined || program === undefined) return [binary, ...args];
  return [tool, '--pdeathsig', 'SIGKILL', '--', '/bin/sh', '-c', GUARD, 'qmp-ts-guard', String(process.pid), program, ...args];
}

/** `spawn`, for a program that must not outlive this process (see the module comment). */
export function spawnOwned(binary: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const [program, ...rest] = ownedCommand(binary, args, options.env, options.cwd?.toString());
  return spawn(program, rest, options);
}
