/**
 * `--format prettier`: formatting generated files with prettier and the prettier
 * configuration of the output's project (`.prettierrc`, `.editorconfig`, ... as found by
 * `prettier.resolveConfig` for each file's path), once per file, in a small pool of worker
 * threads. The default style needs none of this (emit/print.ts prints it directly).
 *
 * Workers are started by {@link startFormatter} before the schema is read, so loading
 * prettier overlaps with reading and emitting. The worker is plain JavaScript given as
 * source text, so it runs the same under node, tsx and vitest.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** What the project's configuration does not set. */
const BASE_OPTIONS = {
  // Babel's TypeScript parser: same output as 'typescript' for generated code, ~1.4x faster.
  parser: 'babel-ts',
} as const;

/** Options for prettier.format: a plain JSON object (it crosses to the workers). */
export type PrettierOptions = Readonly<Record<string, unknown>>;

const require = createRequire(import.meta.url);

function prettierPackage(): { url: string; version: string } {
  const pkgPath = require.resolve('prettier/package.json');
  const version = (require(pkgPath) as { version: string }).version;
  return { url: pathToFileURL(require.resolve('prettier')).href, version };
}

/**
 * Prettier's version and a file's options (but its path): part of the cache key of a
 * formatted file, so the same text and configuration give the same file anywhere.
 */
export function formatterIdentity(options: PrettierOptions): string {
  const { filepath: _path, ...rest } = options;
  return `prettier@${prettierPackage().version} ${JSON.stringify(rest)}`;
}

let prettierModule: Promise<typeof import('prettier')> | undefined;
const loadPrettier = (): Promise<typeof import('prettier')> => (prettierModule ??= import('prettier'));

/** Forgets the configuration files read so far (they may have changed since: watch mode). */
export async function forgetPrettierConfig(): Promise<void> {
  await (await loadPrettier()).clearConfigCache();
}

/**
 * The options for the generated file at `file` (an absolute path): the configuration that
 * applies to it in its project, as prettier's own command line would find it.
 */
export async function prettierOptionsFor(file: string): Promise<PrettierOptions> {
  const prettier = await loadPrettier();
  const config = await prettier.resolveConfig(file, { editorconfig: true });
  return { ...BASE_OPTIONS, ...(config ?? {}), filepath: file };
}

/**
 * Formatted once by each worker as soon as it starts, while the main thread is still reading
 * the schema: loads prettier's parser and printer plugins and lets the JIT warm up on the
 * kinds of code the generator writes.
 */
const WARM_UP = `import type { A as $A } from './a.js';
/**
 * Doc.
 * @since 1.0
 */
export interface X extends Y { /** m */ "a-b"?: string; c: $A[]; d: { [key: string]: never } }
export type U = (Y & { k: "v" } & Z) | (Y & { k: "w" });
export type E = "0" | "on";
export const E = ["0", "on"] as const;
export interface M { /** d */ "q-s": { args: undefined; returns: X; allowOob: false; successResponse: true } }
export const t = f<M>([["q-s", 0], ["then", 1, "then$"]]);
export class C extends B<M, N> { constructor(raw: R) { super(raw, t); } }
g(C, t);
`;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ready = import(workerData.prettier)
  .then((m) => (typeof m.format === 'function' ? m : m.default))
  .then(async (p) => {
    await p.format(workerData.warmUp, { parser: 'babel-ts' });
    parentPort.postMessage({ ready: true });
    return p;
  });
parentPort.on('message', async ({ id, text, options }) => {
  try {
    const prettier = await ready;
    parentPort.postMessage({ id, text: await prettier.format(text, options) });
  } catch (e) {
    parentPort.postMessage({ id, error: e && e.message ? e.message : String(e) });
  }
});
`;

export interface Formatter {
  /** Formats one TypeScript file with `options` (from {@link prettierOptionsFor}). */
  format(text: string, options: PrettierOptions): Promise<string>;
  /**
   * Grows the pool to `workers` (never shrinks). A new worker takes jobs only once it has
   * loaded prettier, so work queued now is not parked behind its start-up.
   */
  grow(workers: number): void;
  /** Stops the workers. */
  close(): Promise<void>;
}

interface Job {
  readonly id: number;
  readonly text: string;
  readonly options: PrettierOptions;
  readonly resolve: (s: string) => void;
  readonly reject: (e: Error) => void;
}

/** Formats in the calling thread (one file at a time). */
function inlineFormatter(): Formatter {
  return {
    async format(text, options) {
      return (await loadPrettier()).format(text, options);
    },
    grow() {},
    async close() {},
  };
}

/**
 * The initial pool size: one worker per CPU but one, since the main thread is busy emitting
 * while files are formatted (each worker also pays prettier's warm-up once: on 2 CPUs, one
 * worker from the start beats two, 1.4 s vs 1.7 s wall and 2.2 s vs 2.9 s CPU for QEMU
 * 10.2). `generate` grows the pool by one when emitting is done.
 */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** A pool of `workers` prettier workers; with 0 workers, formats in this thread. */
export function startFormatter(workers = defaultWorkers()): Formatter {
  if (workers < 1) return inlineFormatter();
  const { url } = prettierPackage();
  const queue: Job[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  let nextId = 0;
  let failed: Error | undefined;
  let closing = false;

  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const job = queue.shift()!;
      busy.set(w, job);
      w.postMessage({ id: job.id, text: job.text, options: job.options });
    }
  };
  const pool: Worker[] = [];
  const spawn = (): void => {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { prettier: url, warmUp: WARM_UP },
      // prettier allocates many short-lived objects: a larger young generation means far
      // fewer scavenges (GC was a fifth of formatting time with the default).
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
    });
    w.on('message', (m: { id?: number; ready?: boolean; text?: string; error?: string }) => {
      if (m.ready) {
        idle.push(w);
        pump();
        return;
      }
      const job = busy.get(w);
      busy.delete(w);
      idle.push(w);
      if (job) {
        if (m.error !== undefined) job.reject(new Error(`prettier failed: ${m.error}`));
        else job.resolve(m.text!);
      }
      pump();
    });
    w.on('error', (e) => {
      failed = e;
      const job = busy.get(w);
      busy.delete(w);
      job?.reject(e);
      for (const j of queue.splice(0)) j.reject(e);
    });
    w.on('exit', (code) => {
      // close() terminates workers; any other exit must not leave a job waiting forever.
      if (closing) return;
      failed ??= new Error(`prettier worker exited (${code})`);
      const i = idle.indexOf(w);
      if (i >= 0) idle.splice(i, 1);
      busy.get(w)?.reject(failed);
      busy.delete(w);
      for (const j of queue.splice(0)) j.reject(failed);
    });
    pool.push(w);
  };
  for (let i = 0; i < workers; i++) spawn();

  return {
    format(text, options) {
      if (failed) return Promise.reject(failed);
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, text, options, resolve, reject });
        pump();
      });
    },
    grow(n) {
      while (pool.length < Math.min(n, 8) && !failed) spawn();
    },
    async close() {
      closing = true;
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
