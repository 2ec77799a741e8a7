/**
 * The shell's display (tools/shell/display.ts) of a value a peer nested without end: shown
 * to a depth a person can read, and never an exception (which would end the shell).
 */
import { describe, expect, it } from 'vitest';
import { colors, formatEvent, jsonLine, prettyJson, SHOWN_DEPTH } from '../../../tools/shell/display.js';

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = wrap(v);
  return v;
}

const plain = colors(false);

describe('a value nested 100 000 deep', () => {
  it('prettyJson shows SHOWN_DEPTH levels, then …', () => {
    for (const deep of [nested(100_000, (v) => [v, 2]), nested(100_000, (v) => ({ backing: v }))]) {
      const text = prettyJson(deep, plain);
      expect(text.split('\n').length).toBeLessThan(4 * SHOWN_DEPTH);
      expect(text).toContain('…');
    }
  });

  it('an event carrying it is one line; a JSON line for it says it could not be written', () => {
    const line = formatEvent({ event: 'X', data: { a: nested(100_000, (v) => [v]) } }, plain);
    expect(line).toMatch(/^event X /);
    expect(line).not.toContain('\n');
    expect(jsonLine({ return: nested(100_000, (v) => [v]), id: 3 }, () => ({ error: 'too deep', id: 3 }))).toBe('{"error":"too deep","id":3}');
  });
});
