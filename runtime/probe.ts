/**
 * Feature probing against the running peer's schema, like libvirt's QAPI schema queries:
 * `probe.has('blockdev-add/arg-type/+file/aio')`. Built from the `query-qmp-schema` reply
 * (parsed and checked here: the runtime has no dependencies); type names in that reply are
 * masked and never appear in queries.
 *
 * Query syntax: segments separated by `/`, starting with a command or event name.
 *
 *   arg-type, ret-type   a command's arguments / return type, an event's data (`arg-type`)
 *   name                 an object member (a union's common members included)
 *   *name                a member that must be optional
 *   +value               a union branch: its members, plus the union's common members
 *   ^value               an enum value
 *   $feature             a feature of the command, event, member, enum value or type reached
 *   !kind                the JSON kind here: string, number, int, boolean, null, value,
 *                        object, array, enum; at an alternate it selects that branch
 *
 * Arrays are looked through, and a step at an alternate is tried on each of its branches.
 * These are the paths `qmp-ts diff` reports, so a change found by `diff` can be probed at
 * run time.
 */

/** The JSON types introspection reports for built-ins. */
export type JsonTypeName = 'string' | 'number' | 'int' | 'boolean' | 'null' | 'value';

export interface SchemaInfoBase {
  readonly name: string;
  readonly features?: readonly string[];
}

export interface SchemaInfoBuiltin extends SchemaInfoBase {
  readonly 'meta-type': 'builtin';
  readonly 'json-type': JsonTypeName;
}

export interface SchemaInfoEnumMember {
  readonly name: string;
  readonly features?: readonly string[];
}

export interface SchemaInfoEnum extends SchemaInfoBase {
  readonly 'meta-type': 'enum';
  /** Since QEMU 8.0 (values with features); older QEMU only sends `values`. */
  readonly members?: readonly SchemaInfoEnumMember[];
  readonly values?: readonly string[];
}

export interface SchemaInfoArray extends SchemaInfoBase {
  readonly 'meta-type': 'array';
  readonly 'element-type': string;
}

export interface SchemaInfoObjectMember {
  readonly name: string;
  readonly type: string;
  /** Present (always `null`) exactly when the member is optional. */
  readonly default?: null;
  readonly features?: readonly string[];
}

export interface SchemaInfoObjectVariant {
  readonly case: string;
  readonly type: string;
}

export interface SchemaInfoObject extends SchemaInfoBase {
  readonly 'meta-type': 'object';
  readonly members: readonly SchemaInfoObjectMember[];
  readonly tag?: string;
  readonly variants?: readonly SchemaInfoObjectVariant[];
}

export interface SchemaInfoAlternate extends SchemaInfoBase {
  readonly 'meta-type': 'alternate';
  readonly members: readonly { readonly type: string }[];
}

export interface SchemaInfoCommand extends SchemaInfoBase {
  readonly 'meta-type': 'command';
  readonly 'arg-type': string;
  readonly 'ret-type': string;
  readonly 'allow-oob'?: boolean;
}

export interface SchemaInfoEvent extends SchemaInfoBase {
  readonly 'meta-type': 'event';
  readonly 'arg-type': string;
}

export type SchemaInfoType = SchemaInfoBuiltin | SchemaInfoEnum | SchemaInfoArray | SchemaInfoObject | SchemaInfoAlternate;
export type SchemaInfo = SchemaInfoType | SchemaInfoCommand | SchemaInfoEvent;

/** A query path, typed by the command and event names the caller knows (bindings pass theirs). */
export type ProbePath<C extends string = string, E extends string = string> =
  | C
  | E
  | `${C}/${'arg-type' | 'ret-type' | `$${string}`}`
  | `${C}/${'arg-type' | 'ret-type'}/${string}`
  | `${E}/${'arg-type' | `$${string}`}`
  | `${E}/arg-type/${string}`;

/** What a query reaches. */
export type ProbeMatch =
  | { readonly kind: 'command'; readonly info: SchemaInfoCommand }
  | { readonly kind: 'event'; readonly info: SchemaInfoEvent }
  | { readonly kind: 'type'; readonly info: SchemaInfoType }
  | { readonly kind: 'member'; readonly member: SchemaInfoObjectMember; readonly optional: boolean; readonly info: SchemaInfoType }
  | { readonly kind: 'branch'; readonly value: string; readonly info: SchemaInfoObject }
  | { readonly kind: 'enum-value'; readonly value: string; readonly features: readonly string[] }
  | { readonly kind: 'feature'; readonly name: string };

