/**
 * Declarations of the types that differ between the releases of a set (model/releases.ts
 * `varying`): each takes the release set `$R` and the direction `$D` ('in': what the client
 * sends, 'out': what the peer sends), and conditions what only some releases have with the
 * helpers of the generated `releases.ts`:
 *
 * - a member only some releases have: in arguments only when every release of `$R` has it
 *   (else `?: never`); in results present when any has it, optional unless all require it;
 * - enum values, union branches, alternatives: accepted in arguments when every release of
 *   `$R` has them, possible in results when any has them;
 * - a part whose type differs by release: in arguments what every release of `$R` accepts
 *   (an intersection), in results what any may send (a union).
 *
 * Everything the releases share is written once, without a condition.
 */
import type { Type } from '../../model/types.js';
import type { Merged, ReleaseSet } from '../../model/releases.js';
import { typeKey } from '../../model/releases.js';
import { propertyKey, stringLiteral, type NamedType } from '../../names/index.js';
import { docs } from '../docs.js';
import { printDoc } from '../print.js';
import type { FileScope } from '../scope.js';
import { availabilityNote, conditionSet, releaseUnion, withNote } from './availability.js';

/** The helper names types.ts imports from releases.ts (private aliases). */
export const HELPERS = {
  release: '$Release',
  direction: '$Direction',
  when: '$ReleaseIf',
  members: '$ReleaseMembers',
  meet: '$ReleaseMeet',
  commandsNotIn: '$CommandsNotIn',
  eventsNotIn: '$EventsNotIn',
} as const;

/** The import of the helpers (from `releases.ts`) that a file's text uses. */
export function helperImport(text: string): string {
  const used = Object.values(HELPERS).filter((alias) => new RegExp(`\\${alias}\\b`).test(text));
  if (used.length === 0) return '';
  const specs = used.map((alias) => `${alias.slice(1)} as ${alias}`);
  return `import type { ${specs.join(', ')} } from './releases.js';\n`;
}

export const TYPE_PARAMS = `<$R extends ${HELPERS.release} = ${HELPERS.release}, $D extends ${HELPERS.direction} = 'out'>`;

const INDENT = '  ';

export class ReleaseTypes {
  constructor(
    readonly set: ReleaseSet,
    readonly scope: FileScope,
  ) {}

  /** The newest node of a named type: the one the naming pass named. */
  rep(name: string): NamedType {
    const m = this.set.types.get(name);
    if (!m) throw new Error(`internal: type '${name}' is in no release`);
    return [...m.byRelease.values()].at(-1)!;
  }

  /** A type expression with release set `r` and direction `d` passed to varying types. */
  ref(t: Type, r: string, d: string): string {
    if (t.kind === 'array') {
      const el = this.ref(t.element, r, d);
      return topLevelOperator(el) ? `(${el})[]` : `${el}[]`;
    }
    if (t.kind === 'builtin' || (t.kind === 'struct' && t.name === 'q_empty')) return this.scope.typeExpr(t);
    const id = this.scope.ref(this.rep(t.name));
    return this.set.varying.has(t.name) ? `${id}<${r}, ${d}>` : id;
  }

  /**
   * The type of a part that may differ by release (`byRelease`: only releases that have the
   * part). One type: that type. Several: per direction, what all (in) or any (out) of `$R` take.
   */
  slot(byRelease: ReadonlyMap<string, Type>, d: string): string {
    const groups = new Map<string, { type: Type; labels: string[] }>();
    for (const [label, t] of byRelease) {
      const key = typeKey(t);
      const g = groups.get(key);
      if (g) g.labels.push(label);
      else groups.set(key, { type: t, labels: [label] });
    }
    const list = [...groups.values()];
    if (list.length === 1) return this.ref(list[0]!.type, '$R', d);
    const part = (g: { type: Type; labels: string[] }, dir: string): string => {
      const s = releaseUnion(g.labels);
      return dir === "'in'"
        ? `${HELPERS.meet}<$R, ${s}, ${this.ref(g.type, `Extract<$R, ${s}>`, dir)}>`
        : `${HELPERS.when}<$R, 'out', ${s}, ${this.ref(g.type, `Extract<$R, ${s}>`, dir)}>`;
    };
    const inward = list.map((g) => part(g, "'in'")).join(' & ');
    const outward = list.map((g) => part(g, "'out'")).join(' | ');
    if (d === "'in'") return inward;
    if (d === "'out'") return outward;
    return `(${d} extends 'in' ? ${inward} : ${outward})`;
  }

