/**
 * The model printed exactly like QEMU's `tests/qapi-schema/test-qapi.py` prints a checked
 * schema (the `.out` files of QEMU's conformance suite): modules in order with their
 * includes and definitions, conditions and features, then every doc block.
 */
import type {
  Condition,
  Definition,
  DocBlock,
  EnumType,
  Feature,
  Member,
  ModuleEntry,
  Schema,
  UnionType,
  AlternateType,
} from '../model/types.js';

/** Python's `str()` of a condition as test-qapi.py prints it (`{'all': ['A', 'B']}`). */
export function pyCondition(cond: Condition, top = true): string {
  if (typeof cond === 'string') return top ? cond : `'${cond}'`;
  if ('not' in cond) return `{'not': ${pyCondition(cond.not, false)}}`;
  const [op, operands] = 'all' in cond ? ['all', cond.all] : ['any', cond.any];
  return `{'${op}': [${operands.map((c) => pyCondition(c, false)).join(', ')}]}`;
}

const py = (b: boolean): string => (b ? 'True' : 'False');

class Printer {
  readonly lines: string[] = [];

  line(s: string): void {
    this.lines.push(s);
  }

  cond(cond: Condition | undefined, indent = 4): void {
    if (cond !== undefined) this.line(`${' '.repeat(indent)}if ${pyCondition(cond)}`);
  }

  features(features: readonly Feature[], indent = 4): void {
    for (const f of features) {
      this.line(`${' '.repeat(indent)}feature ${f.name}`);
      this.cond(f.condition, indent + 4);
    }
  }

  members(members: readonly Member[]): void {
    for (const m of members) {
      this.line(`    member ${m.name}: ${m.type.name} optional=${py(m.optional)}`);
      this.cond(m.condition, 8);
      this.features(m.features, 8);
    }
  }

  variants(tag: string, cases: readonly { name: string; type: string; condition?: Condition }[]): void {
    this.line(`    tag ${tag}`);
    for (const c of cases) {
      this.line(`    case ${c.name}: ${c.type}`);
      this.cond(c.condition, 8);
    }
  }

  entry(e: ModuleEntry): void {
    if (e.kind === 'include') {
      this.line(`include ${e.module}`);
      return;
    }
    this.definition(e);
  }

  definition(d: Definition): void {
    switch (d.kind) {
      case 'builtin':
        return;
      case 'enum':
        this.enumType(d);
        break;
      case 'array':
        if (!d.location) return; // built-in arrays are not printed
        this.line(`array ${d.name} ${d.element.name}`);
        this.cond(d.condition);
        return;
      case 'struct':
        this.line(`object ${d.name}`);
        if (d.base) this.line(`    base ${d.base.name}`);
        this.members(d.ownMembers);
        break;
      case 'union':
        this.unionType(d);
        break;
      case 'alternate':
        this.alternateType(d);
        break;
      case 'command':
        this.line(`command ${d.name} ${d.arguments?.name ?? 'None'} -> ${d.returns?.name ?? 'None'}`);
        this.line(
          `    gen=${py(d.gen)} success_response=${py(d.successResponse)} boxed=${py(d.boxed)} ` +
            `oob=${py(d.allowOob)} preconfig=${py(d.allowPreconfig)}${d.coroutine ? ' coroutine=True' : ''}`,
        );
        break;
      case 'event':
        this.line(`event ${d.name} ${d.arguments?.name ?? 'None'}`);
        this.line(`    boxed=${py(d.boxed)}`);
        break;
    }
    this.cond(d.condition);
    this.features(d.features);
  }

  enumType(d: EnumType): void {
    this.line(`enum ${d.name}`);
    if (d.prefix) this.line(`    prefix ${d.prefix}`);
    for (const v of d.values) {
      this.line(`    member ${v.name}`);
      this.cond(v.condition, 8);
      this.features(v.features, 8);
    }
  }

  unionType(d: UnionType): void {
    this.line(`object ${d.name}`);
    this.line(`    base ${d.base.name}`);
    this.variants(
      d.discriminator,
      d.branches.map((b) => ({ name: b.value, type: b.type.name, ...(b.condition !== undefined && { condition: b.condition }) })),
    );
  }

  alternateType(d: AlternateType): void {
    this.line(`alternate ${d.name}`);
    this.variants(
      'type',
      d.alternatives.map((a) => ({ name: a.name, type: a.type.name, ...(a.condition !== undefined && { condition: a.condition }) })),
    );
  }

  doc(doc: DocBlock): void {
    this.line(doc.symbol !== undefined ? `doc symbol=${doc.symbol}` : 'doc freeform');
    this.line(`    body=\n${doc.body}`);
    for (const a of doc.args) this.line(`    arg=${a.name}\n${a.text}`);
    for (const f of doc.features) this.line(`    feature=${f.name}\n${f.text}`);
    for (const s of doc.sections) {
      this.line(`    section=${s.kind.charAt(0).toUpperCase()}${s.kind.slice(1)}\n${s.text}`);
    }
  }
}

/**
 * The `.out` text QEMU's test-qapi.py prints for this schema. Introspection input has no
 * modules and no docs: its definitions are printed in the model's order, without `module`
 * lines, in the same format.
 */
export function dumpQapiTest(schema: Schema): string {
  const p = new Printer();
  if (schema.modules) {
    for (const m of schema.modules) {
      p.line(`module ${m.name}`);
      for (const e of m.entries) p.entry(e);
    }
  } else {
    for (const d of schema.entities) p.definition(d);
  }
  for (const d of schema.docs ?? []) p.doc(d);
  return p.lines.length === 0 ? '' : p.lines.join('\n') + '\n';
}