/** The reply did not have the shape `query-qmp-schema` documents. */
export class SchemaInfoError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`query-qmp-schema reply: ${path}: ${detail}`);
    this.name = 'SchemaInfoError';
  }
}

const META_TYPES = new Set(['builtin', 'enum', 'array', 'object', 'alternate', 'command', 'event']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, key: string, at: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new SchemaInfoError(`${at}.${key}`, v === undefined ? 'missing' : 'must be a string');
  return v;
}

function list(o: Record<string, unknown>, key: string, at: string, optional = false): readonly unknown[] | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (!Array.isArray(v)) throw new SchemaInfoError(`${at}.${key}`, v === undefined ? 'missing' : 'must be an array');
  return v;
}

function strings(o: Record<string, unknown>, key: string, at: string): readonly string[] | undefined {
  const v = list(o, key, at, true);
  v?.forEach((s, i) => {
    if (typeof s !== 'string') throw new SchemaInfoError(`${at}.${key}[${i}]`, 'must be a string');
  });
  return v as readonly string[] | undefined;
}

function records(o: Record<string, unknown>, key: string, at: string, optional = false): readonly Record<string, unknown>[] | undefined {
  const v = list(o, key, at, optional);
  v?.forEach((e, i) => {
    if (!isRecord(e)) throw new SchemaInfoError(`${at}.${key}[${i}]`, 'must be an object');
  });
  return v as readonly Record<string, unknown>[] | undefined;
}

/**
 * Checks a `query-qmp-schema` result (the array, or a whole `{"return": [...]}` reply).
 * Entries of a meta-type this version does not know are skipped, so a newer QEMU still
 * works; anything malformed is a {@link SchemaInfoError} naming the JSON path.
 */
export function parseSchemaInfo(value: unknown): SchemaInfo[] {
  const arr = isRecord(value) && Array.isArray(value['return']) ? value['return'] : value;
  if (!Array.isArray(arr)) throw new SchemaInfoError('$', 'expected an array of SchemaInfo objects');
  const out: SchemaInfo[] = [];
  arr.forEach((e, i) => {
    const at = `$[${i}]`;
    if (!isRecord(e)) throw new SchemaInfoError(at, 'must be an object');
    str(e, 'name', at);
    const meta = str(e, 'meta-type', at);
    if (!META_TYPES.has(meta)) return;
    strings(e, 'features', at);
    switch (meta) {
      case 'builtin':
        str(e, 'json-type', at);
        break;
      case 'enum':
        strings(e, 'values', at);
        records(e, 'members', at, true)?.forEach((m, j) => {
          str(m, 'name', `${at}.members[${j}]`);
          strings(m, 'features', `${at}.members[${j}]`);
        });
        if (e['values'] === undefined && e['members'] === undefined) throw new SchemaInfoError(at, "enum without 'members' or 'values'");
        break;
      case 'array':
        str(e, 'element-type', at);
        break;
      case 'object':
        records(e, 'members', at)!.forEach((m, j) => {
          str(m, 'name', `${at}.members[${j}]`);
          str(m, 'type', `${at}.members[${j}]`);
          strings(m, 'features', `${at}.members[${j}]`);
        });
        if (e['tag'] !== undefined) str(e, 'tag', at);
        records(e, 'variants', at, true)?.forEach((v, j) => {
          str(v, 'case', `${at}.variants[${j}]`);
          str(v, 'type', `${at}.variants[${j}]`);
        });
        break;
      case 'alternate':
        records(e, 'members', at)!.forEach((m, j) => str(m, 'type', `${at}.members[${j}]`));
        break;
      case 'command':
        str(e, 'arg-type', at);
        str(e, 'ret-type', at);
        break;
      case 'event':
        str(e, 'arg-type', at);
        break;
    }
    out.push(e as unknown as SchemaInfo);
  });
  return out;
}

/** Where a query stands after some steps. */
type Cursor =
  | { readonly kind: 'definition'; readonly info: SchemaInfoCommand | SchemaInfoEvent }
  | { readonly kind: 'type'; readonly info: SchemaInfoType; readonly features: readonly string[]; readonly member?: SchemaInfoObjectMember }
  | { readonly kind: 'branch'; readonly union: SchemaInfoObject; readonly value: string; readonly info: SchemaInfoObject }
  | { readonly kind: 'enum-value'; readonly value: string; readonly features: readonly string[] }
  | { readonly kind: 'feature'; readonly name: string };

