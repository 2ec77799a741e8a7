/**
 * One namespace of generated identifiers. Claiming a name twice for two different owners is
 * a located error naming both; there is never a silent suffix, because these identifiers are
 * the public API of the bindings.
 */
import { QapiError, type SourceInfo } from '../diagnostics.js';
import type { Location } from '../model/types.js';

/** Who wants an identifier: a schema definition, or the generator itself. */
export interface NameOwner {
  /** What it is, as QEMU says it: `struct`, `command`, `enum`, ... or `generated`. */
  readonly meta: string;
  /** The wire/schema name, or a description for generated names. */
  readonly name: string;
  readonly location?: Location;
  /** How messages call it, when not `meta 'name'` (e.g. "the arguments of command 'x'"). */
  readonly label?: string;
}

export function sourceInfo(loc: Location | undefined, owner?: NameOwner): SourceInfo | undefined {
  if (!loc) return undefined;
  return {
    file: loc.file,
    ...(loc.line !== undefined ? { line: loc.line } : {}),
    ...(loc.col !== undefined ? { col: loc.col } : {}),
    ...(loc.path !== undefined ? { path: loc.path } : {}),
    ...(owner ? { defnMeta: owner.meta, defnName: owner.name } : {}),
  };
}

function label(owner: NameOwner): string {
  return owner.label ?? `${owner.meta} '${owner.name}'`;
}

function describe(owner: NameOwner): string {
  const where = owner.location
    ? ` at ${owner.location.file}${owner.location.path !== undefined ? `: ${owner.location.path}` : owner.location.line !== undefined ? `:${owner.location.line}` : ''}`
    : '';
  return `${label(owner)}${where}`;
}

export class NameRegistry {
  private readonly owners = new Map<string, NameOwner>();

  /** @param space what kind of identifiers these are, for messages ("type name", "method name"). */
  constructor(private readonly space: string) {}

  claim(identifier: string, owner: NameOwner): string {
    const prev = this.owners.get(identifier);
    if (prev && prev !== owner) {
      throw new QapiError(
        sourceInfo(owner.location, owner) ?? sourceInfo(prev.location, prev),
        `${label(owner)} and ${describe(prev)} both map to the TypeScript ${this.space} '${identifier}'`,
      );
    }
    this.owners.set(identifier, owner);
    return identifier;
  }

  has(identifier: string): boolean {
    return this.owners.has(identifier);
  }
}
