/**
 * The printer of the default output style (generator/emit/print.ts): a group stays on one
 * line when it fits in 100 columns and is broken one item a line otherwise; breaking
 * changes only whitespace and optional punctuation (trailing commas, a union's leading `|`,
 * an object type's last `;`); doc text is printed as given.
 */
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PRINT_WIDTH, printFile } from '../../../generator/emit/print.js';
import type { StatementStructures } from '../../../generator/emit/structures.js';

/** Tokens of a file without trailing commas (whitespace and comments skipped). */
function tokens(text: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const out: string[] = [];
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) out.push(scanner.getTokenText());
  return out.filter((t, i) => !(t === ',' && [']', '}', ')'].includes(out[i + 1]!)));
}

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/).map((s) => `'${s}'`);
const ident = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,30}$/);

/** A statement and, written by hand, the same code on one line (the oracle). */
type Case = [StatementStructures, string];

const statements = fc.oneof(
  fc.record({ name: ident, elements: fc.array(word, { maxLength: 12 }) }).map(
    ({ name, elements }): Case => [
      { kind: 'const', name, isExported: true, initializer: { kind: 'array', elements, suffix: ' as const' } },
      `export const ${name} = [${elements.join(', ')}] as const;`,
    ],
  ),
  fc.record({ name: ident, members: fc.array(word, { minLength: 1, maxLength: 12 }) }).map(
    ({ name, members }): Case => [
      { kind: 'type', name, isExported: true, type: { kind: 'union', members } },
      `export type ${name} = ${members.join(' | ')};`,
    ],
  ),
  fc.record({ name: ident, base: ident, values: fc.array(word, { minLength: 2, maxLength: 6 }) }).map(
    ({ name, base, values }): Case => [
      {
        kind: 'type',
        name,
        type: { kind: 'union', members: values.map((v) => ({ kind: 'intersection', parts: [base, { kind: 'object', members: [{ name: 'type', type: v }] }, `${base}Branch`] })) },
      },
      `type ${name} = ${values.map((v) => `(${base} & { type: ${v} } & ${base}Branch)`).join(' | ')};`,
    ],
  ),
  fc.record({ name: ident, props: fc.array(fc.tuple(ident, ident, ident), { maxLength: 5 }) }).map(
    ({ name, props }): Case => [
      {
        kind: 'interface',
        name,
        properties: props.map(([p, a, b]) => ({
          name: p.toLowerCase(),
          type: { kind: 'object', members: [{ name: 'args', type: { kind: 'generic', name: a, args: [b, `'${p}'`] } }, { name: 'returns', type: b }] },
        })),
      },
      `interface ${name} { ${props.map(([p, a, b]) => `${p.toLowerCase()}: { args: ${a}<${b}, '${p}'>; returns: ${b} };`).join(' ')} }`,
    ],
  ),
);

describe('the default output style', () => {
  it('keeps every line within the width, and breaking changes only whitespace and optional punctuation', () => {
    fc.assert(
      fc.property(fc.array(statements, { minLength: 1, maxLength: 4 }), (cases) => {
        const list = cases.map(([s]) => s);
        const text = printFile(list);
        for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(PRINT_WIDTH);
        // a multi-line object type ends its last member with ';', a broken union starts with '|'
        const normal = (list_: string[]): string[] =>
          list_.filter((t, i) => !(t === ';' && list_[i + 1] === '}') && !(t === '|' && list_[i - 1] === '='));
        expect(normal(tokens(text))).toEqual(normal(tokens(cases.map(([, flat]) => flat).join('\n'))));
        expect(printFile(list)).toBe(text); // deterministic
      }),
    );
  });

  it('prints a group that fits on one line', () => {
    expect(printFile([{ kind: 'type', name: 'E', isExported: true, type: { kind: 'union', members: ["'a'", "'b'"] } }])).toBe("export type E = 'a' | 'b';\n");
    expect(printFile([{ kind: 'import', moduleSpecifier: './t.js', isTypeOnly: true, namedImports: ['A', 'B'] }])).toBe("import type { A, B } from './t.js';\n");
  });

  it('prints doc text line by line as given, one-line docs inline', () => {
    const text = printFile([
      {
        kind: 'interface',
        name: 'I',
        docs: ['First line.\n\n  indented `code` \\@x *\\/\n@since 1.0'],
        properties: [{ name: 'a', type: 'string', docs: ['Short.'] }],
      },
    ]);
    expect(text).toBe(
      '/**\n * First line.\n *\n *   indented `code` \\@x *\\/\n * @since 1.0\n */\ninterface I {\n  /** Short. */\n  a: string;\n}\n',
    );
  });
});
