/**
 * First step of reading `query-qmp-schema` output: check the shape of every SchemaInfo
 * entry (QEMU's qapi/introspect.json) and turn it into typed records carrying their JSON
 * path. Structural errors are located QapiErrors; unknown keys and unknown meta-types are
 * only reported through the warning callback (a newer QEMU may add them).
 */
import { QapiError, type SourceInfo } from '../../diagnostics.js';
import { definitionsMessage } from '../limits.js';

/** A non-fatal finding while reading (unknown key, unknown meta-type, ...). */
export interface IntrospectionWarning {
  readonly info: SourceInfo;
  readonly message: string;
}

export type WarningSink = (warning: IntrospectionWarning) => void;

export interface RawEnumValue {
  readonly name: string;
  readonly features: readonly string[];
  readonly path: string;
}

export interface RawMember {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly features: readonly string[];
  readonly path: string;
}

export interface RawVariant {
  readonly case: string;
  readonly type: string;
  readonly path: string;
}

export interface RawAlternative {
  readonly type: string;
  readonly path: string;
}

interface RawCommon {
  readonly name: string;
  readonly features: readonly string[];
  /** JSON path of the entry, e.g. `$[12]` or `$.return[12]`. */
  readonly path: string;
}

export type RawEntry =
  | (RawCommon & { readonly meta: 'builtin'; readonly jsonType: string })
  | (RawCommon & { readonly meta: 'enum'; readonly values: readonly RawEnumValue[] })
  | (RawCommon & { readonly meta: 'array'; readonly elementType: string })
  | (RawCommon & {
      readonly meta: 'object';
      readonly members: readonly RawMember[];
      readonly tag?: string;
      readonly variants?: readonly RawVariant[];
    })
  | (RawCommon & { readonly meta: 'alternate'; readonly alternatives: readonly RawAlternative[] })
  | (RawCommon & { readonly meta: 'command'; readonly argType: string; readonly retType: string; readonly allowOob: boolean })
  | (RawCommon & { readonly meta: 'event'; readonly argType: string });

export type RawMeta = RawEntry['meta'];

/** Keys each meta-type may carry besides `name`, `meta-type` and `features`. */
const KNOWN_KEYS: Readonly<Record<RawMeta, readonly string[]>> = {
  builtin: ['json-type'],
  enum: ['members', 'values'],
  array: ['element-type'],
  object: ['members', 'tag', 'variants'],
  alternate: ['members'],
  command: ['arg-type', 'ret-type', 'allow-oob'],
  event: ['arg-type'],
};

type JsonObject = { readonly [key: string]: unknown };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads one file's entries; `file` is only used in locations. */
export class EntryReader {
  constructor(
    private readonly file: string,
    private readonly warn: WarningSink,
    /** Entries one schema may have (ReadLimits.maxDefinitions). */
    private readonly maxEntries = Infinity,
  ) {}

  private info(path: string): SourceInfo {
    return { file: this.file, path };
  }

  fail(path: string, message: string): never {
    throw new QapiError(this.info(path), message);
  }

  /** Accepts a bare SchemaInfo array or a whole `{"return": [...]}` reply. */
  readTop(json: unknown): RawEntry[] {
    if (Array.isArray(json)) return this.readList(json, '$');
    if (isObject(json) && 'return' in json) {
      const ret = json['return'];
      if (!Array.isArray(ret)) this.fail('$.return', "expected an array of SchemaInfo objects");
      return this.readList(ret, '$.return');
    }
    // the `qmp-schema.json` record `qmp-ts generate` writes beside bindings (emit/record.ts)
    if (isObject(json) && 'schema' in json && 'source' in json) {
      const schema = json['schema'];
      if (!Array.isArray(schema)) this.fail('$.schema', 'expected an array of SchemaInfo objects');
      return this.readList(schema, '$.schema');
    }
    if (isObject(json) && 'error' in json) {
      this.fail('$.error', 'the reply is an error, not a schema');
    }
    return this.fail('$', "expected an array of SchemaInfo objects, a {\"return\": [...]} reply or a qmp-schema.json record");
  }

  private readList(list: readonly unknown[], base: string): RawEntry[] {
    if (list.length > this.maxEntries) this.fail(`${base}[${this.maxEntries}]`, definitionsMessage(this.maxEntries));
    const out: RawEntry[] = [];
    list.forEach((item, i) => {
      const entry = this.readEntry(item, `${base}[${i}]`);
      if (entry) out.push(entry);
    });
    return out;
  }

