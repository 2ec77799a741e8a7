/**
 * What a set of bindings covers: the commands and events kept by the include/exclude
 * filters, and the named types to declare (all of the schema's when nothing is filtered,
 * otherwise only those the kept commands and events reach).
 */
import type { Command, Event, Schema, Type } from '../model/types.js';
import { isNamedType, type NamedType } from '../names/index.js';
import { QapiError } from '../diagnostics.js';
import { nearestNames } from './nearest.js';

export interface NameFilter {
  /** Names or globs (`*`, `?`) to keep; everything when absent. */
  readonly include?: readonly string[];
  /** Names or globs to drop (applied after `include`). */
  readonly exclude?: readonly string[];
  /** Where the filter was written (config file, key path): errors about it point there. */
  readonly origin?: { readonly file: string; readonly path: string };
}

export interface Selection {
  readonly commands: readonly Command[];
  readonly events: readonly Event[];
  readonly types: readonly NamedType[];
}

const BUILTIN_MODULE = './builtin';

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

export function compileFilter(filter: NameFilter | undefined): (name: string) => boolean {
  if (!filter) return () => true;
  const inc = filter.include?.map(globToRegExp);
  const exc = filter.exclude?.map(globToRegExp) ?? [];
  return (name) => (!inc || inc.some((r) => r.test(name))) && !exc.some((r) => r.test(name));
}

/**
 * A name or glob of a filter that matches no command or event of the schema: a typo, since
 * it selects nothing. `key` says where it was given (`commands.include[0]`).
 */
export class UnmatchedNameError extends Error {
  constructor(
    readonly list: 'commands' | 'events',
    readonly key: 'include' | 'exclude',
    readonly index: number,
    readonly pattern: string,
    readonly suggestions: readonly string[],
  ) {
    super(`${list}.${key}[${index}]: ${unmatchedDetail(list, pattern, suggestions)}`);
    this.name = 'UnmatchedNameError';
  }

  /** The message without the key path. */
  get detail(): string {
    return unmatchedDetail(this.list, this.pattern, this.suggestions);
  }
}

function unmatchedDetail(list: 'commands' | 'events', pattern: string, suggestions: readonly string[]): string {
  const what = list === 'commands' ? 'command' : 'event';
  const near = suggestions.length > 0 ? `; did you mean ${suggestions.map((n) => `'${n}'`).join(', ')}?` : `, and no ${what} is close`;
  return `'${pattern}' matches no ${what} of the schema${near}`;
}

/**
 * Fails on the first name or glob of `filter` that matches none of `names`: a
 * {@link QapiError} at the filter's `origin` when it has one, else an {@link UnmatchedNameError}.
 */
export function checkFilter(list: 'commands' | 'events', filter: NameFilter | undefined, names: readonly string[]): void {
  for (const key of ['include', 'exclude'] as const) {
    filter?.[key]?.forEach((pattern, index) => {
      const re = globToRegExp(pattern);
      if (names.some((n) => re.test(n))) return;
      const error = new UnmatchedNameError(list, key, index, pattern, nearestNames(pattern, names));
      const at = filter.origin;
      throw at ? new QapiError({ file: at.file, path: `${at.path}.${key}[${index}]` }, error.detail) : error;
    });
  }
}

function isFiltered(f: NameFilter | undefined): boolean {
  return f !== undefined && (f.include !== undefined || (f.exclude?.length ?? 0) > 0);
}

/**
 * Adds `t` and every named type it refers to, depth first in the order the references are
 * written (the reference site's "used by" walks the same way). With a stack of its own:
 * chains of types may be far deeper than the call stack.
 */
export function reach(root: Type | undefined, seen: Set<Type>): void {
  const todo: (Type | undefined)[] = [root];
  while (todo.length > 0) {
    const t = todo.pop();
    if (!t || seen.has(t)) continue;
    seen.add(t);
    // pushed last to first, so that they are taken first to last
    const refs = references(t);
    for (let i = refs.length - 1; i >= 0; i--) todo.push(refs[i]);
  }
}

/** The types `t` refers to directly, in written order. */
function references(t: Type): (Type | undefined)[] {
  switch (t.kind) {
    case 'builtin':
    case 'enum':
      return [];
    case 'array':
      return [t.element];
    case 'struct':
      return [t.base, ...t.ownMembers.map((m) => m.type)];
    case 'union':
      return [t.base, t.discriminatorType, ...t.branches.map((b) => b.type)];
    case 'alternate':
      return t.alternatives.map((a) => a.type);
  }
}

/** Commands the runtime client sends by itself: the capabilities handshake on connect. */
const CLIENT_OWN_COMMANDS: readonly string[] = ['qmp_capabilities'];

/**
 * The commands the validator table must know: the selected ones plus those the client sends
 * by itself (a filter that drops `qmp_capabilities` would otherwise make every connect
 * report an unknown command).
 */
export function validatedCommands(schema: Schema, selected: readonly Command[]): Command[] {
  const out = [...selected];
  for (const name of CLIENT_OWN_COMMANDS) {
    const c = schema.commands.get(name);
    if (c && !out.includes(c)) out.push(c);
  }
  return out;
}

/** What `commands` and `events` keep; a name or glob that matches nothing is an {@link UnmatchedNameError}. */
export function select(schema: Schema, commands?: NameFilter, events?: NameFilter): Selection {
  checkFilter('commands', commands, [...schema.commands.keys()]);
  checkFilter('events', events, [...schema.events.keys()]);
  const keepCommand = compileFilter(commands);
  const keepEvent = compileFilter(events);
  const cmds = [...schema.commands.values()].filter((c) => keepCommand(c.name));
  const evts = [...schema.events.values()].filter((e) => keepEvent(e.name));
  const all = schema.entities.filter((d): d is Type => d.kind !== 'command' && d.kind !== 'event');
  let types: NamedType[];
  if (isFiltered(commands) || isFiltered(events)) {
    const seen = new Set<Type>();
    for (const c of cmds) {
      reach(c.arguments, seen);
      reach(c.returns, seen);
    }
    for (const e of evts) reach(e.arguments, seen);
    types = all.filter((t): t is NamedType => seen.has(t) && isNamedType(t));
  } else {
    // Everything but QEMU's built-in module (`QType`), unless a schema type refers to it.
    const seen = new Set<Type>();
    for (const t of all) if (t.module !== BUILTIN_MODULE) reach(t, seen);
    types = all.filter((t): t is NamedType => seen.has(t) && isNamedType(t));
  }
  return { commands: cmds, events: evts, types };
}
