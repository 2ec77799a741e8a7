/**
 * The model as JSON: every definition in visit order with type references written as type
 * names, so the cyclic graph becomes a plain tree. Deterministic: same input, same text
 * (keys in the model's own order, file names relative to `baseDir`).
 */
import path from 'node:path';
import type { Definition, Member, Schema, Type } from '../../generator/model/types.js';
import { displayPath } from '../../generator/display-path.js';

export interface JsonDumpOptions {
  /** Directory the source file names are made relative to (default: the current one). */
  readonly baseDir?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function ref(t: Type): string {
  return t.name;
}

function plain(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') return value as Json;
  if (Array.isArray(value)) return value.map(plain);
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
  return out;
}

function member(m: Member): Json {
  const { type, ...rest } = m;
  return { ...(plain(rest) as object), type: ref(type) } as Json;
}

/** One definition with references replaced by names. */
export function definitionToJson(d: Definition): Json {
  const base = plain({
    kind: d.kind,
    name: d.name,
    module: d.module,
    implicit: d.implicit,
    location: d.location,
    condition: d.condition,
    features: d.features,
    doc: d.doc,
  }) as { [key: string]: Json };
  switch (d.kind) {
    case 'builtin':
      return { ...base, jsonType: d.jsonType };
    case 'enum':
      return { ...base, values: plain(d.values), ...(d.prefix !== undefined && { prefix: d.prefix }) };
    case 'array':
      return { ...base, element: ref(d.element) };
    case 'struct':
      return {
        ...base,
        ...(d.base && { base: ref(d.base) }),
        ownMembers: d.ownMembers.map(member),
        members: d.members.map((m) => m.name),
      };
    case 'union':
      return {
        ...base,
        base: ref(d.base),
        members: d.members.map((m) => m.name),
        discriminator: d.discriminator,
        discriminatorType: ref(d.discriminatorType),
        branches: d.branches.map((b) => ({ ...(plain({ ...b, type: undefined }) as object), type: ref(b.type) })),
      };
    case 'alternate':
      return {
        ...base,
        alternatives: d.alternatives.map((a) => ({ ...(plain({ ...a, type: undefined }) as object), type: ref(a.type) })),
      };
    case 'command':
      return {
        ...base,
        ...(d.arguments && { arguments: ref(d.arguments) }),
        implicitArguments: d.implicitArguments,
        boxed: d.boxed,
        ...(d.returns && { returns: ref(d.returns) }),
        successResponse: d.successResponse,
        allowOob: d.allowOob,
        allowPreconfig: d.allowPreconfig,
        coroutine: d.coroutine,
        gen: d.gen,
      };
    case 'event':
      return {
        ...base,
        ...(d.arguments && { arguments: ref(d.arguments) }),
        implicitArguments: d.implicitArguments,
        boxed: d.boxed,
      };
  }
}

/** The whole model as a JSON value. */
export function schemaToJson(schema: Schema, options: JsonDumpOptions = {}): Json {
  const baseDir = options.baseDir ?? process.cwd();
  return {
    source: {
      format: schema.source.format,
      files: schema.source.files.map((f) => displayPath(f, baseDir)),
      hash: schema.source.hash,
    },
    pragmas: plain(schema.pragmas),
    modules: (schema.modules ?? []).map((m) => ({
      name: m.name,
      entries: m.entries.map((e) => (e.kind === 'include' ? { include: e.module } : e.name)),
    })),
    entities: schema.entities.map(definitionToJson),
    docs: plain(schema.docs ?? []),
  };
}

/** `schemaToJson` as indented text with a final newline. */
export function dumpJson(schema: Schema, options: JsonDumpOptions = {}): string {
  return JSON.stringify(schemaToJson(schema, options), null, 2) + '\n';
}
