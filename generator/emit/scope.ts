/**
 * One generated file while it is being built: turns model types into type expressions and
 * collects the imports they need (other generated files, runtime symbols).
 */
import { posix } from 'node:path';
import type { ImportDeclarationStructure } from './structures.js';
import type { Type } from '../model/types.js';
import type { Names, NamedType } from '../names/index.js';
import { runtimeSymbols, type RuntimeSymbolName } from '@qmp-ts/runtime/internal';

export interface Layout {
  /** The file (relative to the output directory, posix) that declares `t`. */
  fileOf(t: NamedType): string;
  /** The runtime import specifier as seen from `file`. */
  runtimeFrom(file: string): string;
  /** The extension of imports between generated files: `.js` (NodeNext, tsc) or `.ts` (Deno). */
  readonly importExtension?: ImportExtension;
  /** `--bigint`: the 64-bit integer types (int, int64, uint64, size) are `bigint`. */
  readonly bigint?: boolean;
}

/** `.js`: what tsc's NodeNext resolution wants (the default); `.ts`: what Deno runs without sloppy imports. */
export type ImportExtension = '.js' | '.ts';

/**
 * A relative import specifier from one generated file to another: its `.ts` becomes `ext`
 * (`.js` suffix, NodeNext style, by default; undefined keeps the name's own extension).
 */
export function relativeSpecifier(fromFile: string, toFile: string, ext: ImportExtension | undefined = '.js'): string {
  // Both are relative to the output directory and `toFile` may climb above it: resolve them
  // under a deep virtual root so that posix.relative never clamps at the real '/'.
  const root = '/' + Array.from({ length: 64 }, () => 'd').join('/');
  let rel = posix
    .relative(posix.join(root, posix.dirname(fromFile)), posix.join(root, toFile))
    .replace(/\.ts$/, ext ?? '.ts');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

export class FileScope {
  private readonly typeImports = new Map<string, Set<string>>();
  private readonly runtimeImports = new Set<RuntimeSymbolName>();

  constructor(
    readonly file: string,
    readonly names: Names,
    private readonly layout: Layout,
  ) {}

  /** The identifier of a named type, imported when it lives in another file. */
  ref(t: NamedType): string {
    const id = this.names.typeName(t);
    const file = this.layout.fileOf(t);
    if (file !== this.file) {
      let set = this.typeImports.get(file);
      if (!set) this.typeImports.set(file, (set = new Set()));
      set.add(id);
    }
    return id;
  }

  /** The private alias of a runtime symbol, imported. */
  rt(symbol: RuntimeSymbolName): string {
    this.runtimeImports.add(symbol);
    return this.names.runtime(symbol);
  }

  /** The TypeScript type expression for a model type. */
  typeExpr(t: Type): string {
    switch (t.kind) {
      case 'builtin':
        switch (t.name) {
          case 'str':
            return 'string';
          case 'bool':
            return 'boolean';
          case 'null':
            return 'null';
          case 'any':
            return this.rt('JsonValue');
          case 'int':
          case 'int64':
          case 'uint64':
          case 'size':
            return this.layout.bigint ? 'bigint' : 'number';
          case 'number':
          case 'int8':
          case 'int16':
          case 'int32':
          case 'uint8':
          case 'uint16':
          case 'uint32':
            return 'number';
        }
        // A built-in this generator does not know: say so in the output's type.
        return 'unknown';
      case 'array': {
        const el = this.typeExpr(t.element);
        return /^[\w$.]+$/.test(el) ? `${el}[]` : `(${el})[]`;
      }
      case 'struct':
        if (t.name === 'q_empty') return `{ [key: string]: never }`;
        return this.ref(t);
      case 'enum':
      case 'union':
      case 'alternate':
        return this.ref(t);
    }
  }

  /** Import declarations for everything referenced, in a stable order. */
  imports(): ImportDeclarationStructure[] {
    const out: ImportDeclarationStructure[] = [];
    const rtNames = [...this.runtimeImports].sort();
    const typeOnly = rtNames.filter((n) => runtimeSymbols[n].typeOnly);
    const values = rtNames.filter((n) => !runtimeSymbols[n].typeOnly);
    const spec = this.layout.runtimeFrom(this.file);
    const named = (ns: RuntimeSymbolName[]) =>
      ns.map((n) => ({ name: runtimeSymbols[n].name, alias: this.names.runtime(n) }));
    if (values.length > 0) {
      out.push({
        kind: 'import',
        moduleSpecifier: spec,
        namedImports: [
          ...named(values),
          ...named(typeOnly).map((i) => ({ ...i, isTypeOnly: true })),
        ],
      });
    } else if (typeOnly.length > 0) {
      out.push({ kind: 'import', moduleSpecifier: spec, isTypeOnly: true, namedImports: named(typeOnly) });
    }
    for (const file of [...this.typeImports.keys()].sort()) {
      out.push({
        kind: 'import',
        moduleSpecifier: relativeSpecifier(this.file, file, this.layout.importExtension),
        isTypeOnly: true,
        namedImports: [...this.typeImports.get(file)!].sort(),
      });
    }
    return out;
  }
}
