/**
 * What changed between two models of the same schema, as watch mode needs it: whether the
 * schema's shape (everything but documentation) is the same, and if so which definitions
 * had their documentation edited. Emit's `ReuseText` hook (generator/emit/index.ts) then
 * lets every file that carries none of those definitions' docs keep its earlier text.
 *
 * The comparison walks both models in step and is generic: any field the model gains is
 * part of the shape unless it is a `doc`. Inside a definition, a reference to another
 * definition compares by position in `entities` (its own content is compared where it is
 * defined); a `doc` value anywhere in a definition (its own, its members', values',
 * branches', features') is that definition's documentation.
 *
 * Left out: `source.hash` (it changes with every byte; emit does not read it) and
 * `schema.docs` (the doc blocks as written, free-form ones included: emit renders the
 * docs attached to definitions, never these).
 */
import type { Definition, Schema } from '../../generator/model/types.js';

export type ModelDelta =
  /** The shape changed (or the models are of different inputs): emit everything. */
  | { readonly sameShape: false; readonly reason: string }
  /** Only documentation changed, of these definitions (by name). */
  | { readonly sameShape: true; readonly docsChanged: ReadonlySet<string> };

const IGNORED_SCHEMA_KEYS = new Set(['docs']);

class ShapeChanged extends Error {}

/** Compares `next` with `prev`; see the module comment. */
export function modelDelta(prev: Schema, next: Schema): ModelDelta {
  if (prev.entities.length !== next.entities.length) return { sameShape: false, reason: 'definitions added or removed' };
  const prevIndex = new Map<unknown, number>(prev.entities.map((d, i) => [d, i]));
  const nextIndex = new Map<unknown, number>(next.entities.map((d, i) => [d, i]));
  const docsChanged = new Set<string>();
  let owner: Definition | undefined; // the definition being compared (undefined: schema-level data)
  let inDoc = 0;

  const differ = (where: string): void => {
    if (inDoc > 0 && owner) docsChanged.add(owner.name);
    else throw new ShapeChanged(`${owner ? owner.name : 'schema'}: ${where}`);
  };

  const same = (a: unknown, b: unknown, key: string): void => {
    if (a === b) return;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return differ(key);
    const ia = prevIndex.get(a);
    const ib = nextIndex.get(b);
    if (ia !== undefined || ib !== undefined) {
      // A definition inside another: a reference (each is walked once, as an owner).
      if (ia !== ib) differ(`${key}: refers to another definition`);
      return;
    }
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return differ(key);
      for (let i = 0; i < a.length; i++) same(a[i], b[i], key);
      return;
    }
    if (a instanceof Map || b instanceof Map) {
      if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return differ(key);
      const bk = [...b.keys()];
      let i = 0;
      for (const [k, v] of a) {
        if (bk[i++] !== k) return differ(key);
        same(v, b.get(k), key);
      }
      return;
    }
    sameFields(a, b, key);
  };

  const sameFields = (a: object, b: object, key: string): void => {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return differ(key);
    for (let i = 0; i < ka.length; i++) {
      const k = ka[i]!;
      if (kb[i] !== k) return differ(key);
      if (k === 'doc') inDoc++;
      try {
        same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], k);
      } finally {
        if (k === 'doc') inDoc--;
      }
    }
  };

  try {
    for (let i = 0; i < prev.entities.length; i++) {
      owner = prev.entities[i]!;
      const b = next.entities[i]!;
      if (owner === b) continue; // a node the model build kept (generator/model/build.ts)
      if (owner.name !== b.name || owner.kind !== b.kind) throw new ShapeChanged(`definition ${i}: ${owner.name} became ${b.name}`);
      sameFields(owner, b, owner.name);
    }
    owner = undefined;
    for (const key of Object.keys(next) as (keyof Schema)[]) {
      if (IGNORED_SCHEMA_KEYS.has(key) || key === 'entities') continue;
      if (key === 'source') {
        same({ ...prev.source, hash: '' }, { ...next.source, hash: '' }, key);
        continue;
      }
      same(prev[key], next[key], key);
    }
    if (Object.keys(prev).length !== Object.keys(next).length) throw new ShapeChanged('schema fields differ');
  } catch (e) {
    if (e instanceof ShapeChanged) return { sameShape: false, reason: e.message };
    throw e;
  }
  return { sameShape: true, docsChanged };
}