  /** The declaration of a varying type, as text. */
  declaration(m: Merged<NamedType>): string {
    const t = this.rep(m.name);
    const name = `${this.scope.names.typeName(t)}${TYPE_PARAMS}`;
    const exists = new Set(m.byRelease.keys());
    const kinds = new Map<string, string[]>();
    for (const [label, node] of m.byRelease) kinds.set(node.kind, [...(kinds.get(node.kind) ?? []), label]);
    if (kinds.size === 1 && t.kind === 'enum') return this.enumDecl(m, name, exists);
    // A type that changed kind (a struct that became a union): one body per kind, per direction.
    const bodies = [...kinds.values()].map((labels) => {
      const part: Merged<NamedType> = { name: m.name, byRelease: new Map(labels.map((l) => [l, m.byRelease.get(l)!])) };
      return { labels, text: this.body(part, kinds.size === 1 ? exists : new Set(labels)) };
    });
    const text =
      bodies.length === 1
        ? bodies[0]!.text
        : `$D extends 'in'\n  ? ${bodies.map((b) => `${HELPERS.meet}<$R, ${releaseUnion(b.labels)}, ${b.text}>`).join(' & ')}\n  : ${bodies.map((b) => `${HELPERS.when}<$R, 'out', ${releaseUnion(b.labels)}, ${b.text}>`).join(' | ')}`;
    return this.head(t, exists, `export type ${name}${assigned(text)};\n`);
  }

  /** The type of a varying type whose releases all have one kind. */
  private body(m: Merged<NamedType>, exists: ReadonlySet<string>): string {
    const t = [...m.byRelease.values()].at(-1)!;
    switch (t.kind) {
      case 'enum':
        return this.enumUnion(m, exists).union;
      case 'struct':
        return this.objectType(m as Merged<typeof t>, exists);
      case 'union':
        return this.unionType(m as Merged<typeof t>, exists);
      case 'alternate':
        return this.alternateType(m as Merged<typeof t>, exists);
    }
  }

  private head(t: NamedType, exists: ReadonlySet<string>, text: string, extra?: string): string {
    const doc = withNote(docs({ ...(t.doc ? { doc: t.doc } : {}), features: t.features, ...(extra ? { notes: [extra] } : {}) })[0], availabilityNote(this.set.labels, exists));
    return (doc !== undefined ? printDoc(doc, '') : '') + text;
  }

  /** Parts of `m` keyed by `key` across releases: each with the releases that have it. */
  private parts<T, P>(m: Merged<T>, items: (node: T) => readonly P[], key: (p: P) => string): Map<string, Map<string, P>> {
    const out = new Map<string, Map<string, P>>();
    // newest release first: its order leads
    for (const [label, node] of [...m.byRelease].reverse()) {
      for (const p of items(node)) {
        const k = key(p);
        let byRelease = out.get(k);
        if (!byRelease) out.set(k, (byRelease = new Map()));
        byRelease.set(label, p);
      }
    }
    for (const [k, byRelease] of out) out.set(k, new Map(this.set.labels.filter((l) => byRelease.has(l)).map((l) => [l, byRelease.get(l)!])));
    return out;
  }

  private enumUnion(m: Merged<NamedType>, exists: ReadonlySet<string>): { union: string; values: string[]; notes: string[] } {
    const values = this.parts(m as Merged<Extract<NamedType, { kind: 'enum' }>>, (e) => e.values, (v) => v.name);
    const plain: string[] = [];
    const groups = new Map<string, string[]>();
    const notes: string[] = [];
    for (const [value, byRelease] of values) {
      const has = new Set(byRelease.keys());
      const cond = conditionSet(this.set.labels, has, exists);
      if (cond === undefined) plain.push(stringLiteral(value));
      else {
        const key = releaseUnion(cond);
        groups.set(key, [...(groups.get(key) ?? []), stringLiteral(value)]);
        notes.push(`- ${stringLiteral(value)}: ${availabilityNote(this.set.labels.filter((l) => exists.has(l)), has)}`);
      }
    }
    const union = [...plain, ...[...groups].map(([s, vs]) => `${HELPERS.when}<$R, $D, ${s}, ${vs.join(' | ')}>`)];
    return { union: union.length > 0 ? breakUnion(union) : 'never', values: [...values.keys()], notes };
  }

  private enumDecl(m: Merged<NamedType>, name: string, exists: ReadonlySet<string>): string {
    const t = this.rep(m.name);
    const id = this.scope.names.typeName(t);
    const { union, values, notes } = this.enumUnion(m, exists);
    const text =
      `export type ${name}${assigned(union)};\n` +
      printDoc(`Every value of {@link ${id}} in any release, in schema order.`, '') +
      `export const ${id} = [${values.map(stringLiteral).join(', ')}] as const;\n`;
    return this.head(t, exists, text, notes.length > 0 ? `Values not in every release:\n${notes.join('\n')}` : undefined);
  }

