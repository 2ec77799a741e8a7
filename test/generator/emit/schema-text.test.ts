/**
 * The two ways schema text enters generated code (generator/emit/schema-text.ts), over any
 * UTF-16 text: a comment body that nothing can end or read as a tag, and a string literal
 * that reads back as the same text and nothing else.
 */
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { commentText, jsDocComment, stringLiteral } from '../../../generator/emit/schema-text.js';

const HAZARDS = ['*/', '/*', '@since', '{@link x}', '\\', '`', '${', '</script>', '</SCRIPT', '<!--', '\r', '\r\n', '\u2028', '\u2029', '\u0000', '\u001b', '\u0085', '\uD800', '\uDFFF', '\u202E', '\uFEFF', '"', "'", '\n', '*', '/'];
const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const text = fc
  .array(fc.oneof(fc.constantFrom(...HAZARDS), fc.string({ unit, maxLength: 5 }), fc.string({ unit: 'grapheme', maxLength: 5 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const RAW_HAZARD = /\r|\u2028|\u2029|[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/;

/** The comments and tokens TypeScript reads in `code`. */
function scan(code: string): { kind: ts.SyntaxKind; text: string; value: string }[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, code);
  const out: { kind: ts.SyntaxKind; text: string; value: string }[] = [];
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (k !== ts.SyntaxKind.WhitespaceTrivia && k !== ts.SyntaxKind.NewLineTrivia) out.push({ kind: k, text: scanner.getTokenText(), value: scanner.getTokenValue() });
  }
  return out;
}

describe('commentText', () => {
  it('leaves nothing that ends the comment, starts a tag, or is invisible', () => {
    fc.assert(
      fc.property(text, (t) => {
        const c = commentText(t);
        expect(c).not.toMatch(/\*\/|\/\*|<\/script|<!--/i);
        expect(c).not.toMatch(RAW_HAZARD);
        expect(c).not.toMatch(LONE_SURROGATE);
        // every @ is escaped (QAPI's @name references became code spans)
        expect(c.replace(/\\\\/g, '')).not.toMatch(/(^|[^\\])@/);
      }),
      { numRuns: 2000 },
    );
  });

  it('is one comment to TypeScript, whatever the text', () => {
    fc.assert(
      fc.property(text, text, (body, since) => {
        const doc = jsDocComment([commentText(body)], [{ tag: 'since', text: commentText(since) }])!;
        const code = `/**\n${doc.split('\n').map((l) => ` * ${l}`).join('\n')}\n */\nexport interface X {}\n`;
        expect(scan(code).map((t) => t.kind)).toEqual([
          ts.SyntaxKind.MultiLineCommentTrivia, ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.InterfaceKeyword,
          ts.SyntaxKind.Identifier, ts.SyntaxKind.OpenBraceToken, ts.SyntaxKind.CloseBraceToken,
        ]);
      }),
      { numRuns: 1000 },
    );
  });

  it('turns QAPI member references into code spans and escapes other @', () => {
    expect(commentText('see @node-name, mail a@b.c')).toBe('see `node-name`, mail a\\@b.c');
    expect(commentText('*/ /* \\ </script> \u2028 \u0000 \uD800')).toBe('*\\/ /\\* \\\\ <\\/script> \n \\u0000 \\uD800');
  });
});

describe('stringLiteral', () => {
  it('reads back as exactly the text, one string token, nothing raw', () => {
    fc.assert(
      fc.property(text, (t) => {
        const lit = stringLiteral(t);
        const tokens = scan(`type T = ${lit};`);
        expect(tokens.map((x) => x.kind)).toEqual([
          ts.SyntaxKind.TypeKeyword, ts.SyntaxKind.Identifier, ts.SyntaxKind.EqualsToken, ts.SyntaxKind.StringLiteral, ts.SyntaxKind.SemicolonToken,
        ]);
        expect(tokens[3]!.value).toBe(t);
        expect(lit).not.toMatch(/`|\$\{|<\/script|\n/i);
        expect(lit).not.toMatch(RAW_HAZARD);
        expect(lit).not.toMatch(LONE_SURROGATE);
        // code-block-writer ends a string at a quote not preceded by a backslash
        expect(lit.slice(0, -1)).not.toMatch(/\\$/);
      }),
      { numRuns: 2000 },
    );
  });
});