/** Kinds a `!kind` step accepts for a type. */
function kindsOf(t: SchemaInfoType): readonly string[] {
  switch (t['meta-type']) {
    case 'builtin':
      return t['json-type'] === 'int' ? ['int', 'number'] : [t['json-type']];
    case 'enum':
      return ['enum', 'string'];
    case 'array':
      return ['array'];
    case 'object':
      return ['object'];
    case 'alternate':
      return ['alternate'];
  }
}

/** The answer to `query-qmp-schema`, queryable by path. Immutable. */
export class SchemaProbe<C extends string = string, E extends string = string> {
  readonly entries: readonly SchemaInfo[];
  readonly #byName = new Map<string, SchemaInfo>();
  readonly #commands = new Set<string>();
  readonly #events = new Set<string>();

  constructor(entries: readonly SchemaInfo[]) {
    this.entries = entries;
    for (const e of entries) {
      this.#byName.set(e.name, e);
      if (e['meta-type'] === 'command') this.#commands.add(e.name);
      else if (e['meta-type'] === 'event') this.#events.add(e.name);
    }
  }

  /** From a `query-qmp-schema` result or reply (checked, see {@link parseSchemaInfo}). */
  static fromReply<C extends string = string, E extends string = string>(reply: unknown): SchemaProbe<C, E> {
    return new SchemaProbe<C, E>(parseSchemaInfo(reply));
  }

  get commands(): ReadonlySet<string> {
    return this.#commands;
  }

  get events(): ReadonlySet<string> {
    return this.#events;
  }

  hasCommand(name: C): boolean {
    return this.#commands.has(name);
  }

  hasEvent(name: E): boolean {
    return this.#events.has(name);
  }

  /** True when the query reaches something. */
  has(path: ProbePath<C, E>): boolean {
    return this.resolve(path).length > 0;
  }

  /** Everything the query reaches (several when it runs through alternates). */
  resolve(path: ProbePath<C, E>): ProbeMatch[] {
    const [head, ...steps] = path.split('/');
    const def = this.#byName.get(head ?? '');
    if (!def || (def['meta-type'] !== 'command' && def['meta-type'] !== 'event')) return [];
    let cursors: Cursor[] = [{ kind: 'definition', info: def }];
    for (const step of steps) {
      if (step === '') return [];
      cursors = cursors.flatMap((c) => this.#step(c, step, new Set()));
      if (cursors.length === 0) return [];
    }
    return cursors.map(toMatch);
  }

  /** The enum values at the query's end (all of them across alternate branches), or undefined. */
  enumValues(path: ProbePath<C, E>): string[] | undefined {
    const values = new Set<string>();
    let found = false;
    for (const m of this.resolve(path)) {
      for (const t of this.#types(m)) {
        if (t['meta-type'] !== 'enum') continue;
        found = true;
        for (const v of enumMembers(t)) values.add(v.name);
      }
    }
    return found ? [...values] : undefined;
  }

  /** The features of what the query reaches. */
  features(path: ProbePath<C, E>): string[] {
    const out = new Set<string>();
    for (const m of this.resolve(path)) {
      const fs = m.kind === 'member' ? m.member.features : m.kind === 'enum-value' ? m.features : m.kind === 'feature' ? [] : m.info.features;
      for (const f of fs ?? []) out.add(f);
    }
    return [...out];
  }

  /** A SchemaInfo entry by its (masked) name. */
  entry(name: string): SchemaInfo | undefined {
    return this.#byName.get(name);
  }

  /** The types a match stands for, arrays and alternates looked through. */
  #types(m: ProbeMatch): SchemaInfoType[] {
    if (m.kind !== 'type' && m.kind !== 'member') return [];
    return this.#expand(m.info, new Set());
  }

