/**
 * Validator tables of several releases over one shared pool (generator/validation/merge.ts):
 * every command and event of every release describes the same values as in its own table,
 * and what the releases share is stored once.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TypeDesc, ValidatorTable } from '../../../runtime/index.js';
import { loadSchema } from '../../../generator/load.js';
import { buildValidatorTable } from '../../../generator/validation/table.js';
import { mergeValidatorTables } from '../../../generator/validation/merge.js';
import { repoRoot } from '../../support/paths.js';

const tables = ['7.2', '10.2'].map((l) => buildValidatorTable(loadSchema(path.join(repoRoot, `vendor/qemu/qemu-${l}/qapi/qapi-schema.json`))));

/** A type as a tree of descriptors with references followed, to a depth (the graph may be cyclic). */
function expand(table: ValidatorTable, index: number, depth: number): unknown {
  const d: TypeDesc = table.types[index]!;
  if (depth === 0) return d[0];
  const sub = (i: number): unknown => expand(table, i, depth - 1);
  switch (d[0]) {
    case 'b':
    case 'e':
      return d;
    case 'a':
      return ['a', sub(d[1])];
    case 's':
      return ['s', d[1], d[2].map((m) => [m[0], sub(m[1]), m[2] ?? 0])];
    case 'u':
      return ['u', d[1], d[2].map((m) => [m[0], sub(m[1]), m[2] ?? 0]), d[3], Object.entries(d[4]).map(([k, v]) => [k, sub(v)])];
    case 'l':
      return ['l', d[1], d[2].map(([k, v]) => [k, sub(v)])];
  }
}

describe('mergeValidatorTables', () => {
  const merged = mergeValidatorTables(tables);

  it('keeps what every command and event of each release describes', () => {
    tables.forEach((own, i) => {
      const m = merged.tables[i]!;
      expect(Object.keys(m.commands)).toEqual(Object.keys(own.commands));
      for (const [name, [args, ret]] of Object.entries(own.commands)) {
        const [margs, mret] = m.commands[name]!;
        expect(expand(m, margs, 6), name).toEqual(expand(own, args, 6));
        expect(expand(m, mret, 6), name).toEqual(expand(own, ret, 6));
      }
      for (const [name, data] of Object.entries(own.events)) expect(expand(m, m.events[name]!, 6), name).toEqual(expand(own, data, 6));
    });
  });

  it('stores what the releases share once', () => {
    const separate = tables.reduce((n, t) => n + t.types.length, 0);
    expect(merged.pool.length).toBeLessThan(separate * 0.7);
    expect(merged.pool.length).toBeGreaterThanOrEqual(Math.max(...tables.map((t) => t.types.length)));
    expect(merged.tables.every((t) => t.types === merged.pool)).toBe(true);
  });
});
