/**
 * Watch mode's parse cache: a file whose text, include position and reading options are
 * those of the last cycle is not lexed and parsed again; what its parse produced (its
 * expressions and doc blocks, and the directives it gave, in order) is replayed into the
 * new read. Directives are replayed, not their results, so an included file is looked up
 * (and read from disk) again, and pragmas apply as before.
 *
 * Sound because nothing downstream mutates parsed data: the checker keeps what it adds
 * (stub doc sections, definition context of locations) in tables or copies of its own.
 */
import type { SourceInfo } from '../../generator/diagnostics.js';
import type { ParsedDoc, ParsedExpr, QapiDict } from '../../generator/read/parsed.js';
import { parserFor as defaultParsers, type FileParser } from '../../generator/read/qapi/index.js';
import type { ReadContext } from '../../generator/read/qapi/context.js';

type Step =
  | { readonly exprs: readonly ParsedExpr[]; readonly docs: readonly ParsedDoc[] }
  | { readonly directive: readonly [QapiDict, SourceInfo, string] };

interface Entry {
  readonly text: string;
  /** The include chain and options the file was parsed under. */
  readonly context: string;
  readonly steps: readonly Step[];
}

function chain(info: SourceInfo | undefined): string {
  const parts: string[] = [];
  for (let i = info; i; i = i.parent) parts.push(`${i.file}:${i.line ?? ''}:${i.col ?? ''}`);
  return parts.join('<');
}

export class ParseCache {
  /** File name (as the reader names it) -> its last parse. */
  private readonly entries = new Map<string, Entry>();
  /** Files parsed (not replayed) since the last `takeParsed`. */
  private parsed: string[] = [];

  constructor(private readonly parsers: (fname: string) => FileParser = defaultParsers) {}

  /** The file names parsed afresh since the last call (for tests and reports). */
  takeParsed(): string[] {
    const out = this.parsed;
    this.parsed = [];
    return out;
  }

  /** A `parsers` for `loadSchema` / `readQapiSchema` that goes through this cache. */
  readonly parserFor = (fname: string): FileParser => (ctx, name, text, parent) => {
    // Doc-style findings are reported while parsing: with a listener, always parse.
    const cacheable = ctx.options.onDocStyleFinding === undefined;
    const context = `${chain(parent)}|${ctx.options.strictDocStyle ?? true}|${JSON.stringify(ctx.limits)}`;
    const entry = this.entries.get(name);
    if (cacheable && entry && entry.text === text && entry.context === context) {
      replay(ctx, entry.steps);
      return;
    }
    this.parsed.push(name);
    const steps = record(ctx, (rec) => this.parsers(fname)(rec, name, text, parent));
    if (cacheable) this.entries.set(name, { text, context, steps });
    else this.entries.delete(name);
  };
}

/** Runs `parse` on a view of `ctx` that notes what it adds, between the directives it gives. */
function record(ctx: ReadContext, parse: (recording: ReadContext) => void): Step[] {
  const steps: Step[] = [];
  let exprsFrom = ctx.exprs.length;
  let docsFrom = ctx.docs.length;
  const flush = (): void => {
    if (ctx.exprs.length > exprsFrom || ctx.docs.length > docsFrom) {
      steps.push({ exprs: ctx.exprs.slice(exprsFrom), docs: ctx.docs.slice(docsFrom) });
    }
  };
  const directive = (expr: QapiDict, info: SourceInfo, fname: string): boolean => {
    flush();
    const isDirective = ctx.directive(expr, info, fname);
    if (isDirective) steps.push({ directive: [expr, info, fname] });
    exprsFrom = ctx.exprs.length;
    docsFrom = ctx.docs.length;
    return isDirective;
  };
  const recording = new Proxy(ctx, {
    get(target, prop) {
      if (prop === 'directive') return directive;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  parse(recording);
  flush();
  return steps;
}

function replay(ctx: ReadContext, steps: readonly Step[]): void {
  for (const s of steps) {
    if ('directive' in s) ctx.directive(...s.directive);
    else {
      for (const e of s.exprs) ctx.exprs.push(e);
      for (const d of s.docs) ctx.docs.push(d);
    }
  }
}
