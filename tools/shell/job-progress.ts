/**
 * The shell's progress bar for a job it started: after a command with a `job-id` (or, for
 * block jobs, a `device` that names the job) returns, `query-jobs` is read a few times a second
 * and one line is redrawn in place until the job leaves the running states. Ctrl-C stops
 * watching (the job goes on; `job-cancel` stops it).
 */
import { terminalText } from '@qmp-ts/runtime/internal';
import type { ShellSchema } from './schema-view.js';

/** What the watcher needs from the connection. */
export interface JobPeer {
  execute(command: string, args?: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown>;
}

interface JobEntry {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly status?: unknown;
  readonly 'current-progress'?: unknown;
  readonly 'total-progress'?: unknown;
  readonly error?: unknown;
}

/** States in which the job still moves on its own. */
const MOVING = new Set(['created', 'running', 'paused', 'waiting', 'pending', 'standby']);

/** The id of the job a successful command started, or undefined when it starts none (no `job-id` argument). */
export function startedJobId(schema: ShellSchema, command: string, args: Record<string, unknown> | undefined): string | undefined {
  const members = schema.commands.get(command)?.arguments?.members ?? [];
  if (!members.some((m) => m.name === 'job-id')) return undefined;
  const id = args?.['job-id'] ?? args?.['device']; // block jobs default their id to the device
  return typeof id === 'string' ? id : undefined;
}

/** One line: `[#########...........]  45%  mirror j1 running`, fitted to `columns`. */
export function progressLine(entry: JobEntry, columns: number): string {
  const current = typeof entry['current-progress'] === 'number' ? entry['current-progress'] : 0;
  const total = typeof entry['total-progress'] === 'number' ? entry['total-progress'] : 0;
  // The peer's numbers may be anything (negative, beyond the total, both 1e999): kept in [0, 1].
  const ratio = total > 0 ? current / total : 0;
  const fraction = ratio > 0 ? Math.min(1, ratio) : 0;
  const label = `${String(Math.floor(fraction * 100)).padStart(3)}%  ${terminalText(`${String(entry.type ?? 'job')} ${String(entry.id)} ${String(entry.status)}`)}`;
  const width = Math.max(10, Math.min(40, columns - label.length - 4));
  const done = Math.round(fraction * width);
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${label}`.slice(0, Math.max(1, columns - 1));
}

/**
 * Reads the job's `query-jobs` entry every `interval` ms and hands `draw` its progress line,
 * until the job stops moving, disappears, or `signal` aborts. Resolves with the last entry seen.
 */
export async function watchJob(
  peer: JobPeer,
  id: string,
  draw: (line: string) => void,
  options: { readonly columns: number; readonly signal: AbortSignal; readonly interval?: number },
): Promise<JobEntry | undefined> {
  const { signal } = options;
  let last: JobEntry | undefined;
  while (!signal.aborted) {
    let jobs: unknown;
    try {
      jobs = await peer.execute('query-jobs', undefined, { signal });
    } catch {
      break;
    }
    const entry = Array.isArray(jobs) ? (jobs as JobEntry[]).find((j) => j?.id === id) : undefined;
    if (entry === undefined) break;
    last = entry;
    draw(progressLine(entry, options.columns));
    if (!MOVING.has(String(entry.status))) break;
    await sleep(options.interval ?? 200, signal);
  }
  return last;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
