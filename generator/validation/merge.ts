/**
 * Several validator tables (one per release of a set) over one shared pool of type
 * descriptors: a descriptor the releases share, with everything it reaches, is stored once.
 *
 * Descriptors refer to each other by index and the graph may be cyclic, so equality is found
 * by partition refinement (as when minimising an automaton): descriptors start grouped by
 * their own shape (references blanked), and groups are split by the groups their references
 * fall in until nothing splits. Each final group becomes one pool entry.
 */
import type { MemberDesc, TypeDesc, ValidatorTable } from '@qmp-ts/runtime';

/** The tables, each with `types` replaced by indices into `pool`. */
export interface MergedTables {
  readonly pool: readonly TypeDesc[];
  readonly tables: readonly ValidatorTable[];
}

function refsOf(d: TypeDesc): number[] {
  switch (d[0]) {
    case 'b':
    case 'e':
      return [];
    case 'a':
      return [d[1]];
    case 's':
      return d[2].map((m) => m[1]);
    case 'u':
      return [...d[2].map((m) => m[1]), ...Object.values(d[4])];
    case 'l':
      return d[2].map((a) => a[1]);
  }
}

/** The descriptor with its references replaced, in the order `refsOf` lists them. */
function withRefs(d: TypeDesc, refs: readonly number[]): TypeDesc {
  let i = 0;
  const next = (): number => refs[i++]!;
  const members = (ms: readonly MemberDesc[]): MemberDesc[] => ms.map((m) => (m.length === 3 ? [m[0], next(), 1] : [m[0], next()]));
  switch (d[0]) {
    case 'b':
    case 'e':
      return d;
    case 'a':
      return ['a', next()];
    case 's':
      return ['s', d[1], members(d[2])];
    case 'u': {
      const ms = members(d[2]);
      return ['u', d[1], ms, d[3], Object.fromEntries(Object.keys(d[4]).map((k) => [k, next()]))];
    }
    case 'l':
      return ['l', d[1], d[2].map((a) => [a[0], next()] as const)];
  }
}

export function mergeValidatorTables(tables: readonly ValidatorTable[]): MergedTables {
  // Every descriptor of every table, as one node list; base[t] is table t's first node.
  const base: number[] = [];
  const nodes: { desc: TypeDesc; refs: number[] }[] = [];
  for (const t of tables) {
    base.push(nodes.length);
    const offset = nodes.length;
    for (const d of t.types) nodes.push({ desc: d, refs: refsOf(d).map((r) => r + offset) });
  }
  const classify = (key: (i: number) => string): { ids: number[]; count: number } => {
    const seen = new Map<string, number>();
    const ids = nodes.map((_, i) => {
      const k = key(i);
      let id = seen.get(k);
      if (id === undefined) seen.set(k, (id = seen.size));
      return id;
    });
    return { ids, count: seen.size };
  };
  let cls = classify((i) => JSON.stringify(withRefs(nodes[i]!.desc, nodes[i]!.refs.map(() => -1))));
  for (;;) {
    const prev = cls;
    const next = classify((i) => `${prev.ids[i]}|${nodes[i]!.refs.map((r) => prev.ids[r]).join(',')}`);
    cls = next;
    if (next.count === prev.count) break;
  }
  const pool: TypeDesc[] = [];
  const placed = new Map<number, number>();
  const poolIndex = (node: number): number => placed.get(cls.ids[node]!)!;
  // Pool order: first seen, table by table (deterministic).
  nodes.forEach((_, i) => {
    if (!placed.has(cls.ids[i]!)) placed.set(cls.ids[i]!, placed.size);
  });
  nodes.forEach((n, i) => {
    const at = poolIndex(i);
    if (pool[at] === undefined) pool[at] = withRefs(n.desc, n.refs.map(poolIndex));
  });
  const merged = tables.map((t, ti): ValidatorTable => {
    const map = (i: number): number => poolIndex(base[ti]! + i);
    const features = t.features
      ? Object.fromEntries(
          Object.entries(t.features).map(([k, set]) => [k, { ...set, ...(set?.members ? { members: set.members.map(([ty, m]) => [map(ty), m] as const) } : {}) }]),
        )
      : undefined;
    return {
      v: 1,
      types: pool,
      commands: Object.fromEntries(Object.entries(t.commands).map(([k, [a, r]]) => [k, [map(a), map(r)] as const])),
      events: Object.fromEntries(Object.entries(t.events).map(([k, e]) => [k, map(e)])),
      ...(features ? { features } : {}),
    };
  });
  return { pool, tables: merged };
}
