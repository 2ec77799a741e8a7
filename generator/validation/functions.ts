/**
 * The alternative design, kept for measurement (bench/validate.ts): the validator table
 * turned into straight-line JavaScript, one function per type, with built-in checks inlined
 * and member dispatch by `switch`. Same verdicts and paths as runtime/validation/validate.ts (the bench
 * checks that); messages are shorter. Not used by the bindings: see the figures in
 * bench/validate.ts for why the table interpreter was chosen.
 *
 * The emitted text is the body of a function taking `(rt)` (helpers, see {@link FunctionRuntime})
 * and returning `{ check(typeIndex, value): Issue[] | null }`.
 */
import { intRange } from '@qmp-ts/runtime/internal';
import type { TypeDesc, ValidatorTable, ValidationMode, MemberDesc } from '@qmp-ts/runtime';
import { stringLiteral } from '../emit/schema-text.js';

/** A failure as the generated code reports it; `rev` is the path, innermost first. */
export interface GeneratedIssue { kind: string; expected: string; found: unknown; rev: (string | number)[] }

/** Helpers the generated code calls (failure paths only). */
export interface FunctionRuntime {
  fail(kind: string, expected: string, found: unknown): GeneratedIssue[];
  prefix(issues: GeneratedIssue[], seg: string | number): GeneratedIssue[];
}

const q = stringLiteral;

