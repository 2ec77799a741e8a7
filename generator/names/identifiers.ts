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

/** Text that needs no escape in either kind of literal (surrogates: JSON escapes lone ones). */
const PLAIN = /^[^'"\\\u0000-\u001f\u2028\u2029\ud800-\udfff]*$/;

/**
 * A string literal for any text, single-quoted unless `quote` says otherwise. JSON's escapes
 * cover backslashes and control characters; inside single quotes `"` needs none and `'` gets
 * one. U+2028/U+2029 are escaped too so the literal is safe in every JavaScript version.
 */
export function stringLiteral(s: string, quote: "'" | '"' = "'"): string {
  if (PLAIN.test(s)) return `${quote}${s}${quote}`; // nothing to escape: most wire names
  let text = JSON.stringify(s);
  if (quote === "'") text = `'${text.slice(1, -1).replace(/\\.|'/g, (m) => (m === '\\"' ? '"' : m === "'" ? "\\'" : m))}'`;
  return text.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The word rules shared with the runtime (it derives method names from wire names). */
export { camelCase, nameWords, splitDownstream, type SplitName } from '../../runtime/symbols.js';
import { nameWords, splitDownstream } from '../../runtime/symbols.js';

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
