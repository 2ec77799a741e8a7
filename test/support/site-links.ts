/**
 * Checks every internal link of a static site on disk: each `href`/`src` of every HTML file
 * is resolved against the file, must name a file that exists, and its `#fragment` an
 * element id of that file. Parsed with parse5, as a browser would.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse, type DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

export function* elements(node: Node): Generator<Element> {
  if ('tagName' in node) yield node;
  const kids = 'childNodes' in node ? node.childNodes : [];
  for (const k of kids) yield* elements(k);
  if ('content' in node && node.content) yield* elements(node.content as Node);
}

export function attr(e: Element, name: string): string | undefined {
  return e.attrs.find((a) => a.name === name)?.value;
}

export function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => join(dir, f))
    .sort();
}

export interface LinkReport {
  readonly checked: number;
  readonly broken: string[];
  /** Every internal link, as `file -> target`. */
  readonly links: { from: string; url: string }[];
}

export function checkLinks(files: readonly string[]): LinkReport {
  const ids = new Map<string, Set<string>>();
  const idsOf = (file: string): Set<string> => {
    let s = ids.get(file);
    if (!s) {
      s = new Set();
      for (const e of elements(parse(readFileSync(file, 'utf8')))) {
        const id = attr(e, 'id');
        if (id !== undefined) s.add(id);
      }
      ids.set(file, s);
    }
    return s;
  };
  const broken: string[] = [];
  const links: { from: string; url: string }[] = [];
  let checked = 0;
  for (const file of files) {
    for (const e of elements(parse(readFileSync(file, 'utf8')))) {
      const url = attr(e, 'href') ?? attr(e, 'src');
      if (url === undefined || /^[a-z][a-z0-9+.-]*:/i.test(url)) continue;
      checked++;
      links.push({ from: file, url });
      const [pathAndQuery, fragment] = url.split('#') as [string, string | undefined];
      const path = pathAndQuery.split('?')[0]!;
      const target = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
      if (!existsSync(target)) {
        broken.push(`${relative(process.cwd(), file)}: ${url}: no such file`);
        continue;
      }
      if (fragment !== undefined && target.endsWith('.html') && !idsOf(target).has(decodeURIComponent(fragment))) {
        broken.push(`${relative(process.cwd(), file)}: ${url}: no element with id '${fragment}'`);
      }
    }
  }
  return { checked, broken, links };
}
