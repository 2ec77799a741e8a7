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

export function nameMaskedTypes(entries: readonly RawEntry[], byName: ReadonlyMap<string, RawEntry>): NamingResult {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const e of entries) if (!isMaskedName(e.name) && !isArrayName(e.name)) taken.add(e.name);

  const unique = (proposal: string): string => {
    let name = proposal;
    for (let i = 2; taken.has(name); i++) name = `${proposal}-${i}`;
    taken.add(name);
    return name;
  };

  const queue: RawEntry[] = [];
  const propose = (raw: string, proposal: string): void => {
    const e = byName.get(raw);
    if (!e) return; // dangling: the model builder reports it with its location
    if (e.meta === 'array') {
      propose(e.elementType, proposal);
      return;
    }
    if (!isMaskedName(raw) || names.has(raw)) return;
    names.set(raw, unique(proposal));
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
      const stem = (names.get(e.name) ?? e.name).replace(/^q_obj_/, '');
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

  // Arrays last: their name is their element's final name plus `List`.
  const arrayName = (raw: string, seen: Set<string>): string => {
    const known = names.get(raw);
    if (known !== undefined) return known;
    const e = byName.get(raw);
    if (e?.meta !== 'array' || seen.has(raw) || !(isArrayName(raw) || isMaskedName(raw))) return raw;
    seen.add(raw);
    const name = unique(`${arrayName(e.elementType, seen)}List`);
    names.set(raw, name);
    return name;
  };
  for (const e of entries) if (e.meta === 'array') arrayName(e.name, new Set());
  // (An array with a real name, in hand-written input, keeps it.)

  return { names, emptyObject };
}