  private readEntry(v: unknown, path: string): RawEntry | undefined {
    if (!isObject(v)) this.fail(path, 'expected a SchemaInfo object');
    const name = this.string(v, 'name', path);
    const meta = this.string(v, 'meta-type', path);
    if (!(meta in KNOWN_KEYS)) {
      this.warn({ info: this.info(path), message: `'${name}': unknown meta-type '${meta}' ignored` });
      return undefined;
    }
    const known = KNOWN_KEYS[meta as RawMeta];
    this.warnUnknownKeys(v, path, ['name', 'meta-type', 'features', ...known]);
    const common: RawCommon = { name, features: this.features(v, path), path };
    switch (meta as RawMeta) {
      case 'builtin':
        return { ...common, meta: 'builtin', jsonType: this.string(v, 'json-type', path) };
      case 'enum':
        return { ...common, meta: 'enum', values: this.enumValues(v, path) };
      case 'array':
        return { ...common, meta: 'array', elementType: this.string(v, 'element-type', path) };
      case 'object':
        return this.object(v, common);
      case 'alternate':
        return {
          ...common,
          meta: 'alternate',
          alternatives: this.list(v, 'members', path).map(([m, p]) => {
            this.warnUnknownKeys(m, p, ['type']);
            return { type: this.string(m, 'type', p), path: p };
          }),
        };
      case 'command':
        return {
          ...common,
          meta: 'command',
          argType: this.string(v, 'arg-type', path),
          retType: this.string(v, 'ret-type', path),
          allowOob: this.optionalBool(v, 'allow-oob', path),
        };
      case 'event':
        return { ...common, meta: 'event', argType: this.string(v, 'arg-type', path) };
    }
  }

  private object(v: JsonObject, common: RawCommon): RawEntry {
    const path = common.path;
    const members = this.list(v, 'members', path).map(([m, p]): RawMember => {
      this.warnUnknownKeys(m, p, ['name', 'type', 'default', 'features']);
      return {
        name: this.string(m, 'name', p),
        type: this.string(m, 'type', p),
        // QEMU marks optional members with `default: null` (no real defaults exist yet).
        optional: 'default' in m,
        features: this.features(m, p),
        path: p,
      };
    });
    const hasTag = 'tag' in v;
    const hasVariants = 'variants' in v;
    if (hasTag !== hasVariants) {
      this.fail(path, hasTag ? "'tag' without 'variants'" : "'variants' without 'tag'");
    }
    if (!hasTag) return { ...common, meta: 'object', members };
    const variants = this.list(v, 'variants', path).map(([m, p]): RawVariant => {
      this.warnUnknownKeys(m, p, ['case', 'type']);
      return { case: this.string(m, 'case', p), type: this.string(m, 'type', p), path: p };
    });
    return { ...common, meta: 'object', members, tag: this.string(v, 'tag', path), variants };
  }

  /** Enum values from `members` (QEMU >= 6.2) or the older `values` list. */
  private enumValues(v: JsonObject, path: string): RawEnumValue[] {
    if ('members' in v) {
      return this.list(v, 'members', path).map(([m, p]) => {
        this.warnUnknownKeys(m, p, ['name', 'features']);
        return { name: this.string(m, 'name', p), features: this.features(m, p), path: p };
      });
    }
    const values = v['values'];
    if (!Array.isArray(values)) this.fail(path, "enum needs 'members' or 'values'");
    return values.map((s, i) => {
      const p = `${path}.values[${i}]`;
      if (typeof s !== 'string') this.fail(p, 'expected a string');
      return { name: s, features: [], path: p };
    });
  }

  private string(v: JsonObject, key: string, path: string): string {
    const s = v[key];
    if (s === undefined) this.fail(path, `missing '${key}'`);
    if (typeof s !== 'string') this.fail(`${path}${keyPath(key)}`, `'${key}' must be a string`);
    return s;
  }

  private optionalBool(v: JsonObject, key: string, path: string): boolean {
    const b = v[key];
    if (b === undefined) return false;
    if (typeof b !== 'boolean') this.fail(`${path}${keyPath(key)}`, `'${key}' must be a boolean`);
    return b;
  }

  /** A required array of objects, each paired with its JSON path. */
  private list(v: JsonObject, key: string, path: string): Array<[JsonObject, string]> {
    const a = v[key];
    if (a === undefined) this.fail(path, `missing '${key}'`);
    const p = `${path}${keyPath(key)}`;
    if (!Array.isArray(a)) this.fail(p, `'${key}' must be an array`);
    return a.map((item, i): [JsonObject, string] => {
      const ip = `${p}[${i}]`;
      if (!isObject(item)) this.fail(ip, 'expected an object');
      return [item, ip];
    });
  }

  private features(v: JsonObject, path: string): string[] {
    const f = v['features'];
    if (f === undefined) return [];
    const p = `${path}.features`;
    if (!Array.isArray(f)) this.fail(p, "'features' must be an array of strings");
    return f.map((s, i) => {
      if (typeof s !== 'string') this.fail(`${p}[${i}]`, 'feature names must be strings');
      return s;
    });
  }

  private warnUnknownKeys(v: JsonObject, path: string, known: readonly string[]): void {
    for (const key of Object.keys(v)) {
      if (!known.includes(key)) {
        this.warn({ info: this.info(`${path}${keyPath(key)}`), message: `unknown key '${key}' ignored` });
      }
    }
  }
}

/** `.name` for identifier-like keys, `["allow-oob"]` otherwise (JSONPath bracket notation). */
export function keyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
