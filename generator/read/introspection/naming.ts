/**
 * Readable names for the types `query-qmp-schema` masks as numbers ("123").
 *
 * QEMU hides type names on the wire, so a masked type is named after the place it is first
 * used, following QEMU's own implicit-type names where QEMU has one:
 *
 * | use                                  | name                                  |
 * | ------------------------------------ | ------------------------------------- |
 * | a command's arguments                | `q_obj_blockdev-add-arg` (QEMU's)     |
 * | an event's data                      | `q_obj_BLOCK_JOB_COMPLETED-arg` (QEMU's) |
 * | a command's return value             | `query-status-result`                 |
 * | member `m` of a type named `P`       | `P-m` (`query-status-result-status`)  |
 * | branch `v` of a union named `P`      | `P-v` (`q_obj_blockdev-add-arg` -> `blockdev-add-arg-qcow2`) |
 * | alternative of an alternate `P`      | `P-<json type>` (`...-object`, `...-string`) |
 * | the empty object of commands without arguments | `q_empty` (QEMU's)          |
 * | an array of `E`                      | `EList` (QEMU's), after `E` is named  |
 *
 * `P` drops a leading `q_obj_`, so children of `q_obj_x-arg` are `x-arg-...`. The element of
 * an array takes the name the array's position proposes. Uses are visited breadth-first,
 * seeded with every command (arguments, then return) and then every event, in file order, so
 * a type shared by several uses is named by its shallowest, earliest use. A proposal already
 * taken (by a real name or another derived one) gets `-2`, `-3`, ... appended.
 *
 * Only masked names (all digits) and array names (`[E]`) are replaced; real names such as
 * the built-ins, command and event names, or the names of an unmasked schema are kept and
 * reserved.
 *
 * Cost stays linear in the input: a parent name longer than {@link MAX_STEM} characters
 * does not grow further in its children (a masked parent `123` passes on `type-123`, any
 * other the first MAX_STEM characters), so a chain of N masked types has names of bounded
 * length instead of ones N parts long; a taken proposal resumes counting where it stopped
 * (see {@link NameRegistry}); and chains of arrays are followed in loops, not by recursion.
 */
import type { RawEntry } from './entries.js';

export const EMPTY_OBJECT_NAME = 'q_empty';

export function isMaskedName(name: string): boolean {
  return /^\d+$/.test(name);
}

export function isArrayName(name: string): boolean {
  return name.startsWith('[') && name.endsWith(']');
}

/** The JSON-type word an alternative of this entry is called by. */
export function alternativeWord(entry: RawEntry | undefined): string {
  switch (entry?.meta) {
    case 'builtin':
      return entry.jsonType;
    case 'enum':
      return 'string';
    case 'array':
      return 'array';
    case 'object':
      return 'object';
    case 'alternate':
      return 'value';
    default:
      return 'unknown';
  }
}

export interface NamingResult {
  /** Raw (masked or array) name -> readable name. Real names are absent (they are kept). */
  readonly names: ReadonlyMap<string, string>;
  /** The raw name of QEMU's empty object type (`q_empty`), when the schema has one. */
  readonly emptyObject?: string | undefined;
}

function isEmptyObject(e: RawEntry | undefined): boolean {
  return e?.meta === 'object' && e.members.length === 0 && !e.variants && e.features.length === 0;
}

/**
 * QEMU uses one empty object type for every command and event without arguments and for
 * every union branch the schema does not list. Prefer an entry really named `q_empty`
 * (unmasked input), else the first empty object used as such.
 */
function findEmptyObject(entries: readonly RawEntry[], byName: ReadonlyMap<string, RawEntry>): string | undefined {
  if (isEmptyObject(byName.get(EMPTY_OBJECT_NAME))) return EMPTY_OBJECT_NAME;
  const candidates: string[] = [];
  for (const e of entries) if (e.meta === 'command') candidates.push(e.argType, e.retType);
  for (const e of entries) if (e.meta === 'event') candidates.push(e.argType);
  for (const e of entries) if (e.meta === 'object') for (const v of e.variants ?? []) candidates.push(v.type);
  return candidates.find((n) => isMaskedName(n) && isEmptyObject(byName.get(n)));
}

/** A derived name longer than this is not extended further (see the module comment). */
export const MAX_STEM = 200;

