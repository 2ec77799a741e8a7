/**
 * The JSON syntax-error locator used for introspection input: it must agree with
 * `JSON.parse` on what is valid, and point at the right line and column.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../../generator/read/json-syntax.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('findJsonSyntaxError', () => {
  it('locates errors by line and column', () => {
    expect(findJsonSyntaxError('[{"name": ')).toEqual({ line: 1, col: 11, message: 'unexpected end of input, expected a value' });
    expect(findJsonSyntaxError('[\n  {"a": 1,}\n]')).toEqual({ line: 2, col: 11, message: "unexpected '}', expected a property name" });
    expect(findJsonSyntaxError('[1 2]')).toEqual({ line: 1, col: 4, message: "unexpected '2', expected ',' or ']'" });
    expect(findJsonSyntaxError('{"a" 1}')?.message).toBe("unexpected '1', expected ':'");
    expect(findJsonSyntaxError('"a\\x"')?.message).toBe('bad escape in string');
    expect(findJsonSyntaxError('[01]')?.col).toBe(3);
    expect(findJsonSyntaxError('[] []')?.message).toBe("unexpected '[' after the JSON value");
    expect(findJsonSyntaxError('[' + '['.repeat(100_000))?.message).toBe('unexpected end of input, expected a value');
    expect(findJsonSyntaxError('[' + '['.repeat(100_000) + ']'.repeat(100_001))).toBeUndefined();
  });

  it('agrees with JSON.parse on valid JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2), (v, indent) => {
        expect(findJsonSyntaxError(JSON.stringify(v, null, indent))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with JSON.parse on mutated JSON', () => {
    const mutated = fc
      .tuple(fc.jsonValue(), fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('', ',', ':', '"', '{', '}', '[', ']', '\\', '0', '-', 'e', ' ', '\n', '\u0001', 'tru', 'nul'))
      .map(([v, at, del, ins]) => {
        const t = JSON.stringify(v);
        const i = t.length === 0 ? 0 : at % (t.length + 1);
        return t.slice(0, i) + ins + t.slice(i + del);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        expect(findJsonSyntaxError(text) === undefined).toBe(parses(text));
      }),
      { numRuns: 2000 },
    );
  });
});
