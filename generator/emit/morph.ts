/**
 * The emitter's structures (structures.ts) as ts-morph's own structures, so that a ts-morph
 * Project can be filled from them in bulk (one `createSourceFile` per file) for plugins.
 * The mapping is field for field. Where print.ts lays a group out over lines (import lists,
 * long types, arrays), the ts-morph structure gets print.ts's text for it, so both paths
 * break the same groups and write the same tokens (trailing commas, leading `|`); the text
 * differs only in whitespace and in how doc comments are laid out:
 * test/generator/plugins/equivalence.test.ts compares the two token by token.
 *
 * ts-morph is passed in, not imported, so that loading this module does not load it.
 */
import type * as TsMorph from 'ts-morph';
import type {
  ClassDeclarationStructure,
  DocText,
  ImportDeclarationStructure,
  InterfaceDeclarationStructure,
  MethodStructure,
  ParameterStructure,
  StatementStructures,
  TypeAliasDeclarationStructure,
  VariableStatementStructure,
} from './structures.js';
import { importBraces, importLead, initializerText, propertyTypeText, typeAliasBody } from './print.js';

type Morph = typeof TsMorph;
type MorphStatement = string | TsMorph.StatementStructures;

/** print.ts's text for a group, less its first indentation step: ts-morph indents continuation lines itself. */
const dedent = (text: string): string => text.replace(/\n {2}/g, '\n');

/** A doc text as ts-morph writes it: a leading newline keeps one-line docs on their own lines too. */
const docs = (d: readonly DocText[] | undefined): string[] | undefined => (d && d.length > 0 ? d.map((text) => (text.includes('\n') ? `\n${text}` : text)) : undefined);

function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}

function parameters(params: readonly ParameterStructure[]): TsMorph.OptionalKind<TsMorph.ParameterDeclarationStructure>[] {
  return params.map((p) => ({ name: p.name, type: p.type, ...optional('initializer', p.initializer) }));
}

function importDecl(m: Morph, s: ImportDeclarationStructure): TsMorph.ImportDeclarationStructure {
  return {
    kind: m.StructureKind.ImportDeclaration,
    moduleSpecifier: s.moduleSpecifier,
    isTypeOnly: s.isTypeOnly ?? false,
    // print.ts's braces: one line, or one name a line with a trailing comma
    namedImports: (writer) => {
      const { lead, tail } = importLead(s);
      writer.write(dedent(importBraces(s, lead, tail).replace(/^\{ ?| ?\}$/g, '')));
    },
  };
}

function interfaceDecl(m: Morph, s: InterfaceDeclarationStructure): TsMorph.InterfaceDeclarationStructure {
  return {
    kind: m.StructureKind.Interface,
    name: s.name,
    isExported: s.isExported ?? false,
    ...optional('docs', docs(s.docs)),
    ...(s.extends && s.extends.length > 0 ? { extends: [...s.extends] } : {}),
    properties: (s.properties ?? []).map((p) => ({
      name: p.name,
      type: dedent(propertyTypeText(p, '  ')),
      hasQuestionToken: p.hasQuestionToken ?? false,
      isReadonly: p.isReadonly ?? false,
      ...optional('docs', docs(p.docs)),
    })),
  };
}

function typeAlias(m: Morph, s: TypeAliasDeclarationStructure): TsMorph.TypeAliasDeclarationStructure {
  return { kind: m.StructureKind.TypeAlias, name: s.name, isExported: s.isExported ?? false, ...optional('docs', docs(s.docs)), type: dedent(typeAliasBody(s).replace(/^ /, '')) };
}

function variable(m: Morph, s: VariableStatementStructure): TsMorph.VariableStatementStructure {
  const initializer = dedent(initializerText(s));
  return {
    kind: m.StructureKind.VariableStatement,
    isExported: s.isExported ?? false,
    ...optional('docs', docs(s.docs)),
    declarationKind: m.VariableDeclarationKind.Const,
    declarations: [{ name: s.name, ...optional('type', s.type), initializer }],
  };
}

function method(m: MethodStructure): TsMorph.OptionalKind<TsMorph.MethodDeclarationStructure> {
  return {
    name: m.name,
    isStatic: m.isStatic ?? false,
    ...optional('docs', docs(m.docs)),
    parameters: parameters(m.parameters),
    ...optional('returnType', m.returnType),
    statements: [...m.statements],
  };
}

function classDecl(m: Morph, s: ClassDeclarationStructure): TsMorph.ClassDeclarationStructure {
  return {
    kind: m.StructureKind.Class,
    name: s.name,
    isExported: s.isExported ?? false,
    ...optional('docs', docs(s.docs)),
    ...optional('extends', s.extends),
    ctors: s.ctor ? [{ parameters: parameters(s.ctor.parameters), statements: [...s.ctor.statements] }] : [],
    methods: (s.methods ?? []).map(method),
  };
}

function statement(m: Morph, s: StatementStructures): MorphStatement {
  if (typeof s === 'string') return s;
  switch (s.kind) {
    case 'import':
      return importDecl(m, s);
    case 'interface':
      return interfaceDecl(m, s);
    case 'type':
      return typeAlias(m, s);
    case 'const':
      return variable(m, s);
    case 'class':
      return classDecl(m, s);
  }
}

/** A file's statements as ts-morph structures (code text stays text), for `createSourceFile`. */
export function morphStatements(m: Morph, statements: readonly StatementStructures[]): MorphStatement[] {
  return statements.map((s) => statement(m, s));
}