/** Emits the generated validators of one mode for a table. */
export function validatorFunctionsSource(table: ValidatorTable, mode: ValidationMode): string {
  const strict = mode === 'strict';
  const out: string[] = [
    "'use strict';",
    'const hasOwn = Object.hasOwn, isArray = Array.isArray, keysOf = Object.keys;',
    'const F = rt.fail, P = rt.prefix;',
  ];
  /** An expression that is `null` when `v` (an expression) is a valid value of type `i`. */
  const inline = (i: number, v: string): string => {
    const d = table.types[i]!;
    if (d[0] !== 'b') return `t${i}(${v})`;
    const name = d[1];
    const r = intRange(name);
    if (r !== undefined) {
      const upper = !strict && r.bmaxExcl > 2n ** 53n ? '<=' : '<';
      return `(typeof ${v} === 'number' ? (Number.isInteger(${v}) ? (${v} >= ${r.bmin} && ${v} ${upper} ${r.bmaxExcl} ? null : F('out-of-range', ${q(name)}, ${v})) : F('wrong-type', ${q(name)}, ${v}))` +
        ` : typeof ${v} === 'bigint' ? (${v} >= ${r.bmin}n && ${v} < ${r.bmaxExcl}n ? null : F('out-of-range', ${q(name)}, ${v})) : F('wrong-type', ${q(name)}, ${v}))`;
    }
    switch (name) {
      case 'str': return `(typeof ${v} === 'string' ? null : F('wrong-type', 'string', ${v}))`;
      case 'bool': return `(typeof ${v} === 'boolean' ? null : F('wrong-type', 'boolean', ${v}))`;
      case 'null': return `(${v} === null ? null : F('wrong-type', 'null', ${v}))`;
      case 'any': return `(${v} === undefined ? F('wrong-type', 'any', ${v}) : null)`;
      case 'number': return `((typeof ${v} === 'number' && Number.isFinite(${v})) || typeof ${v} === 'bigint' ? null : F('wrong-type', 'number', ${v}))`;
      default: throw new Error(`builtin ${name}`);
    }
  };

  const objectBody = (members: readonly MemberDesc[], label: string): string[] => {
    const required = members.filter((m) => m.length === 2);
    const lines = [
      `if (typeof v !== 'object' || v === null || isArray(v)) return F('wrong-type', ${q(label)}, v);`,
      'const ks = keysOf(v); let seen = 0, r, out = null;',
      'for (let i = 0; i < ks.length; i++) {',
      '  const k = ks[i], x = v[k];',
      '  switch (k) {',
    ];
    for (const m of members) {
      lines.push(
        `    case ${q(m[0])}: if (x === undefined) break;${m.length === 2 ? ' seen++;' : ''}`,
        `      if ((r = ${inline(m[1], 'x')}) !== null) { P(r, k); ${strict ? 'return r;' : 'out = out === null ? r : out.concat(r);'} } break;`,
      );
    }
    lines.push(`    default: ${strict ? "{ const f = F('unknown-member', 'a member', k); return P(f, k); }" : 'break;'}`, '  }', '}');
    if (required.length > 0) {
      lines.push(`if (seen !== ${required.length}) {`);
      for (const m of required) {
        lines.push(`  if (!hasOwn(v, ${q(m[0])}) || v[${q(m[0])}] === undefined) { const f = P(F('missing-member', 'a value', undefined), ${q(m[0])}); ${strict ? 'return f;' : 'out = out === null ? f : out.concat(f);'} }`);
      }
      lines.push('}');
    }
    lines.push('return out;');
    return lines;
  };

  let extra = 0;
  const extraFns: string[] = [];
  const unionBody = (name: string, base: readonly MemberDesc[], disc: string, branches: Readonly<Record<string, number>>): string[] => {
    const discType = table.types[base.find((m) => m[0] === disc)![1]]!;
    const values = discType[0] === 'e' ? discType[2] : Object.keys(branches);
    const lines = [
      `if (typeof v !== 'object' || v === null || isArray(v)) return F('wrong-type', ${q(`object (${name})`)}, v);`,
      `const d = hasOwn(v, ${q(disc)}) ? v[${q(disc)}] : undefined;`,
      'switch (d) {',
    ];
    for (const val of values) {
      const bi = Object.hasOwn(branches, val) ? branches[val] : undefined;
      const bd = bi === undefined ? undefined : table.types[bi];
      const fn = `x${extra++}`;
      const body = bd !== undefined && bd[0] === 'u'
        ? unionBody(name, [...base, ...bd[2]], bd[3], bd[4])
        : objectBody(bd !== undefined && bd[0] === 's' ? [...base, ...bd[2]] : base, name);
      extraFns.push(`function ${fn}(v) {\n${body.join('\n')}\n}`);
      lines.push(`  case ${q(val)}: return ${fn}(v);`);
    }
    const baseFn = `x${extra++}`;
    extraFns.push(`function ${baseFn}(v) {\n${objectBody(base, name).join('\n')}\n}`);
    lines.push(
      '}',
      `const f = P(F(d === undefined ? 'missing-member' : typeof d !== 'string' ? 'wrong-type' : 'unknown-enum-value', 'a discriminator value', d), ${q(disc)});`,
      strict ? 'return f;' : `const rest = (${baseFn}(v) || []).filter((x) => !(x.rev.length === 1 && x.rev[0] === ${q(disc)})); return f.concat(rest);`,
    );
    return lines;
  };

  const body = (d: TypeDesc, i: number): string[] => {
    switch (d[0]) {
      case 'b': return [`return ${inline(i, 'v')};`];
      case 'e':
        return [
          `if (typeof v !== 'string') return F('wrong-type', 'enum', v);`,
          `switch (v) { ${d[2].map((x) => `case ${q(x)}:`).join(' ')} return null; }`,
          `return F('unknown-enum-value', ${q(d[1])}, v);`,
        ];
      case 'a':
        return [
          `if (!isArray(v)) return F('wrong-type', 'array', v);`,
          'let out = null;',
          `for (let i = 0; i < v.length; i++) { const r = ${inline(d[1], 'v[i]')}; if (r !== null) { P(r, i); ${strict ? 'return r;' : 'out = out === null ? r : out.concat(r);'} } }`,
          'return out;',
        ];
      case 's': return objectBody(d[2], d[1] ? `object (${d[1]})` : 'object');
      case 'u': return unionBody(d[1], d[2], d[3], d[4]);
      case 'l': {
        const lines = ['switch (isArray(v) ? \'array\' : v === null ? \'null\' : typeof v) {'];
        for (const [k, t] of d[2]) {
          const cases = k === 'int' || k === 'number' ? "case 'number': case 'bigint':" : `case ${q(k)}:`;
          lines.push(`  ${cases} return ${inline(t, 'v')};`);
        }
        lines.push('}', `return F('wrong-type', ${q(d[1])}, v);`);
        return lines;
      }
    }
  };
  table.types.forEach((d, i) => {
    out.push(`function t${i}(v) {\n${body(d, i).join('\n')}\n}`);
  });
  out.push(...extraFns);
  out.push(`const all = [${table.types.map((_, i) => `t${i}`).join(', ')}];`);
  out.push('return { check: (i, v) => all[i](v) };');
  return out.join('\n');
}

/** Compiles emitted source (bench use). */
export function compileValidatorFunctions(source: string, rt: FunctionRuntime): { check(i: number, v: unknown): GeneratedIssue[] | null } {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('rt', source)(rt) as { check(i: number, v: unknown): GeneratedIssue[] | null };
}

/** Helpers matching runtime/validation/validate.ts's failure representation. */
export const functionRuntime: FunctionRuntime = {
  fail: (kind, expected, found) => [{ kind, expected, found, rev: [] }],
  prefix: (issues, seg) => {
    for (const i of issues) i.rev.push(seg);
    return issues;
  },
};
