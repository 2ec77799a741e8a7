/**
 * The machine-readable record of what a set of bindings was generated from: the schema, in
 * `query-qmp-schema` form (type names left readable), restricted to the commands and events
 * the bindings cover, with the source's format, files and hash.
 *
 * `qmp-ts generate` writes it as `qmp-schema.json` next to the bindings; `qmp-ts verify`
 * compares it with a target QEMU, and a program can load it into a `SchemaProbe`. The
 * `query-qmp-schema` form keeps it readable by the same code as a live reply, and it is
 * deterministic (no absolute paths, no timestamps) so committed bindings stay reproducible.
 */
import { compileFilter, type NameFilter } from './select.js';
import type { Command, Event, Feature, Member, Schema, StructType, Type, UnionType } from '../model/types.js';
import { displayPath } from '../display-path.js';

export const RECORD_FILE = 'qmp-schema.json';

/** One `SchemaInfo` entry as written (the runtime's `runtime/probe.ts` reads the same shape). */
export type SchemaInfoJson = Readonly<Record<string, unknown>> & { readonly name: string; readonly 'meta-type': string };

export interface BindingsRecord {
  readonly $comment: string;
  readonly generator: string;
  readonly source: {
    readonly format: Schema['source']['format'];
    /** Relative to the directory the record is in (posix separators). */
    readonly files: readonly string[];
    readonly hash: string;
  };
  readonly schema: readonly SchemaInfoJson[];
}

const EMPTY = 'q_empty';

/** QEMU's introspection names every integer type `int` (introspect.py `_use_type`). */
function builtinName(t: Type & { kind: 'builtin' }): string {
  switch (t.jsonType) {
    case 'int':
      return 'int';
    case 'string':
      return 'str';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    case 'null':
      return 'null';
    default:
      return 'any';
  }
}

function features(fs: readonly Feature[]): { features?: string[] } {
  return fs.length ? { features: fs.map((f) => f.name) } : {};
}

/**
 * The model as `query-qmp-schema` would present it: commands and events (only those kept
 * by the filters, when given), then every type they reach, each once.
 */
export function schemaToIntrospection(
  schema: Schema,
  keep: { readonly commands?: (name: string) => boolean; readonly events?: (name: string) => boolean } = {},
): SchemaInfoJson[] {
  const out: SchemaInfoJson[] = [];
  const named = new Map<Type, string>();
  const pending: Type[] = [];
  let needEmpty = false;

  const ref = (t: Type | undefined): string => {
    if (t === undefined) {
      needEmpty = true;
      return EMPTY;
    }
    let n = named.get(t);
    if (n !== undefined) return n;
    n = t.kind === 'builtin' ? builtinName(t) : t.kind === 'array' ? `[${ref(t.element)}]` : t.name;
    named.set(t, n);
    pending.push(t);
    return n;
  };
  const member = (m: Member): SchemaInfoJson =>
    ({ name: m.name, type: ref(m.type), ...(m.optional ? { default: null } : {}), ...features(m.features) }) as unknown as SchemaInfoJson;

  const defs: (Command | Event)[] = [
    ...[...schema.commands.values()].filter((c) => keep.commands?.(c.name) ?? true),
    ...[...schema.events.values()].filter((e) => keep.events?.(e.name) ?? true),
  ];
  for (const d of defs) {
    if (d.kind === 'command') {
      out.push({
        name: d.name,
        'meta-type': 'command',
        'arg-type': ref(d.arguments),
        'ret-type': ref(d.returns),
        ...(d.allowOob ? { 'allow-oob': true } : {}),
        ...features(d.features),
      });
    } else {
      out.push({ name: d.name, 'meta-type': 'event', 'arg-type': ref(d.arguments), ...features(d.features) });
    }
  }

  const emitted = new Set<string>();
  // for-of also visits the types typeInfo() appends while it runs.
  for (const t of pending) {
    const name = named.get(t)!;
    if (emitted.has(name)) continue; // several integer built-ins share `int`
    emitted.add(name);
    out.push(typeInfo(t, name, ref, member));
  }
  if (needEmpty && !emitted.has(EMPTY)) out.push({ name: EMPTY, 'meta-type': 'object', members: [] });
  return out;
}

function typeInfo(t: Type, name: string, ref: (t: Type | undefined) => string, member: (m: Member) => SchemaInfoJson): SchemaInfoJson {
  const common = { name, ...features(t.features) };
  switch (t.kind) {
    case 'builtin':
      return { name, 'meta-type': 'builtin', 'json-type': t.jsonType };
    case 'enum':
      return {
        ...common,
        'meta-type': 'enum',
        members: t.values.map((v) => ({ name: v.name, ...features(v.features) })),
        values: t.values.map((v) => v.name),
      };
    case 'array':
      return { ...common, 'meta-type': 'array', 'element-type': ref(t.element) };
    case 'struct':
      return { ...common, 'meta-type': 'object', members: t.members.map(member) };
    case 'union':
      return unionInfo(t, common, ref, member);
    case 'alternate':
      return { ...common, 'meta-type': 'alternate', members: t.alternatives.map((a) => ({ type: ref(a.type) })) };
  }
}

function unionInfo(
  t: UnionType,
  common: { name: string },
  ref: (t: Type | undefined) => string,
  member: (m: Member) => SchemaInfoJson,
): SchemaInfoJson {
  const branchRef = (b: StructType | UnionType): string => (b.members.length === 0 ? ref(undefined) : ref(b));
  return {
    ...common,
    'meta-type': 'object',
    members: t.members.map(member),
    tag: t.discriminator,
    variants: t.branches.map((b) => ({ case: b.value, type: branchRef(b.type) })),
  };
}

/** The record for bindings written to `outputDir`. */
export function bindingsRecord(
  schema: Schema,
  outputDir: string,
  generator: string,
  keep?: { readonly commands?: (name: string) => boolean; readonly events?: (name: string) => boolean },
): BindingsRecord {
  return {
    $comment: 'Written by qmp-ts generate: the schema these bindings cover, in query-qmp-schema form. Read by qmp-ts verify.',
    generator,
    source: { format: schema.source.format, files: schema.source.files.map((f) => displayPath(f, outputDir)), hash: schema.source.hash },
    schema: schemaToIntrospection(schema, keep),
  };
}

export function formatRecord(record: BindingsRecord): string {
  return JSON.stringify(record, null, 1) + '\n';
}

/** The record as an output file of bindings written to `target.output`, for the commands and events its filters keep. */
export function recordFile(
  target: { readonly output: string; readonly commands?: NameFilter; readonly events?: NameFilter },
  schema: Schema,
  version: string,
): { readonly path: string; readonly content: string } {
  const keep = { commands: compileFilter(target.commands), events: compileFilter(target.events) };
  return { path: RECORD_FILE, content: formatRecord(bindingsRecord(schema, target.output, `qmp-ts ${version}`, keep)) };
}
