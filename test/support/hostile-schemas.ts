/**
 * Worst-case schema inputs for the readers' time and memory budgets: each builder makes a
 * file set of about `bytes` bytes shaped to stress one reader (alias expansion, huge flow
 * lists, deep masked-type chains, giant doc comments, deep nesting, many includes). Used by
 * the budget property tests (small sizes) and by bench/readers.ts (16 MiB).
 */

export type ReaderKind = 'qapi' | 'yaml' | 'introspection' | 'docs';

export interface HostileCase {
  readonly name: string;
  readonly reader: ReaderKind;
  /** File name -> text; `main` is the one to check. */
  readonly files: ReadonlyMap<string, string>;
  readonly main: string;
}

/** Repeats `make(i)` for i = 0, 1, ... until the pieces (plus `fixed`) reach `bytes`. */
function fill(bytes: number, fixed: number, make: (i: number) => string): string[] {
  const parts: string[] = [];
  let size = fixed;
  for (let i = 0; size < bytes; i++) {
    const p = make(i);
    parts.push(p);
    size += p.length;
  }
  return parts;
}

const one = (name: string, reader: ReaderKind, main: string, text: string): HostileCase => ({
  name, reader, main, files: new Map([[main, text]]),
});

// --- QAPI source ---------------------------------------------------------------------------

/** One enum whose value list fills the file. */
export function qapiFlowList(bytes: number): HostileCase {
  const head = "{ 'enum': 'Big', 'data': [ ";
  return one('qapi: huge value list', 'qapi', 'list.json', head + fill(bytes, head.length + 4, (i) => `'v${i}', `).join('') + "'z' ] }\n");
}

/** Brackets opened until the file is full. */
export function qapiDeepNesting(bytes: number): HostileCase {
  return one('qapi: deep nesting', 'qapi', 'deep.json', `{ 'struct': 'Deep', 'data': ${'['.repeat(Math.max(bytes - 40, 1))}`);
}

/** Many small struct definitions (the plain, wide workload). */
export function qapiManyDefinitions(bytes: number): HostileCase {
  return one('qapi: many definitions', 'qapi', 'wide.json', fill(bytes, 0, (i) => `{ 'struct': 'Thing${i}', 'data': { 'member': 'str' } }\n`).join(''));
}

/** The main file includes as many files as the file limit allows, together `bytes`. */
export function qapiManyIncludes(bytes: number, files = 999): HostileCase {
  const each = Math.ceil(bytes / files);
  const map = new Map<string, string>();
  const includes: string[] = [];
  for (let f = 0; f < files; f++) {
    const name = `inc${f}.json`;
    includes.push(`{ 'include': '${name}' }\n`);
    map.set(name, fill(each, 0, (i) => `{ 'struct': 'File${f}Thing${i}', 'data': { 'member': 'str' } }\n`).join(''));
  }
  map.set('main.json', includes.join(''));
  return { name: 'qapi: many includes', reader: 'qapi', main: 'main.json', files: map };
}

// --- doc comments (the QAPI doc reader; `--docs` reads the same) ----------------------------

/** One definition whose doc comment fills the file (70-column prose lines). */
export function docsGiantComment(bytes: number): HostileCase {
  const head = '##\n# @Doc:\n#\n';
  const tail = "#\n# Since: 1.0\n##\n{ 'struct': 'Doc', 'data': { 'member': 'str' } }\n";
  const line = `# ${'word '.repeat(13).trimEnd()}\n`;
  const body = fill(bytes, head.length + tail.length, () => line).join('');
  return one('docs: giant comment', 'docs', 'doc.json', head + body + tail);
}

/** One doc comment describing a huge number of members, each `@mN: text`. */
export function docsManySections(bytes: number): HostileCase {
  const head = '##\n# @Doc:\n#\n';
  const lines = fill(bytes, head.length + 60, (i) => `# @m${i}: member ${i}\n#\n`);
  const members = lines.map((_, i) => `'m${i}': 'str'`).slice(0, 1000).join(', ');
  return one('docs: many sections', 'docs', 'sections.json', `${head}${lines.join('')}# Since: 1.0\n##\n{ 'struct': 'Doc', 'data': { ${members} } }\n`);
}

// --- YAML ----------------------------------------------------------------------------------

/** A mapping of 50 members anchored once and aliased by every following struct. */
export function yamlAliasExpansion(bytes: number): HostileCase {
  const head = `- struct: Base\n  data: &members { ${Array.from({ length: 50 }, (_, i) => `member${i}: str`).join(', ')} }\n`;
  return one('yaml: aliases of one mapping', 'yaml', 'alias.yaml', head + fill(bytes, head.length, (i) => `- struct: Thing${i}\n  data: *members\n`).join(''));
}

/** Doc text of about `bytes` characters in 65-column lines, as one double-quoted YAML string. */
export function quotedDocText(bytes: number): string {
  const line = `${'word '.repeat(13).trimEnd()}\\n`;
  return `"${line.repeat(Math.max(1, Math.round(bytes / 65)))}"`;
}

