/**
 * The declarations a generated file is built from, in bulk, then printed by `print.ts`.
 * Shaped like ts-morph's structures (same field names), restricted to what the emitter
 * writes, so that printing needs neither ts-morph nor a formatter.
 *
 * A type is text, or a group the printer may lay out over several lines when it does not
 * fit the line (object type literals, type arguments, unions).
 */

export type TypeNode = string | ObjectType | GenericType | UnionType | IntersectionType;

/** `{ a: A; b?: B }`. */
export interface ObjectType {
  readonly kind: 'object';
  readonly members: readonly { readonly name: string; readonly type: TypeNode; readonly optional?: boolean }[];
}

/** `Name<A, B>`. */
export interface GenericType {
  readonly kind: 'generic';
  readonly name: string;
  readonly args: readonly TypeNode[];
}

/** `A | B`: on one line when it fits, else one member a line (intersections in parentheses). */
export interface UnionType {
  readonly kind: 'union';
  readonly members: readonly TypeNode[];
}

/** `A & { k: 'v' } & B`: when it does not fit, its object types are broken over lines. */
export interface IntersectionType {
  readonly kind: 'intersection';
  readonly parts: readonly TypeNode[];
}

/**
 * A doc comment: its whole text, built and made inert by docs.ts / schema-text.ts. The
 * printer only puts ` * ` before each line; it never reads tags or markup out of it.
 */
export type DocText = string;

interface Declaration {
  readonly name: string;
  readonly isExported?: boolean;
  readonly docs?: readonly DocText[];
}

export interface ImportSpecifier {
  readonly name: string;
  readonly alias?: string;
  readonly isTypeOnly?: boolean;
}

export interface ImportDeclarationStructure {
  readonly kind: 'import';
  readonly moduleSpecifier: string;
  readonly isTypeOnly?: boolean;
  readonly namedImports: readonly (ImportSpecifier | string)[];
}

export interface PropertySignatureStructure {
  readonly name: string;
  readonly type: TypeNode;
  readonly hasQuestionToken?: boolean;
  readonly isReadonly?: boolean;
  readonly docs?: readonly DocText[];
}

export interface InterfaceDeclarationStructure extends Declaration {
  readonly kind: 'interface';
  readonly extends?: readonly string[];
  readonly properties?: readonly PropertySignatureStructure[];
}

export interface TypeAliasDeclarationStructure extends Declaration {
  readonly kind: 'type';
  readonly type: TypeNode;
}

/** `const NAME = initializer;` where the initializer is code text or an array literal. */
export interface VariableStatementStructure extends Declaration {
  readonly kind: 'const';
  readonly type?: string;
  readonly initializer: string | ArrayInitializer;
}

/** `[a, b, c]` followed by `suffix` (e.g. ` as const`): one line when it fits, else one element a line. */
export interface ArrayInitializer {
  readonly kind: 'array';
  /** Text before `[`, e.g. a call `f<T>(`. */
  readonly prefix?: string;
  readonly elements: readonly string[];
  /** Text after `]`, e.g. `)` or ` as const`. */
  readonly suffix?: string;
}

export interface ParameterStructure {
  readonly name: string;
  readonly type: string;
  /** Default value (code text). */
  readonly initializer?: string;
}

/** A method with a body of code statements. */
export interface MethodStructure {
  readonly name: string;
  readonly isStatic?: boolean;
  readonly docs?: readonly DocText[];
  readonly parameters: readonly ParameterStructure[];
  readonly returnType?: string;
  readonly statements: readonly string[];
}

export interface ClassDeclarationStructure extends Declaration {
  readonly kind: 'class';
  readonly extends?: string;
  readonly ctor?: { readonly parameters: readonly ParameterStructure[]; readonly statements: readonly string[] };
  readonly methods?: readonly MethodStructure[];
}

/** A statement: a declaration, or code text printed as it is. */
export type StatementStructures =
  | ImportDeclarationStructure
  | InterfaceDeclarationStructure
  | TypeAliasDeclarationStructure
  | VariableStatementStructure
  | ClassDeclarationStructure
  | string;
