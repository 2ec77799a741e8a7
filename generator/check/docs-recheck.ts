/**
 * Checking again after an edit of doc comments alone (what `generate --watch` sees most):
 * when every expression is the one a successful check saw (same values, same places, a doc
 * comment where there was one), only doc comments can fail or change the result. So only
 * the edited doc comments are checked and connected again, on the entities of that check;
 * the definitions are not checked again. The errors are a whole check's, in its order:
 * every other check passed on these expressions, and the doc checks run in the whole
 * check's order (each edited definition's doc against its expression, then its member and
 * feature docs in definition order, then each edited doc block's described names).
 * Expressions and doc blocks of files not read again are the same objects as before
 * (watch/parse-cache.ts): their checks passed already.
 *
 * The entities are updated in place: the previous result is used up (after an error too).
 */
import type { SourceInfo } from '../diagnostics.js';
import type { ParsedDoc, ParsedExpr, ParsedSchema, QapiValue } from '../read/parsed.js';
import { CommandEntity, EventEntity, IncludeEntity, ObjectEntity, type DefinitionEntity } from './entities.js';
import { checkExprDocs } from './exprs.js';
import { toCheckPragmas } from './pragmas.js';
import type { CheckedSchema, CheckOptions } from './schema.js';

/**
 * `previous` with the doc comments of `parsed`, checked; undefined when `parsed` differs from
 * `previous.parsed` in more than doc comments (then a whole check is needed).
 */
export function recheckDocs(previous: CheckedSchema, parsed: ParsedSchema, options: CheckOptions = {}): CheckedSchema | undefined {
  const before = previous.parsed;
  const edited = editedExprs(before.exprs, parsed.exprs);
  if (!edited || !sameList(before.files, parsed.files)) return undefined;
  if (JSON.stringify(before.pragma) !== JSON.stringify(parsed.pragma)) return undefined;
  const pragmas = toCheckPragmas(parsed.pragma);
  const docStyle = options.strict ? undefined : (options.onWarning ?? (() => {}));
  // An expression read again (the same object) has the doc comment it had, already checked.
  checkExprDocs(edited.map(([, pe]) => pe), pragmas, docStyle);
  const replaced = new Map<ParsedDoc, ParsedDoc>();
  for (const [old, pe] of edited) if (old.doc && pe.doc) replaced.set(old.doc, pe.doc);
  const docs = previous.docs;
  for (const doc of replaced.keys()) docs.forget(doc);
  const redocumented = new Set<DefinitionEntity>();
  for (const ent of previous.entityList) {
    if (ent instanceof IncludeEntity || !ent.doc) continue;
    const doc = replaced.get(ent.doc);
    if (!doc) continue;
    const changed = !sameText(ent.doc, doc);
    ent.doc = doc;
    ent.connectDoc(docs);
    // A doc block read again with the same text gives the same model.
    if (!changed) continue;
    redocumented.add(ent);
    // Implicit types (arguments, bases) are connected through the definition that owns them.
    const owned = ent instanceof ObjectEntity ? ent.base : ent instanceof CommandEntity || ent instanceof EventEntity ? ent.argType : undefined;
    if (owned?.isImplicit()) redocumented.add(owned);
  }
  const kept = new Set(before.docs);
  for (const doc of parsed.docs) if (!kept.has(doc)) docs.check(doc);
  return { ...previous, parsed, redocumented };
}

/** Same symbol and sections (kinds, names, texts), wherever they are. */
function sameText(a: ParsedDoc, b: ParsedDoc): boolean {
  if (a.symbol !== b.symbol || a.allSections.length !== b.allSections.length) return false;
  return a.allSections.every((x, i) => {
    const y = b.allSections[i]!;
    return x.kind === y.kind && x.name === y.name && x.text === y.text;
  });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The pairs of expressions read again (not the same objects) when every expression is the
 * same at the same place, with a doc comment where it had one; undefined when not.
 */
function editedExprs(a: readonly ParsedExpr[], b: readonly ParsedExpr[]): [ParsedExpr, ParsedExpr][] | undefined {
  if (a.length !== b.length) return undefined;
  const edited: [ParsedExpr, ParsedExpr][] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if ((x.doc === undefined) !== (y.doc === undefined) || !sameInfo(x.info, y.info) || !sameValue(x.expr, y.expr)) return undefined;
    edited.push([x, y]);
  }
  return edited;
}

function sameInfo(a: SourceInfo | undefined, b: SourceInfo | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.file === b.file && a.line === b.line && a.col === b.col && a.defnMeta === b.defnMeta && a.defnName === b.defnName &&
    a.path === b.path && sameInfo(a.parent, b.parent)
  );
}

function sameValue(a: QapiValue, b: QapiValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v: QapiValue, i: number) => sameValue(v, b[i] as QapiValue));
  }
  const ma = a as ReadonlyMap<string, QapiValue>;
  const mb = b as ReadonlyMap<string, QapiValue>;
  if (ma.size !== mb.size) return false;
  const kb = mb.keys();
  for (const [k, v] of ma) {
    if (kb.next().value !== k) return false;
    if (!sameValue(v, mb.get(k)!)) return false;
  }
  return true;
}
