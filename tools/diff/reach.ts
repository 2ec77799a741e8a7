/**
 * Walking by wire path: which probe paths reach each compared pair of nodes (a *site*), and
 * in which contexts. A change in a shared type is listed at every path reaching it (from
 * every command and event, through every member); the first path found is its place, the
 * others its "also at". Sites are memoized by node pair, which also guards against cycles in
 * recursive types. What a site's changes are is the comparison's business (compare.ts); what
 * they weigh, the rules' (rules.ts).
 */
import type { Type } from '../../generator/model/types.js';
import { classify, type Ctx, type LocalChange } from './rules.js';
import type { SchemaChange } from './types.js';

/** A pair of nodes one level below a site, at `rel` from it. */
export interface Child {
  readonly old: Type;
  readonly new: Type;
  readonly rel: string;
  /** The member leading to this child was unstable in the old schema. */
  readonly unstable: boolean;
}

/** One compared pair: its local changes and children, and the paths and contexts reaching it. */
export interface Site {
  /** Every path reaching the site, in the order found (commands, then events, by name). */
  readonly paths: string[];
  readonly pathSet: Set<string>;
  /** Contexts reached, as bits of {@link ctxBit}. */
  ctx: number;
  readonly changes: LocalChange[];
  readonly children: Child[];
}

const ctxBit = (c: Ctx): number => (c.dir === 'in' ? 1 : 4) << (c.unstable ? 1 : 0);
const CTX_LIST: readonly Ctx[] = [
  { dir: 'in', unstable: false },
  { dir: 'in', unstable: true },
  { dir: 'out', unstable: false },
  { dir: 'out', unstable: true },
];

/** The sites of one comparison; `compare` fills a new pair's changes and children on first use. */
export class Reach {
  private readonly sites = new Map<Type, Map<Type, Site>>();
  private readonly roots: Site[] = [];

  constructor(private readonly compare: (site: Site, o: Type, n: Type) => void) {}

  /** A site at a definition's own path (a command, an event, or its argument or return type). */
  root(path: string): Site {
    const s: Site = { paths: [path], pathSet: new Set([path]), ctx: 0, changes: [], children: [] };
    this.roots.push(s);
    return s;
  }

  /** Mark a root as reached in `ctx` without walking (the definition's own features and conditions). */
  reachRoot(site: Site, ctx: Ctx): void {
    site.ctx = ctxBit(ctx);
  }

  /** Walk from a root reached in `ctx` at `path`. */
  walk(site: Site, ctx: Ctx, path: string): void {
    this.enter(site, ctx, path, new Set());
  }

  /**
   * Record that `site` is reached at `path` in context `ctx`, and walk its children. A path
   * stops where it would enter a site it already runs through (recursive types), and a site
   * reached again at a known path only walks on for a context it was not reached in yet.
   */
  private enter(site: Site, ctx: Ctx, path: string, through: Set<Site>): void {
    const newPath = !site.pathSet.has(path);
    if (newPath) {
      site.pathSet.add(path);
      site.paths.push(path);
    }
    const bit = ctxBit(ctx);
    const newCtx = (site.ctx & bit) === 0;
    site.ctx |= bit;
    if ((!newPath && !newCtx) || through.has(site)) return;
    through.add(site);
    for (const c of site.children) {
      const child = this.site(c.old, c.new);
      this.enter(child, { dir: ctx.dir, unstable: ctx.unstable || c.unstable }, path + c.rel, through);
    }
    through.delete(site);
  }

  /** The memoized site of a structured pair (same kind on both sides), compared on first use. */
  private site(o: Type, n: Type): Site {
    let inner = this.sites.get(o);
    if (!inner) this.sites.set(o, (inner = new Map()));
    let s = inner.get(n);
    if (s) return s;
    s = { paths: [], pathSet: new Set(), ctx: 0, changes: [], children: [] };
    inner.set(n, s);
    this.compare(s, o, n);
    return s;
  }

  /** Every reached site's changes, placed at its first path and classified over its contexts. */
  changes(): SchemaChange[] {
    const out: SchemaChange[] = [];
    const all: Site[] = [...this.roots];
    for (const inner of this.sites.values()) all.push(...inner.values());
    for (const site of all) {
      // enter() sets a context and a path together, so a reached site has a first path.
      const [firstPath, ...otherPaths] = site.paths;
      if (site.ctx === 0 || site.changes.length === 0 || firstPath === undefined) continue;
      const ctxs = CTX_LIST.filter((c) => site.ctx & ctxBit(c));
      const directions = [...new Set(ctxs.map((c) => c.dir))];
      const isDefinitionRoot = !firstPath.includes('/');
      for (const ch of site.changes) {
        out.push({
          path: firstPath + ch.rel,
          alsoAt: otherPaths.map((p) => p + ch.rel),
          action: ch.action,
          subject: ch.subject,
          severity: classify(ch, ctxs),
          directions: isDefinitionRoot ? [] : directions,
          message: ch.message,
          ...(ch.old !== undefined ? { old: ch.old } : {}),
          ...(ch.new !== undefined ? { new: ch.new } : {}),
        });
      }
    }
    return out;
  }
}
