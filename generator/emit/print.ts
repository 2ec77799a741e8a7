/**
 * Prints a generated file from its structures in one fixed, readable style, so that no
 * formatter has to run: two-space indentation, semicolons, trailing commas
 * in multi-line lists, lines of at most {@link PRINT_WIDTH} columns where a group can be
 * broken (imports, array literals, object type literals, type arguments, unions), one
 * blank line around interfaces and classes. The same structures always give the same text.
 *
 * Doc comments are printed from the text docs.ts built, line by line, without reading it.
 */
import type {
  ArrayInitializer,
  ClassDeclarationStructure,
  ImportDeclarationStructure,
  DocText,
  InterfaceDeclarationStructure,
  MethodStructure,
  ParameterStructure,
  PropertySignatureStructure,
  StatementStructures,
  TypeAliasDeclarationStructure,
  TypeNode,
  VariableStatementStructure,
} from './structures.js';
import { stringLiteral } from './schema-text.js';

export const PRINT_WIDTH = 100;
const INDENT = '  ';

/**
 * `open` + items + `close` on one line when `lead` (the text already on the line) leaves
 * room, else one item a line, indented one step more than `indent`, with a trailing comma.
 */
export function fitOrBreak(lead: string, open: string, items: readonly string[], close: string, indent = ''): string {
  const flat = `${open}${items.join(', ')}${close}`;
  if (items.length === 0 || lead.length + flat.length <= PRINT_WIDTH) return flat;
  return broken(open, items, close, indent);
}

/** One item a line, with a trailing comma. */
function broken(open: string, items: readonly string[], close: string, indent: string): string {
  const inner = indent + INDENT;
  return `${open.trimEnd()}\n${items.map((i) => `${inner}${i},\n`).join('')}${indent}${close.trimStart()}`;
}

/** A type on one line (also the ts-morph path's type text, emit/morph.ts). */
export function flatType(t: TypeNode): string {
  if (typeof t === 'string') return t;
  switch (t.kind) {
    case 'object':
      return t.members.length === 0 ? '{}' : `{ ${t.members.map((m) => `${m.name}${m.optional ? '?' : ''}: ${flatType(m.type)}`).join('; ')} }`;
    case 'generic':
      return `${t.name}<${t.args.map(flatType).join(', ')}>`;
    case 'union':
      return t.members.map(unionMember).join(' | ');
    case 'intersection':
      return t.parts.map(flatType).join(' & ');
  }
}

function unionMember(t: TypeNode): string {
  return typeof t !== 'string' && t.kind === 'intersection' ? `(${flatType(t)})` : flatType(t);
}

/** A type after `lead` on a line at `indent`, followed by `tail`; broken when it does not fit. */
function layoutType(t: TypeNode, lead: string, tail: string, indent: string): string {
  const flat = flatType(t);
  if (typeof t === 'string' || t.kind === 'union' || lead.length + flat.length + tail.length <= PRINT_WIDTH) return flat;
  const inner = indent + INDENT;
  if (t.kind === 'intersection') {
    // references stay on the line; object types open over the following lines
    return t.parts.map((p) => (typeof p === 'string' ? p : layoutType(p, lead + flat, '', indent))).join(' & ');
  }
  if (t.kind === 'object') {
    const lines = t.members.map((m) => {
      const head = `${inner}${m.name}${m.optional ? '?' : ''}: `;
      return `${head}${layoutType(m.type, head, ';', inner)};\n`;
    });
    return `{\n${lines.join('')}${indent}}`;
  }
  const args = t.args.map((a, i) => `${inner}${layoutType(a, inner, i < t.args.length - 1 ? ',' : '', inner)}`);
  return `${t.name}<\n${args.join(',\n')}\n${indent}>`;
}

