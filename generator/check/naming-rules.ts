/**
 * QAPI naming rules (QEMU's `expr.py` name checks and `common.c_name`).
 *
 * A name is letters, digits, `-` and `_`, starting with a letter, optionally prefixed by a
 * downstream `__RFQDN_` prefix and/or the experimental `x-` prefix (in that order). The
 * `q_` namespace is reserved for generated names.
 */
import { QapiError, type SourceInfo } from '../diagnostics.js';

const VALID_NAME = /^(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$/i;

/** QEMU's `c_name(name, protect=False)`: every character outside `[A-Za-z0-9_]` becomes `_`. */
export function cNameUnprotected(name: string): string {
  // Most names need no change: check with a loop before paying for a regex replace.
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const plain = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
    if (!plain) return name.replace(/[^A-Za-z0-9_]/g, '_');
  }
  return name;
}

const C_TICKLISH = new Set([
  // C89
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else',
  'enum', 'extern', 'float', 'for', 'goto', 'if', 'int', 'long', 'register', 'return',
  'short', 'signed', 'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned',
  'void', 'volatile', 'while',
  // C99, C11
  'inline', 'restrict', '_Bool', '_Complex', '_Imaginary', '_Alignas', '_Alignof', '_Atomic',
  '_Generic', '_Noreturn', '_Static_assert', '_Thread_local',
  // GCC
  'asm', 'typeof',
  // C++
  'bool', 'catch', 'class', 'const_cast', 'delete', 'dynamic_cast', 'explicit', 'false',
  'friend', 'mutable', 'namespace', 'new', 'operator', 'private', 'protected', 'public',
  'reinterpret_cast', 'static_cast', 'template', 'this', 'throw', 'true', 'try', 'typeid',
  'typename', 'using', 'virtual', 'wchar_t', 'and', 'and_eq', 'bitand', 'bitor', 'compl',
  'not', 'not_eq', 'or', 'or_eq', 'xor', 'xor_eq',
  // namespace pollution
  'unix', 'errno', 'mips', 'sparc', 'i386', 'linux',
]);

/** QEMU's `c_name(name)` (protected): also prefixes C/C++ keywords and leading digits with `q_`. */
export function cName(name: string): string {
  const n = cNameUnprotected(name);
  if (C_TICKLISH.has(n) || /^[0-9]/.test(n)) return 'q_' + n;
  return n;
}

export function checkNameIsStr(name: unknown, info: SourceInfo, source: string): asserts name is string {
  if (typeof name !== 'string') throw new QapiError(info, `${source} requires a string name`);
}

/** Checks the general name syntax; returns the stem (the name without prefixes). */
export function checkNameStr(name: string, info: SourceInfo, source: string): string {
  const m = VALID_NAME.exec(name);
  if (!m || cNameUnprotected(name).startsWith('q_')) {
    throw new QapiError(info, `${source} has an invalid name`);
  }
  return m[3]!;
}

/** Event names: no lowercase, no `-` in the stem. */
export function checkNameUpper(name: string, info: SourceInfo, source: string): void {
  const stem = checkNameStr(name, info, source);
  if (/[a-z-]/.test(stem)) {
    throw new QapiError(info, `name of ${source} must not use lowercase or '-'`);
  }
}

/** Command and member names: no uppercase, no `_` in the stem (unless permitted by pragma). */
export function checkNameLower(
  name: string,
  info: SourceInfo,
  source: string,
  permitUpper = false,
  permitUnderscore = false,
): void {
  const stem = checkNameStr(name, info, source);
  if ((!permitUpper && /[A-Z]/.test(stem)) || (!permitUnderscore && stem.includes('_'))) {
    throw new QapiError(info, `name of ${source} must not use uppercase or '_'`);
  }
}

/** Type names: CamelCase stem. */
export function checkNameCamel(name: string, info: SourceInfo, source: string): void {
  const stem = checkNameStr(name, info, source);
  if (!/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(stem)) {
    throw new QapiError(info, `name of ${source} must use CamelCase`);
  }
}

export function checkDefnNameStr(
  name: string,
  info: SourceInfo,
  meta: string,
  commandNameExceptions: ReadonlySet<string>,
): void {
  if (meta === 'event') {
    checkNameUpper(name, info, meta);
  } else if (meta === 'command') {
    checkNameLower(name, info, meta, false, commandNameExceptions.has(name));
  } else {
    checkNameCamel(name, info, meta);
    if (name.endsWith('List')) {
      throw new QapiError(info, `${meta} name should not end in 'List'`);
    }
  }
}