  #type(name: string): SchemaInfoType | undefined {
    const t = this.#byName.get(name);
    return t && t['meta-type'] !== 'command' && t['meta-type'] !== 'event' ? t : undefined;
  }

  #typeCursor(name: string, features?: readonly string[], member?: SchemaInfoObjectMember): Cursor[] {
    const t = this.#type(name);
    if (!t) return [];
    return [{ kind: 'type', info: t, features: features ?? t.features ?? [], ...(member ? { member } : {}) }];
  }

  /** Arrays to their elements and alternates to their branches (cycle-safe). */
  #expand(t: SchemaInfoType, seen: Set<string>): SchemaInfoType[] {
    if (seen.has(t.name)) return [];
    seen.add(t.name);
    if (t['meta-type'] === 'array') {
      const el = this.#type(t['element-type']);
      return el ? this.#expand(el, seen) : [];
    }
    if (t['meta-type'] === 'alternate') {
      return t.members.flatMap((m) => {
        const b = this.#type(m.type);
        return b ? this.#expand(b, seen) : [];
      });
    }
    return [t];
  }

  #step(c: Cursor, step: string, seen: Set<string>): Cursor[] {
    const sigil = step[0];
    const name = step.slice(1);
    if (c.kind === 'feature') return [];
    if (sigil === '$') {
      // At a member: the member's features or its type's.
      const fs = c.kind === 'definition' || c.kind === 'branch' ? (c.info.features ?? []) : c.kind === 'type' && c.member ? [...c.features, ...(c.info.features ?? [])] : c.features;
      return fs.includes(name) ? [{ kind: 'feature', name }] : [];
    }
    if (c.kind === 'enum-value') return [];
    if (c.kind === 'definition') {
      if (step === 'arg-type') return this.#typeCursor(c.info['arg-type']);
      if (step === 'ret-type' && c.info['meta-type'] === 'command') return this.#typeCursor(c.info['ret-type']);
      return [];
    }
    if (c.kind === 'branch') {
      // A branch may itself be a union (QEMU 10.2's MigrationAddress 'socket').
      if (sigil === '+') return this.#step({ kind: 'type', info: c.info, features: c.info.features ?? [] }, step, seen);
      return this.#memberStep([c.info, c.union], step);
    }
    const t = c.info;
    if (sigil === '!' && t['meta-type'] === 'alternate') {
      return t.members.flatMap((m) => {
        const b = this.#type(m.type);
        return b && kindsOf(b).includes(name) ? this.#typeCursor(m.type) : [];
      });
    }
    if (sigil === '!' && (t['meta-type'] !== 'array' || name === 'array')) return kindsOf(t).includes(name) ? [c] : [];
    if (t['meta-type'] === 'array' || t['meta-type'] === 'alternate') {
      if (seen.has(t.name)) return [];
      seen.add(t.name);
      const inner = t['meta-type'] === 'array' ? [t['element-type']] : t.members.map((m) => m.type);
      return inner.flatMap((n) => this.#typeCursor(n).flatMap((ic) => this.#step(ic, step, seen)));
    }
    if (sigil === '^') {
      if (t['meta-type'] !== 'enum') return [];
      const v = enumMembers(t).find((m) => m.name === name);
      return v ? [{ kind: 'enum-value', value: v.name, features: v.features ?? [] }] : [];
    }
    if (t['meta-type'] !== 'object') return [];
    if (sigil === '+') {
      const v = t.variants?.find((x) => x.case === name);
      const bt = v && this.#type(v.type);
      return bt && bt['meta-type'] === 'object' ? [{ kind: 'branch', union: t, value: name, info: bt }] : [];
    }
    return this.#memberStep([t], step);
  }

  #memberStep(objects: readonly SchemaInfoObject[], step: string): Cursor[] {
    const mustBeOptional = step.startsWith('*');
    const name = mustBeOptional ? step.slice(1) : step;
    for (const o of objects) {
      const m = o.members.find((x) => x.name === name);
      if (!m) continue;
      if (mustBeOptional && !('default' in m)) return [];
      return this.#typeCursor(m.type, m.features ?? [], m);
    }
    return [];
  }
}

function enumMembers(t: SchemaInfoEnum): readonly SchemaInfoEnumMember[] {
  return t.members ?? (t.values ?? []).map((name) => ({ name }));
}

function toMatch(c: Cursor): ProbeMatch {
  switch (c.kind) {
    case 'definition':
      return c.info['meta-type'] === 'command' ? { kind: 'command', info: c.info } : { kind: 'event', info: c.info as SchemaInfoEvent };
    case 'type':
      return c.member ? { kind: 'member', member: c.member, optional: 'default' in c.member, info: c.info } : { kind: 'type', info: c.info };
    case 'branch':
      return { kind: 'branch', value: c.value, info: c.info };
    case 'enum-value':
      return { kind: 'enum-value', value: c.value, features: c.features };
    case 'feature':
      return { kind: 'feature', name: c.name };
  }
}

/** What {@link fetchSchemaProbe} needs of a client. */
export interface SchemaSource {
  execute(command: string, args?: Record<string, unknown>): Promise<unknown>;
}

/** Runs `query-qmp-schema` and wraps the result. */
export async function fetchSchemaProbe<C extends string = string, E extends string = string>(
  client: SchemaSource,
): Promise<SchemaProbe<C, E>> {
  return SchemaProbe.fromReply<C, E>(await client.execute('query-qmp-schema'));
}