/** `name`, or a short stand-in when it is longer than MAX_STEM (see the module comment). */
function bounded(raw: string, name: string): string {
  if (name.length <= MAX_STEM) return name;
  if (isMaskedName(raw)) return `type-${raw}`;
  // cut between code points, never inside a surrogate pair
  const cut = name.slice(0, MAX_STEM);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** The stem a type's children are named after: its name without `q_obj_`, bounded in length. */
function stemOf(raw: string, name: string): string {
  return bounded(raw, name.replace(/^q_obj_/, ''));
}

/**
 * Names handed out once each: `take(proposal)` returns the proposal, or the proposal with
 * the first free `-2`, `-3`, ... appended. The next suffix to try is remembered per
 * proposal, so N equal proposals cost N steps, not N^2 (the names only ever become taken,
 * so the result is the same as counting from 2 each time).
 */
export class NameRegistry {
  private readonly taken = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();

  has(name: string): boolean {
    return this.taken.has(name);
  }

  reserve(name: string): void {
    this.taken.add(name);
  }

  take(proposal: string, isFree: (name: string) => boolean = () => true): string {
    let name = proposal;
    let i = this.nextSuffix.get(proposal) ?? 2;
    if (this.taken.has(name) || !isFree(name)) {
      for (name = `${proposal}-${i}`; this.taken.has(name) || !isFree(name); name = `${proposal}-${++i}`);
      this.nextSuffix.set(proposal, i + 1);
    }
    this.taken.add(name);
    return name;
  }
}

/**
 * The entry a type name stands for once arrays are looked through (the element of the
 * element ...), or undefined when dangling or a cycle of arrays. Each array is looked
 * through once, however many times it is asked for: chains of arrays may be deep.
 */
function nonArrayResolver(byName: ReadonlyMap<string, RawEntry>): (raw: string) => RawEntry | undefined {
  const memo = new Map<string, RawEntry | undefined>();
  return (raw) => {
    const path: string[] = [];
    const onPath = new Set<string>();
    let name = raw;
    let found: RawEntry | undefined;
    for (;;) {
      if (memo.has(name)) {
        found = memo.get(name);
        break;
      }
      const e = byName.get(name);
      if (e?.meta !== 'array' || onPath.has(name)) {
        found = e?.meta === 'array' ? undefined : e;
        break;
      }
      path.push(name);
      onPath.add(name);
      name = e.elementType;
    }
    for (const p of path) memo.set(p, found);
    return found;
  };
}

export function nameMaskedTypes(entries: readonly RawEntry[], byName: ReadonlyMap<string, RawEntry>): NamingResult {
  const names = new Map<string, string>();
  const registry = new NameRegistry();
  for (const e of entries) if (!isMaskedName(e.name) && !isArrayName(e.name)) registry.reserve(e.name);
  const unique = (proposal: string): string => registry.take(proposal);

  const queue: RawEntry[] = [];
  const nonArray = nonArrayResolver(byName);
  const propose = (raw: string, proposal: string): void => {
    // an array proposes its name to its (innermost) element
    const e = nonArray(raw);
    if (!e) return; // dangling or a cycle of arrays: the model builder reports it with its location
    if (!isMaskedName(e.name) || names.has(e.name)) return;
    names.set(e.name, unique(proposal));
    queue.push(e);
  };

  const emptyObject = findEmptyObject(entries, byName);
  if (emptyObject !== undefined && emptyObject !== EMPTY_OBJECT_NAME) {
    names.set(emptyObject, unique(EMPTY_OBJECT_NAME));
  }

  for (const e of entries) {
    if (e.meta !== 'command') continue;
    propose(e.argType, `q_obj_${e.name}-arg`);
    propose(e.retType, `${e.name}-result`);
  }
  for (const e of entries) if (e.meta === 'event') propose(e.argType, `q_obj_${e.name}-arg`);

  const drain = (): void => {
    // for-of also visits the entries propose() appends while it runs.
    for (const e of queue) {
      const stem = stemOf(e.name, names.get(e.name) ?? e.name);
      if (e.meta === 'object') {
        for (const m of e.members) propose(m.type, `${stem}-${m.name}`);
        for (const v of e.variants ?? []) propose(v.type, `${stem}-${v.case}`);
      } else if (e.meta === 'alternate') {
        for (const a of e.alternatives) propose(a.type, `${stem}-${alternativeWord(byName.get(a.type))}`);
      }
    }
    queue.length = 0;
  };
  drain();

  // Types no command or event reaches (not produced by QEMU, but possible in edited files).
  for (const e of entries) {
    if (isMaskedName(e.name) && !names.has(e.name) && e.meta !== 'command' && e.meta !== 'event') {
      propose(e.name, `unused-type-${e.name}`);
      drain();
    }
  }

  // Arrays last: their name is their element's final name plus `List` (named innermost
  // first, in a loop: arrays of arrays may chain deep).
  const renamable = (e: RawEntry | undefined): e is RawEntry & { meta: 'array' } =>
    e?.meta === 'array' && (isArrayName(e.name) || isMaskedName(e.name));
  for (const first of entries) {
    if (!renamable(first) || names.has(first.name)) continue;
    const chain: (RawEntry & { meta: 'array' })[] = [];
    const inChain = new Set<string>();
    let element = first.elementType;
    for (let e: RawEntry | undefined = first; renamable(e) && !names.has(e.name) && !inChain.has(e.name); e = byName.get(element)) {
      chain.push(e);
      inChain.add(e.name);
      element = e.elementType;
    }
    // `element` is now named, real, dangling, or an array of this chain (a cycle keeps its raw name)
    let inner = inChain.has(element) ? element : (names.get(element) ?? element);
    for (let i = chain.length - 1; i >= 0; i--) {
      const e = chain[i]!;
      inner = unique(`${bounded(e.name, inner)}List`);
      names.set(e.name, inner);
    }
  }
  // (An array with a real name, in hand-written input, keeps it.)

  return { names, emptyObject };
}
