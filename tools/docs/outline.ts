/**
 * The site's table of contents: the chapters and sections QEMU's free-form doc blocks
 * open with a heading (`# = Title` / `# == Title` before QEMU 8.x, reStructuredText
 * over/underlined titles after), each holding the definitions documented after it, in
 * source order. Definitions with no doc block (introspection input, implicit types left
 * out) are grouped by the module that defines them, or in one list.
 */
import type { Definition, Doc, Schema } from '../../generator/model/types.js';

export interface OutlineSection {
  /** Fragment id on the index page. */
  readonly id: string;
  readonly title: string;
  /** 1 for a chapter, 2 and more for sections in it. */
  readonly level: number;
  /** Free-form doc text under the heading. */
  readonly text: string[];
  readonly definitions: Definition[];
}

/** The definitions of `schema` by the name of the `source` definition whose doc they carry (model/docs/attach.ts shares the doc objects). */
function bySourceName(schema: Schema, source: Schema): (name: string) => Definition | undefined {
  const nameOfDoc = new Map<Doc, string>();
  for (const d of source.entities) if (d.doc) nameOfDoc.set(d.doc, d.name);
  const found = new Map<string, Definition>();
  for (const d of schema.entities) {
    const name = d.doc ? nameOfDoc.get(d.doc) : undefined;
    if (name !== undefined && !found.has(name)) found.set(name, d);
  }
  return (name) => found.get(name);
}

/** A free-form block cut at its headings: the text before the first, then each heading with the text after it. */
export function headings(body: string): { heading?: { title: string; level: number }; text: string }[] {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const out: { heading?: { title: string; level: number }; text: string }[] = [];
  let text: string[] = [];
  let heading: { title: string; level: number } | undefined;
  const flush = (): void => {
    if (heading || text.some((l) => l.trim() !== '')) out.push({ ...(heading ? { heading } : {}), text: text.join('\n').trim() });
    text = [];
  };
  const rule = /^([=*\-~^#"+])\1{2,}\s*$/;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const old = /^(=+)\s+(\S.*)$/.exec(line);
    const under = lines[i + 1];
    if (old) {
      flush();
      heading = { title: old[2]!.trim(), level: old[1]!.length };
    } else if (line.trim() !== '' && !rule.test(line) && under !== undefined && rule.test(under)) {
      const over = text.length > 0 && rule.test(text.at(-1)!);
      if (over) text.pop();
      flush();
      const ch = under.trim()[0]!;
      // QEMU's manual: `***` over and under for a chapter, `===` under for a section, then `---`, `~~~`
      heading = { title: line.trim(), level: over ? 1 : ch === '=' ? 2 : ch === '-' ? 3 : 4 };
      i++;
    } else {
      text.push(line);
    }
  }
  flush();
  return out;
}

/**
 * The sections of the index. `docSource`: the QAPI source an introspected schema took its
 * docs from (introspection has no doc blocks); its blocks give the chapters, and each
 * definition is placed by the doc it carries from there.
 */
export function outline(schema: Schema, keep: (d: Definition) => boolean, docSource?: Schema): OutlineSection[] {
  const sections: OutlineSection[] = [];
  const placed = new Set<Definition>();
  const byName = docSource ? bySourceName(schema, docSource) : (name: string): Definition | undefined => schema.commands.get(name) ?? schema.events.get(name) ?? schema.types.get(name);
  let current: OutlineSection | undefined;
  for (const block of (docSource ?? schema).docs ?? []) {
    if (block.symbol === undefined) {
      for (const part of headings(block.body)) {
        if (part.heading || !current) {
          current = { id: `s${sections.length + 1}`, title: part.heading?.title ?? 'Introduction', level: part.heading?.level ?? 1, text: [], definitions: [] };
          sections.push(current);
        }
        if (part.text) current.text.push(part.text);
      }
      continue;
    }
    const d = byName(block.symbol);
    if (!d || placed.has(d) || !keep(d)) continue;
    if (!current) {
      current = { id: `s${sections.length + 1}`, title: 'Definitions', level: 1, text: [], definitions: [] };
      sections.push(current);
    }
    current.definitions.push(d);
    placed.add(d);
  }
  const rest = new Map<string, Definition[]>();
  for (const d of schema.entities) {
    if (placed.has(d) || !keep(d)) continue;
    const key = d.module ?? 'Definitions';
    rest.set(key, [...(rest.get(key) ?? []), d]);
  }
  for (const [title, definitions] of rest) sections.push({ id: `s${sections.length + 1}`, title, level: 1, text: [], definitions });
  return sections.filter((s, i) => s.definitions.length > 0 || s.text.length > 0 || (sections[i + 1]?.level ?? 0) > s.level);
}
