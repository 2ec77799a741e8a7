/**
 * String-level rules for turning QAPI names into TypeScript identifiers and property keys.
 * Pure functions; the naming pass (`./index.ts`) decides which rule applies to which node.
 */

/** Words that cannot name a binding (type, interface, const) in strict-mode ES modules or TypeScript types. */
const RESERVED_BINDINGS: ReadonlySet<string> = new Set([
  // ECMAScript keywords and literals
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in',
  'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try',
  'typeof', 'var', 'void', 'while', 'with', 'yield', 'enum', 'await',
  // strict mode / module reserved words
  'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static',
  'eval', 'arguments',
  // TypeScript names that cannot be a type's name
  'any', 'unknown', 'never', 'string', 'number', 'boolean', 'symbol', 'object', 'bigint',
  'undefined', 'type', 'keyof', 'infer', 'is', 'asserts', 'readonly', 'unique', 'satisfies',
  'declare', 'module', 'namespace', 'abstract', 'as', 'from', 'of', 'get', 'set', 'async',
  'accessor', 'override', 'out', 'intrinsic', 'require', 'constructor',
  // a module-level binding with this name would hide the way out to shadowed globals
  'globalThis',
]);

/** Property names that must not become command methods on the client object. */
export const OBJECT_MEMBER_NAMES: ReadonlySet<string> = new Set([
  // Object.prototype
  'constructor', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__',
  '__lookupSetter__', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable',
  'toLocaleString', 'toString', 'valueOf',
  // would make the client a thenable / change how it serialises
  'then', 'toJSON',
]);

/**
 * The members of TypeScript's `Object` interface. An object literal that leaves out an
 * optional member of one of these names still "has" it (TypeScript looks it up on
 * `Object`), so such a member's type must admit `Object`'s own.
 */
export const OBJECT_INTERFACE_MEMBERS: ReadonlySet<string> = new Set([
  'constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf',
  'propertyIsEnumerable',
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** True when `s` is an ASCII JavaScript identifier name (keywords included). */
export function isIdentifierName(s: string): boolean {
  return IDENTIFIER.test(s);
}

/** Appends `$` to a reserved word so it can name a binding. */
export function safeBindingName(s: string): string {
  return RESERVED_BINDINGS.has(s) ? `${s}$` : s;
}

/**
 * A property key for a type literal or interface: bare when it is an identifier name,
 * otherwise a double-quoted JSON string. `__proto__` is quoted too: inert in types, and
 * the quoting makes it visible to readers.
 */
export function propertyKey(wireName: string): string {
  return isIdentifierName(wireName) && wireName !== '__proto__' ? wireName : stringLiteral(wireName);
}

/** A string literal for any text (defined with the other rules for schema text in code). */
export { stringLiteral } from '../emit/schema-text.js';
import { stringLiteral } from '../emit/schema-text.js';

/** The word rules shared with the runtime (it derives method names from wire names). */
export { camelCase, nameWords, splitDownstream, type SplitName } from '@qmp-ts/runtime/internal';
import { nameWords, splitDownstream } from '@qmp-ts/runtime/internal';

function capitalize(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/**
 * PascalCase for type names. Names already in CamelCase keep their inner capitals
 * (`QKeyCode`, `BlockdevOptions`); all-capital words (event names) are lowered first
 * (`BLOCK_JOB_COMPLETED` -> `BlockJobCompleted`, `SHUTDOWN-arg-reason` ->
 * `ShutdownArgReason`); kebab or snake words are joined (`query-status-result` ->
 * `QueryStatusResult`). A downstream prefix stays in front.
 */
export function pascalCase(name: string): string {
  const { prefix, rest } = splitDownstream(name);
  return prefix + nameWords(rest).map(capitalize).join('');
}