/** A 100 KB doc string aliased by every following struct. */
export function yamlDocAlias(bytes: number, docBytes = 100_000): HostileCase {
  const head = `- doc: &text ${quotedDocText(Math.min(docBytes, bytes / 2))}\n`;
  return one('yaml: aliased long doc', 'yaml', 'doc.yaml', head + fill(bytes, head.length, (i) => `- struct: Thing${i}\n  data: {}\n  doc: *text\n`).join(''));
}

/** Billion laughs: members of one struct, each level a list of ten aliases of the one before. */
export function yamlAliasBomb(levels = 12): HostileCase {
  const lines = ['- struct: Bomb', '  data:', '    l0: &l0 [ a ]'];
  for (let i = 1; i <= levels; i++) lines.push(`    l${i}: &l${i} [ ${Array(10).fill(`*l${i - 1}`).join(', ')} ]`);
  return one('yaml: alias bomb', 'yaml', 'bomb.yaml', lines.join('\n') + '\n');
}

/** One enum whose flow list of values fills the file. */
export function yamlFlowList(bytes: number): HostileCase {
  const head = '- enum: Big\n  data: [ ';
  return one('yaml: huge flow list', 'yaml', 'flow.yaml', head + fill(bytes, head.length + 4, (i) => `v${i}, `).join('') + 'z ]\n');
}

/** One enum whose block list of values fills the file. */
export function yamlBlockList(bytes: number): HostileCase {
  const head = '- enum: Big\n  data:\n';
  return one('yaml: huge block list', 'yaml', 'block.yaml', head + fill(bytes, head.length, (i) => `    - v${i}\n`).join(''));
}

/** Flow brackets opened until the file is full. */
export function yamlDeepFlow(bytes: number): HostileCase {
  return one('yaml: deep flow nesting', 'yaml', 'deepflow.yaml', `- struct: Deep\n  data: ${'['.repeat(Math.max(bytes - 30, 1))}`);
}

/** Block sequences nested by indentation until the file is full. */
export function yamlDeepBlock(bytes: number): HostileCase {
  const lines: string[] = [];
  let size = 0;
  for (let d = 0; size < bytes; d++) {
    const l = `${' '.repeat(d)}- \n`;
    lines.push(l);
    size += l.length;
  }
  return one('yaml: deep block nesting', 'yaml', 'deepblock.yaml', lines.join('').replace(/ \n/g, '\n'));
}

// --- introspection JSON --------------------------------------------------------------------

/** A command whose masked argument type starts a chain: each object's one member is the next. */
export function introspectionChain(bytes: number): HostileCase {
  const head = '[{"name":"str","meta-type":"builtin","json-type":"string"},{"name":"chain","meta-type":"command","arg-type":"0","ret-type":"str"}';
  const parts = fill(bytes, head.length + 80, (i) => `,{"name":"${i}","meta-type":"object","members":[{"name":"next","type":"${i + 1}","default":null}]}`);
  const last = parts.length;
  return one('introspection: masked chain', 'introspection', 'chain.json', `${head}${parts.join('')},{"name":"${last}","meta-type":"object","members":[]}]`);
}

/** A chain of masked arrays, each the element of the one before. */
export function introspectionArrayChain(bytes: number): HostileCase {
  const head = '[{"name":"str","meta-type":"builtin","json-type":"string"},{"name":"chain","meta-type":"command","arg-type":"a","ret-type":"0"},{"name":"a","meta-type":"object","members":[]}';
  const parts = fill(bytes, head.length + 80, (i) => `,{"name":"${i}","meta-type":"array","element-type":"${i + 1}"}`);
  const last = parts.length;
  return one('introspection: array chain', 'introspection', 'arrays.json', `${head}${parts.join('')},{"name":"${last}","meta-type":"array","element-type":"str"}]`);
}

/** JSON arrays opened until the file is full. */
export function introspectionDeepJson(bytes: number): HostileCase {
  const head = '[{"name":"deep","meta-type":"object","members":';
  return one('introspection: deep JSON', 'introspection', 'deep-intro.json', head + '['.repeat(Math.max(bytes - head.length, 1)));
}

/** Every worst case at about `bytes` bytes per case. */
export function hostileCases(bytes: number): HostileCase[] {
  return [
    qapiFlowList(bytes), qapiDeepNesting(bytes), qapiManyDefinitions(bytes), qapiManyIncludes(bytes),
    docsGiantComment(bytes), docsManySections(bytes),
    yamlAliasExpansion(bytes), yamlDocAlias(bytes), yamlAliasBomb(), yamlFlowList(bytes), yamlBlockList(bytes),
    yamlDeepFlow(bytes), yamlDeepBlock(bytes),
    introspectionChain(bytes), introspectionArrayChain(bytes), introspectionDeepJson(bytes),
  ];
}
