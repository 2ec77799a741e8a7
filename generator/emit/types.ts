/**
 * Declarations of the schema's named types:
 * - enum: a string-literal union plus a same-named `as const` array of its values;
 * - struct: an interface (`extends` its base), optional members with `?`;
 * - union: a discriminated union; each branch is the base with the discriminator narrowed
 *   to one value, intersected with the branch's struct (every value has a branch);
 * - alternate: a union of its alternatives.
 * Member keys and enum values are wire names, quoted when they are not identifiers.
 */
import type { InterfaceDeclarationStructure, PropertySignatureStructure, StatementStructures, TypeNode } from './structures.js';
import type { AlternateType, EnumType, Member, StructType, UnionType } from '../model/types.js';
import type { NamedType } from '../names/index.js';
import { OBJECT_INTERFACE_MEMBERS, propertyKey, stringLiteral } from '../names/index.js';
import { conditionProse, dedentContinuation, docs, generatorDocs } from './docs.js';
import type { FileScope } from './scope.js';

export function memberSignature(scope: FileScope, m: Member): PropertySignatureStructure {
  const type = scope.typeExpr(m.type);
  return {
    name: propertyKey(m.name),
    // `{}` lacks an optional `toString?: string` only if `Object`'s toString fits it too.
    // Written `{}[...]` (a type literal: Object's members), never `Object[...]`, which a
    // schema type named `Object` would shadow.
    type: m.optional && OBJECT_INTERFACE_MEMBERS.has(m.name) ? `${type} | {}[${stringLiteral(m.name)}]` : type,
    hasQuestionToken: m.optional,
    docs: docs({ ...(m.doc !== undefined ? { doc: m.doc } : {}), features: m.features, ...(m.condition !== undefined ? { condition: m.condition } : {}) }),
  };
}

function nodeDocs(t: NamedType, notes?: readonly string[]) {
  return docs({
    ...(t.doc ? { doc: t.doc } : {}),
    features: t.features,
    ...(t.condition !== undefined ? { condition: t.condition } : {}),
    ...(notes ? { notes } : {}),
  });
}

function enumDecls(scope: FileScope, t: EnumType): StatementStructures[] {
  const name = scope.names.typeName(t);
  const values = t.values.map((v) => stringLiteral(v.name));
  const valueDocs = t.values
    .filter((v) => v.doc || v.features.length > 0 || v.condition !== undefined)
    .map((v) => {
      const marks = [
        ...v.features.map((f) => (f.name === 'deprecated' ? 'deprecated' : f.name === 'unstable' ? 'experimental' : `feature ${f.name}`)),
        ...(v.condition !== undefined ? [`only if ${conditionProse(v.condition)}`] : []),
      ];
      // raw text: the note is made inert once, by jsDoc
      const text = v.doc?.trim() ? dedentContinuation(v.doc.trim()).replace(/\n/g, '\n  ') : '';
      return `- ${stringLiteral(v.name)}${text ? `: ${text}` : ''}${marks.length ? ` (${marks.join('; ')})` : ''}`;
    });
  const typeDocs = nodeDocs(t, valueDocs.length > 0 ? [`Values:\n${valueDocs.join('\n')}`] : undefined);
  return [
    {
      kind: 'type',
      name,
      isExported: true,
      type: values.length > 0 ? { kind: 'union', members: values } : 'never',
      docs: typeDocs,
    },
    {
      kind: 'const',
      name,
      isExported: true,
      docs: generatorDocs(`Every value of {@link ${name}}, in schema order.`),
      initializer: { kind: 'array', elements: values, suffix: ' as const' },
    },
  ];
}

/** What the generator can say about an implicit type the schema does not document. */
function implicitNotes(scope: FileScope, t: StructType | UnionType): string[] {
  const user = scope.names.ownerOf(t);
  if (user) return [user.kind === 'command' ? `The arguments of command \`${user.name}\`.` : `The data of event \`${user.name}\`.`];
  const base = /^q_obj_(.+)-base$/s.exec(t.name);
  if (base) return [`The members common to every branch of \`${base[1]}\`.`];
  return [];
}

export function structDecl(scope: FileScope, t: StructType, notes?: readonly string[]): InterfaceDeclarationStructure {
  notes = [...implicitNotes(scope, t), ...(notes ?? [])];
  return {
    kind: 'interface',
    name: scope.names.typeName(t),
    isExported: true,
    extends: t.base ? [scope.typeExpr(t.base)] : [],
    properties: t.ownMembers.map((m) => memberSignature(scope, m)),
    docs: nodeDocs(t, notes.length > 0 ? notes : undefined),
  };
}

function unionDecl(scope: FileScope, t: UnionType): StatementStructures {
  const base = scope.typeExpr(t.base);
  const key = propertyKey(t.discriminator);
  const branches = t.branches.map((b) => {
    const parts: TypeNode[] = [base, { kind: 'object', members: [{ name: key, type: stringLiteral(b.value) }] }];
    if (b.type.name !== 'q_empty') parts.push(scope.typeExpr(b.type));
    return { kind: 'intersection', parts } as const;
  });
  return {
    kind: 'type',
    name: scope.names.typeName(t),
    isExported: true,
    type: branches.length === 0 ? 'never' : branches.length === 1 ? branches[0]! : { kind: 'union', members: branches },
    docs: nodeDocs(t, [...implicitNotes(scope, t), `Discriminated by \`${t.discriminator}\`.`, ...branchConditions(t)]),
  };
}

/** Branches that exist only under a condition, as one note. */
function branchConditions(t: UnionType): string[] {
  const lines = t.branches
    .filter((b) => b.condition !== undefined)
    .map((b) => `- ${stringLiteral(b.value)}: only if ${conditionProse(b.condition!)}`);
  return lines.length > 0 ? [`Conditional branches:\n${lines.join('\n')}`] : [];
}

function alternateDecl(scope: FileScope, t: AlternateType): StatementStructures {
  const alts = t.alternatives.map((a) => scope.typeExpr(a.type));
  return {
    kind: 'type',
    name: scope.names.typeName(t),
    isExported: true,
    type: alts.length > 0 ? { kind: 'union', members: alts } : 'never',
    docs: nodeDocs(t),
  };
}

/** The declaration(s) of one named type. */
export function typeDecls(scope: FileScope, t: NamedType): StatementStructures[] {
  switch (t.kind) {
    case 'enum':
      return enumDecls(scope, t);
    case 'struct':
      return [structDecl(scope, t)];
    case 'union':
      return [unionDecl(scope, t)];
    case 'alternate':
      return [alternateDecl(scope, t)];
  }
}
