/**
 * The validator table over a chain of types far deeper than the call stack: built without
 * recursion, every type indexed, each struct's member referring to the next.
 */
import { describe, expect, it } from 'vitest';
import { introspectionToModel } from '../../../generator/read/introspection.js';
import { buildValidatorTable } from '../../../generator/validation/table.js';
import { introspectionChain } from '../../support/hostile-schemas.js';

describe('validator table', () => {
  it('indexes a chain 50 000 deep (it overflowed the stack)', () => {
    const c = introspectionChain(50_000 * 90);
    const schema = introspectionToModel(JSON.parse(c.files.get(c.main)!) as unknown, c.main);
    const structs = [...schema.types.values()].filter((t) => t.kind === 'struct').length;
    const table = buildValidatorTable(schema);
    expect(table.types.filter((d) => d[0] === 's')).toHaveLength(structs);
    // depth first: the argument struct first, its member pointing at the next index, and so on
    const first = table.types.findIndex((d) => d[0] === 's' && d[2].length === 1);
    expect(table.types[first]).toEqual(['s', expect.any(String), [['next', first + 1, 1]]]);
    expect(table.types[first + 1]).toEqual(['s', 'chain-arg-next', [['next', first + 2, 1]]]);
  });
});
