/**
 * Pairs the nodes of a schema without docs (introspection) with those of a documented
 * source schema of the same release, by wire position only: commands and events by name,
 * and from there members by name, enum values by name, union branches by discriminator
 * value, array elements, and alternatives by JSON kind. Introspection masks type names, so
 * types are never matched by name, except the ones both sides really share (unmasked input).
 *
 * A target type reached through several positions is paired with the first source type
 * found for it (commands, then events, in schema order; breadth first).
 */
import { alternativeKey } from '../wire.js';
import { EMPTY_OBJECT_NAME } from '../../read/introspection/naming.js';
import type { Alternative, Command, EnumValue, Event, Member, Schema, Type } from '../types.js';

export interface DocMatch {
  readonly types: ReadonlyMap<Type, Type>;
  readonly commands: ReadonlyMap<Command, Command>;
  readonly events: ReadonlyMap<Event, Event>;
  readonly members: ReadonlyMap<Member, Member>;
  readonly values: ReadonlyMap<EnumValue, EnumValue>;
  readonly alternatives: ReadonlyMap<Alternative, Alternative>;
}

/** Same shape on the wire, so one can carry the other's docs. */
function comparable(t: Type, s: Type): boolean {
  // QEMU's one empty object stands for many unrelated source types: none of their docs fits.
  if (t.name === EMPTY_OBJECT_NAME) return false;
  if (t.kind === s.kind) return t.kind !== 'builtin';
  return (t.kind === 'struct' || t.kind === 'union') && (s.kind === 'struct' || s.kind === 'union');
}

export function matchDocs(target: Schema, source: Schema): DocMatch {
  const types = new Map<Type, Type>();
  const commands = new Map<Command, Command>();
  const events = new Map<Event, Event>();
  const members = new Map<Member, Member>();
  const values = new Map<EnumValue, EnumValue>();
  const alternatives = new Map<Alternative, Alternative>();
  const queue: [Type, Type][] = [];

  const pair = (t: Type | undefined, s: Type | undefined): void => {
    if (!t || !s || types.has(t) || !comparable(t, s)) return;
    types.set(t, s);
    queue.push([t, s]);
  };
  const pairMembers = (ts: readonly Member[], ss: readonly Member[]): void => {
    const byName = new Map(ss.map((m) => [m.name, m]));
    for (const m of ts) {
      const s = byName.get(m.name);
      if (!s) continue;
      if (!members.has(m)) members.set(m, s);
      pair(m.type, s.type);
    }
  };

  for (const c of target.commands.values()) {
    const s = source.commands.get(c.name);
    if (!s) continue;
    commands.set(c, s);
    pair(c.arguments, s.arguments);
    pair(c.returns, s.returns);
  }
  for (const e of target.events.values()) {
    const s = source.events.get(e.name);
    if (!s) continue;
    events.set(e, s);
    pair(e.arguments, s.arguments);
  }
  const drain = (): void => {
    for (let i = 0; i < queue.length; i++) {
      const [t, s] = queue[i]!;
      if (t.kind === 'array' && s.kind === 'array') pair(t.element, s.element);
      else if (t.kind === 'enum' && s.kind === 'enum') {
        const byName = new Map(s.values.map((v) => [v.name, v]));
        for (const v of t.values) {
          const w = byName.get(v.name);
          if (w && !values.has(v)) values.set(v, w);
        }
      } else if (t.kind === 'alternate' && s.kind === 'alternate') {
        const byKey = new Map(s.alternatives.map((a) => [alternativeKey(a.type), a]));
        for (const a of t.alternatives) {
          const b = byKey.get(alternativeKey(a.type));
          if (!b) continue;
          alternatives.set(a, b);
          pair(a.type, b.type);
        }
      } else if ((t.kind === 'struct' || t.kind === 'union') && (s.kind === 'struct' || s.kind === 'union')) {
        pairMembers(t.members, s.members);
        if (t.kind === 'union' && s.kind === 'union') {
          pair(t.base, s.base);
          pair(t.discriminatorType, s.discriminatorType);
          const byValue = new Map(s.branches.map((b) => [b.value, b]));
          for (const b of t.branches) pair(b.type, byValue.get(b.value)?.type);
        }
      }
    }
    queue.length = 0;
  };
  drain();
  // Names both sides really share (a source-built or unmasked target) pair what no wire
  // position reached.
  for (const t of target.types.values()) {
    if (!t.maskedName) pair(t, source.types.get(t.name));
  }
  drain();
  return { types, commands, events, members, values, alternatives };
}