  private objectType(m: Merged<Extract<NamedType, { kind: 'struct' }>>, exists: ReadonlySet<string>): string {
    const members = this.parts(m, (s) => s.members, (x) => x.name);
    const plain: string[] = [];
    const groups = new Map<string, { p: string; q: string; lines: string[] }>();
    const within = this.set.labels.filter((l) => exists.has(l));
    for (const [key, byRelease] of members) {
      const has = new Set(byRelease.keys());
      const required = new Set([...byRelease].filter(([, x]) => !x.optional).map(([l]) => l));
      const newest = [...byRelease.values()].at(-1)!;
      const type = this.slot(new Map([...byRelease].map(([l, x]) => [l, x.type])), '$D');
      const doc = withNote(docs({ ...(newest.doc !== undefined ? { doc: newest.doc } : {}), features: newest.features })[0], availabilityNote(within, has));
      const line = (optional: boolean): string => `${doc !== undefined ? printDoc(doc, INDENT) : ''}${INDENT}${propertyKey(key)}${optional ? '?' : ''}: ${type};\n`;
      const p = conditionSet(this.set.labels, has, exists);
      const q = conditionSet(this.set.labels, required, exists) ?? this.set.labels;
      const allRequired = q.length === this.set.labels.length;
      const noneRequired = required.size === 0;
      if (p === undefined && (allRequired || noneRequired)) {
        plain.push(line(noneRequired));
        continue;
      }
      const pu = releaseUnion(p ?? this.set.labels);
      const qu = noneRequired ? 'never' : releaseUnion(q);
      const g = groups.get(`${pu}/${qu}`) ?? { p: pu, q: qu, lines: [] };
      g.lines.push(line(false));
      groups.set(`${pu}/${qu}`, g);
    }
    const parts = [`{${plain.length > 0 ? `\n${plain.join('')}` : ' '}}`];
    for (const g of groups.values()) parts.push(`${HELPERS.members}<$R, $D, ${g.p}, ${g.q}, {\n${g.lines.join('')}}>`);
    return parts.join(' & ');
  }

  private unionType(m: Merged<Extract<NamedType, { kind: 'union' }>>, exists: ReadonlySet<string>): string {
    const base = this.slot(new Map([...m.byRelease].map(([l, u]) => [l, u.base])), '$D');
    const disc = propertyKey([...m.byRelease.values()].at(-1)!.discriminator);
    const branches = this.parts(m, (u) => u.branches, (b) => b.value);
    const alts: string[] = [];
    for (const [value, byRelease] of branches) {
      const has = new Set(byRelease.keys());
      const empty = [...byRelease.values()].every((b) => b.type.name === 'q_empty');
      const body = `{ ${disc}: ${stringLiteral(value)} }${empty ? '' : ` & ${this.slot(new Map([...byRelease].map(([l, b]) => [l, b.type])), '$D')}`}`;
      const cond = conditionSet(this.set.labels, has, exists);
      alts.push(cond === undefined ? `(${body})` : `${HELPERS.when}<$R, $D, ${releaseUnion(cond)}, ${body}>`);
    }
    return `${base} & (${alts.length > 0 ? breakUnion(alts) : 'never'})`;
  }

  private alternateType(m: Merged<Extract<NamedType, { kind: 'alternate' }>>, exists: ReadonlySet<string>): string {
    const alts = this.parts(m, (a) => a.alternatives, (a) => typeKey(a.type));
    const out: string[] = [];
    for (const byRelease of alts.values()) {
      const has = new Set(byRelease.keys());
      const t = this.slot(new Map([...byRelease].map(([l, a]) => [l, a.type])), '$D');
      const cond = conditionSet(this.set.labels, has, exists);
      out.push(cond === undefined ? t : `${HELPERS.when}<$R, $D, ${releaseUnion(cond)}, ${t}>`);
    }
    return out.length > 0 ? breakUnion(out) : 'never';
  }
}

/** True when `type` has a `|` or `&` outside brackets (an array of it needs parentheses). */
function topLevelOperator(type: string): boolean {
  let depth = 0;
  for (const ch of type) {
    if (ch === '<' || ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === '>' || ch === ')' || ch === '}' || ch === ']') depth--;
    else if (depth === 0 && (ch === '|' || ch === '&')) return true;
  }
  return false;
}

/** ` = TYPE`, with no space before a type that starts on the next line. */
export function assigned(type: string): string {
  return type.startsWith('\n') ? ` =${type}` : ` = ${type}`;
}

/** A union on one line when short, else one member a line. */
function breakUnion(members: readonly string[]): string {
  const flat = members.join(' | ');
  return flat.length <= 80 && !flat.includes('\n') ? flat : `\n${members.map((x) => `${INDENT}| ${x.replace(/\n/g, `\n${INDENT}`)}`).join('\n')}`;
}
