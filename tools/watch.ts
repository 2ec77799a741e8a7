/**
 * `qmp-ts generate --watch`: regenerate when a schema file (includes too) or the config
 * changes. Each cycle reloads the targets (so config edits apply), rereads each schema,
 * prints what changed in the schema in brief (the `diff` summary and its first lines), and
 * rewrites only the files whose bytes change. The process stays warm between cycles:
 *
 * - only schema files whose text changed are lexed and parsed again (watch/parse-cache.ts);
 * - when the expressions are the last check's and only doc comments changed (in place),
 *   only the edited doc comments are checked again (watch/check-cache.ts); else the whole
 *   schema is checked;
 * - the model is compared with the last one: when only documentation changed, only the files
 *   carrying the edited definitions' docs are emitted again (watch/model-delta.ts,
 *   watch/pipeline.ts);
 * - files are compared with what was last written, in memory, and written atomically
 *   (watch/output.ts). With `format: 'prettier'`, `generate`'s own pass runs instead (it
 *   reuses the formatting of files whose unformatted text is unchanged).
 *
 * A schema error prints the located message and leaves the last good output in place; the
 * next edit regenerates. Events are coalesced for `debounceMs`; events during a cycle start
 * another one when it ends, so no edit is missed.
 *
 * A target's plugin modules are watched too: editing one regenerates with its new code (the
 * modules a plugin imports in turn are not watched, and Node keeps their first version).
 *
 * Directories are watched rather than files: editors often save by writing a new file and
 * renaming it over the old one, which ends a watch on the file itself.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { terminalText } from '@qmp-ts/runtime/internal';
import type { GenerateTarget } from '../generator/config.js';
import { diffSchemas, summaryLine, SEVERITIES, type SchemaChange } from './diff/index.js';
import type { Schema } from '../generator/model/types.js';
import { displayPath } from '../generator/display-path.js';
import type { TargetResult } from '../generator/generate.js';
import { OutputMemory } from './watch/output.js';
import { WarmTarget, type WarmResult } from './watch/pipeline.js';
import { ParseCache } from './watch/parse-cache.js';
import { CheckCache } from './watch/check-cache.js';
import { pluginFiles } from '../generator/plugins/load.js';

export interface WatchOptions {
  /** The targets; called at the start and again on every change (re-reading the config). */
  readonly targets: () => Promise<readonly GenerateTarget[]> | readonly GenerateTarget[];
  /** The config file to watch, when the targets come from one. */
  readonly configFile?: string;
  /** Where the progress lines go (default: stderr). */
  readonly log?: (line: string) => void;
  /** Quiet period after a change before regenerating, ms (default 10: the events of one save arrive within a few ms; later ones start another cycle). */
  readonly debounceMs?: number;
  /** Ends the watch. */
  readonly signal?: AbortSignal;
  /** Prettier workers (default 0: format in this thread, no worker start-up per cycle). */
  readonly workers?: number;
  /** Called after each cycle (tests wait on it). */
  readonly onCycle?: (cycle: WatchCycle) => void;
}

export interface WatchCycle {
  readonly number: number;
  /** The files whose change triggered it (empty for the first cycle). */
  readonly trigger: readonly string[];
  readonly targets: readonly TargetOutcome[];
  /** Schema files lexed and parsed in this cycle (the others' parses were reused). */
  readonly parsed: readonly string[];
  /** Set when the targets themselves (the config) could not be read. */
  readonly error?: string;
}

export type TargetOutcome =
  | {
      readonly output: string;
      readonly ok: true;
      /** Files whose bytes changed (and `qmp-schema.json`, which records the input's hash). */
      readonly written: readonly string[];
      /** With `format: 'prettier'`: files whose formatted body was reused (their generated text did not change). */
      readonly reused: number;
      /** Files not emitted again: only documentation changed, and none that they carry. */
      readonly kept: number;
      /** QAPI source and YAML: whether the whole schema was checked, or only its doc comments (nothing else changed). */
      readonly checked: 'whole' | 'docs' | undefined;
      readonly summary: string;
      readonly changes: readonly SchemaChange[];
    }
  | { readonly output: string; readonly ok: false; readonly error: string };