/** `/** text *\/` for one line, else one ` * ` line each; the text is not read, only split into lines. */
export function printDoc(doc: DocText, indent: string): string {
  const lines = doc.split('\n').map((l) => l.trimEnd());
  if (lines.length === 1) return `${indent}/** ${lines[0]}${lines[0]!.length > 0 ? ' ' : ''}*/\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ''}\n`).join('')}${indent} */\n`;
}

function printDocs(docs: readonly DocText[] | undefined, indent: string): string {
  return (docs ?? []).map((d) => printDoc(d, indent)).join('');
}

const exported = (s: { isExported?: boolean }): string => (s.isExported ? 'export ' : '');

/** An import's braces and names (`{ a, b }`, or one name a line), as printed after `lead` and followed by `tail`. */
export function importBraces(s: ImportDeclarationStructure, lead: string, tail: string): string {
  const specs = s.namedImports.map((i) =>
    typeof i === 'string' ? i : `${i.isTypeOnly ? 'type ' : ''}${i.name}${i.alias !== undefined ? ` as ${i.alias}` : ''}`,
  );
  return fitOrBreak(lead, '{ ', specs, ` }${tail}`).slice(0, -tail.length);
}

/** `import ... from` as printed (the ts-morph path takes the braces from here: emit/morph.ts). */
export function importLead(s: ImportDeclarationStructure): { readonly lead: string; readonly tail: string } {
  return { lead: `import ${s.isTypeOnly ? 'type ' : ''}`, tail: ` from ${stringLiteral(s.moduleSpecifier)};` };
}

function printImport(s: ImportDeclarationStructure): string {
  const { lead, tail } = importLead(s);
  return `${lead}${importBraces(s, lead, tail)}${tail}\n`;
}

/** The text of a property's type as printed at `indent` (one line, or broken over several). */
export function propertyTypeText(p: PropertySignatureStructure, indent: string): string {
  const head = `${indent}${p.isReadonly ? 'readonly ' : ''}${p.name}${p.hasQuestionToken ? '?' : ''}: `;
  return layoutType(p.type, head, ';', indent);
}

function printProperty(p: PropertySignatureStructure, indent: string): string {
  return `${printDocs(p.docs, indent)}${indent}${p.isReadonly ? 'readonly ' : ''}${p.name}${p.hasQuestionToken ? '?' : ''}: ${propertyTypeText(p, indent)};\n`;
}

function printInterface(s: InterfaceDeclarationStructure): string {
  const ext = s.extends && s.extends.length > 0 ? ` extends ${s.extends.join(', ')}` : '';
  const head = `${printDocs(s.docs, '')}${exported(s)}interface ${s.name}${ext} {`;
  const props = s.properties ?? [];
  if (props.length === 0) return `${head}}\n`;
  return `${head}\n${props.map((p) => printProperty(p, INDENT)).join('')}}\n`;
}

/** What follows `type Name =` as printed: the type after a space, or broken over the next lines. */
export function typeAliasBody(s: TypeAliasDeclarationStructure): string {
  const lead = `${exported(s)}type ${s.name} = `;
  if (typeof s.type !== 'string' && s.type.kind === 'union' && s.type.members.length > 1) {
    const flat = flatType(s.type);
    if (lead.length + flat.length + 1 <= PRINT_WIDTH) return ` ${flat}`;
    if (INDENT.length + flat.length + 1 <= PRINT_WIDTH) return `\n${INDENT}${flat}`;
    const members = s.type.members;
    return members
      .map((m, i) => {
        const head = `${INDENT}| `;
        const tail = i === members.length - 1 ? ';' : '';
        const paren = typeof m !== 'string' && m.kind === 'intersection';
        const text = layoutType(m, head + (paren ? '(' : ''), (paren ? ')' : '') + tail, INDENT + INDENT);
        return `\n${head}${paren ? `(${text})` : text}`;
      })
      .join('');
  }
  return ` ${layoutType(s.type, lead, ';', '')}`;
}

function printTypeAlias(s: TypeAliasDeclarationStructure): string {
  return `${printDocs(s.docs, '')}${exported(s)}type ${s.name} =${typeAliasBody(s)};\n`;
}

/** `tail`: what follows the array on its last line (counted, not printed). */
function printArray(a: ArrayInitializer, lead: string, tail: string): string {
  const prefix = a.prefix ?? '';
  const close = `]${a.suffix ?? ''}`;
  const flat = `${prefix}[${a.elements.join(', ')}${close}`;
  if (a.elements.length === 0 || lead.length + flat.length + tail.length <= PRINT_WIDTH) return flat;
  return `${prefix}${broken('[', a.elements, close, '')}`;
}

/** `const NAME: T = ` as printed. */
function variableLead(s: VariableStatementStructure): string {
  return `${exported(s)}const ${s.name}${s.type !== undefined ? `: ${s.type}` : ''} = `;
}

/** A variable's initializer as printed (an array on one line, or one element a line). */
export function initializerText(s: VariableStatementStructure): string {
  return typeof s.initializer === 'string' ? s.initializer : printArray(s.initializer, variableLead(s), ';');
}

function printVariable(s: VariableStatementStructure): string {
  return `${printDocs(s.docs, '')}${variableLead(s)}${initializerText(s)};\n`;
}

function printParameters(params: readonly ParameterStructure[]): string {
  return params.map((p) => `${p.name}: ${p.type}${p.initializer !== undefined ? ` = ${p.initializer}` : ''}`).join(', ');
}

/** A class member: its head line, then its statements one level deeper. */
function printMember(docs: readonly DocText[] | undefined, head: string, statements: readonly string[]): string {
  const body = statements.map((st) => `${INDENT}${INDENT}${st}\n`).join('');
  return `${printDocs(docs, INDENT)}${INDENT}${head} {\n${body}${INDENT}}\n`;
}

function printMethod(m: MethodStructure): string {
  const ret = m.returnType !== undefined ? `: ${m.returnType}` : '';
  return printMember(m.docs, `${m.isStatic ? 'static ' : ''}${m.name}(${printParameters(m.parameters)})${ret}`, m.statements);
}

/** Constructor first, then the methods, a blank line between members. */
function printClass(s: ClassDeclarationStructure): string {
  const head = `${printDocs(s.docs, '')}${exported(s)}class ${s.name}${s.extends !== undefined ? ` extends ${s.extends}` : ''} {`;
  const members = [
    ...(s.ctor ? [printMember(undefined, `constructor(${printParameters(s.ctor.parameters)})`, s.ctor.statements)] : []),
    ...(s.methods ?? []).map(printMethod),
  ];
  if (members.length === 0) return `${head}}\n`;
  return `${head}\n${members.join('\n')}}\n`;
}

function printStatement(s: StatementStructures): string {
  if (typeof s === 'string') return s.endsWith('\n') ? s : `${s}\n`;
  switch (s.kind) {
    case 'import':
      return printImport(s);
    case 'interface':
      return printInterface(s);
    case 'type':
      return printTypeAlias(s);
    case 'const':
      return printVariable(s);
    case 'class':
      return printClass(s);
  }
}

/** Interfaces and classes stand apart; so do the imports from what follows them. */
function blankBetween(a: StatementStructures, b: StatementStructures): boolean {
  const kind = (s: StatementStructures): string => (typeof s === 'string' ? 'code' : s.kind);
  const block = (k: string): boolean => k === 'interface' || k === 'class';
  const [ka, kb] = [kind(a), kind(b)];
  return block(ka) || block(kb) || (ka === 'import' && kb !== 'import');
}

/** The text of a whole file. */
export function printFile(statements: readonly StatementStructures[]): string {
  let out = '';
  statements.forEach((s, i) => {
    if (i > 0 && blankBetween(statements[i - 1]!, s)) out += '\n';
    out += printStatement(s);
  });
  return out;
}