const BRIEF_LINES = 8;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Watches and regenerates until `signal` aborts. Resolves then. */
export async function watchGenerate(options: WatchOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(terminalText(line, { multiline: true }) + '\n'));
  const debounceMs = options.debounceMs ?? 10;
  const [{ loadTarget, generateFromModel }, { loadSchema }] = await Promise.all([import('../generator/generate.js'), import('../generator/load.js')]);
  const previous = new Map<string, Schema>();
  const memory = new OutputMemory();
  const warm = new Map<string, WarmTarget>(); // output directory -> its warm pipeline
  const parses = new ParseCache();
  const checks = new Map<string, CheckCache>(); // output directory -> the last check of its schema
  // A schema file (QAPI source or YAML) is read through the parse cache: only edited files are
  // parsed again; when only doc comments changed, only they are checked again.
  const load = (target: GenerateTarget, check: CheckCache): Promise<Schema> | Schema =>
    'schema' in target && target.docs === undefined ? loadSchema(target.schema, { parsers: parses.parserFor, check: check.check, ...(target.allowOutsideIncludes && { allowOutsideIncludes: true }) }) : loadTarget(target);
  const watched = new Map<string, FSWatcher>(); // directory -> watcher
  let files = new Set<string>(); // absolute paths that trigger a cycle
  let pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let cycleNo = 0;
  let stopped = false;

  const onFsEvent = (dir: string, name: string | Buffer | null): void => {
    if (stopped) return;
    const full = name === null ? undefined : path.join(dir, String(name));
    // Without a name (some platforms) any file of the directory may have changed.
    const hit = full === undefined ? [...files].filter((f) => path.dirname(f) === dir) : files.has(full) ? [full] : [];
    if (hit.length === 0) return;
    for (const f of hit) pending.add(f);
    if (timer) clearTimeout(timer);
    timer = setTimeout(kick, debounceMs);
  };

  const rewatch = (next: Set<string>): void => {
    files = next;
    const dirs = new Set([...next].map((f) => path.dirname(f)));
    for (const [dir, w] of watched) {
      if (!dirs.has(dir)) {
        w.close();
        watched.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (watched.has(dir)) continue;
      try {
        watched.set(dir, watch(dir, (_event, name) => onFsEvent(dir, name)));
      } catch (e) {
        log(`[watch] cannot watch ${dir}: ${errorText(e)}`);
      }
    }
  };

  /** Prettier and plugin targets go through `generate` (for prettier, its pass reuses formatting by file header). */
  const generateTarget = async (target: GenerateTarget, schema: Schema): Promise<TargetResult | WarmResult> => {
    const out = path.resolve(target.output);
    // With plugins, each cycle runs them on a fresh emit (the module is imported again when its text changed).
    if (target.format === 'prettier' || (target.plugins !== undefined && target.plugins.length > 0)) {
      memory.forget(out);
      warm.delete(out);
      return generateFromModel(schema, target, { workers: options.workers ?? 0 });
    }
    let w = warm.get(out);
    if (!w) warm.set(out, (w = new WarmTarget(memory)));
    return w.generate(target, schema);
  };

  const cycle = async (trigger: readonly string[]): Promise<void> => {
    const number = ++cycleNo;
    if (trigger.length) log(`[watch] changed: ${trigger.map((f) => displayPath(f)).join(', ')}`);
    const nextFiles = new Set<string>(options.configFile ? [path.resolve(options.configFile)] : []);
    let targets: readonly GenerateTarget[];
    try {
      targets = await options.targets();
    } catch (e) {
      log(`[watch] error in the configuration, keeping the last good output:\n${errorText(e)}`);
      for (const f of files) nextFiles.add(f); // keep watching what we had
      rewatch(nextFiles);
      options.onCycle?.({ number, trigger, targets: [], parsed: parses.takeParsed(), error: errorText(e) });
      return;
    }
    const outcomes: TargetOutcome[] = [];
    const configChanged = options.configFile !== undefined && trigger.includes(path.resolve(options.configFile));
    for (const target of targets) {
      const out = displayPath(path.resolve(target.output));
      const inputFile = 'schema' in target ? target.schema : 'introspection' in target ? target.introspection : undefined;
      if (inputFile !== undefined) nextFiles.add(path.resolve(inputFile));
      if (target.docs !== undefined) nextFiles.add(path.resolve(target.docs));
      for (const f of pluginFiles(target.plugins)) nextFiles.add(f);
      const last = previous.get(target.output);
      for (const f of last?.source.files ?? []) nextFiles.add(path.resolve(f));
      if ('fromQemu' in target && last && !configChanged) continue; // a live QEMU's schema does not change with files on disk
      try {
        const outDir = path.resolve(target.output);
        let check = checks.get(outDir);
        if (!check) checks.set(outDir, (check = new CheckCache()));
        check.lastRun = undefined;
        const schema = await load(target, check);
        for (const f of schema.source.files) nextFiles.add(path.resolve(f));
        const result = await generateTarget(target, schema);
        // Same shape (only docs changed): `diff` reads no docs, so it would find nothing.
        const docsOnly = 'delta' in result && result.delta?.sameShape === true;
        const d = last && !docsOnly ? diffSchemas(last, schema) : undefined;
        previous.set(target.output, schema);
        const summary = last ? `schema: ${d ? summaryLine(d) : 'no changes'}` : `schema: ${schema.commands.size} commands, ${schema.events.size} events`;
        log(
          `[watch] ${out}: ${result.changed.length} written${result.reused ? ` (${result.reused} with reused formatting)` : ''}, ${result.unchanged} unchanged${result.removed.length ? `, ${result.removed.length} removed` : ''}; ${summary}`,
        );
        const changes = d ? [...d.changes].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)) : [];
        for (const c of changes.slice(0, BRIEF_LINES)) log(`  ${c.severity}: ${c.path}: ${c.message}`);
        if (changes.length > BRIEF_LINES) log(`  ... and ${changes.length - BRIEF_LINES} more (qmp-ts diff for all)`);
        outcomes.push({ output: target.output, ok: true, written: result.changed, reused: result.reused, kept: 'kept' in result ? result.kept : 0, checked: check.lastRun, summary, changes });
      } catch (e) {
        log(`[watch] ${out}: schema error, keeping the last good output:\n${errorText(e)}`);
        outcomes.push({ output: target.output, ok: false, error: errorText(e) });
      }
    }
    rewatch(nextFiles);
    options.onCycle?.({ number, trigger, targets: outcomes, parsed: parses.takeParsed() });
  };

  function kick(): void {
    timer = undefined;
    if (stopped) return;
    if (running) return; // the running cycle picks pending changes up when it ends
    const trigger = [...pending];
    pending = new Set();
    running = cycle(trigger).finally(() => {
      running = undefined;
      if (pending.size > 0 && !stopped) kick();
    });
  }

  await cycle([]);
  log('[watch] watching for changes (Ctrl-C to stop)');
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const w of watched.values()) w.close();
      watched.clear();
      void (running ?? Promise.resolve()).then(() => resolve());
    };
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });
  });
}
