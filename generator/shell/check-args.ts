/**
 * Checks a command's arguments against its schema type before anything is sent, and names
 * the path of each mistake in the friendly syntax's own form (`file.driver`, `keys.0.data`).
 * Receive leniently, send strictly: every member must be known, every required one there.
 */
import type { BuiltinType, Command, Type } from '../model/types.js';
import { isRecord, objectMembers, selectedBranch } from './schema-view.js';

export interface ArgumentProblem {
  /** Dotted path inside `arguments`; '' for the arguments object itself. */
  readonly path: string;
  readonly message: string;
}

const INT_RANGES: Partial<Record<BuiltinType['name'], readonly [number, number]>> = {
  int8: [-(2 ** 7), 2 ** 7 - 1],
  int16: [-(2 ** 15), 2 ** 15 - 1],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63],
  int: [-(2 ** 63), 2 ** 63],
  uint8: [0, 2 ** 8 - 1],
  uint16: [0, 2 ** 16 - 1],
  uint32: [0, 2 ** 32 - 1],
  uint64: [0, 2 ** 64],
  size: [0, 2 ** 64],
};

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function join(path: string, seg: string | number): string {
  return path ? `${path}.${seg}` : String(seg);
}

/** Problems with `args` for `command` (empty when they are fine). */
export function checkArguments(command: Command, args: Record<string, unknown> | undefined): ArgumentProblem[] {
  const problems: ArgumentProblem[] = [];
  if (!command.arguments) {
    if (args && Object.keys(args).length > 0) {
      problems.push({ path: Object.keys(args)[0], message: `'${command.name}' takes no arguments` });
    }
    return problems;
  }
  checkValue(args ?? {}, command.arguments, '', problems);
  return problems;
}

function checkValue(value: unknown, type: Type, path: string, out: ArgumentProblem[]): void {
  switch (type.kind) {
    case 'builtin':
      return checkBuiltin(value, type, path, out);
    case 'enum':
      if (typeof value !== 'string' || !type.values.some((v) => v.name === value)) {
        const names = type.values.map((v) => v.name);
        const list = names.length > 12 ? `${names.slice(0, 12).join(', ')} ... (${names.length} values)` : names.join(', ');
        out.push({ path, message: `expected one of ${list}; got ${show(value)}` });
      }
      return;
    case 'array':
      if (!Array.isArray(value)) {
        out.push({ path, message: `expected a list, got ${show(value)}` });
        return;
      }
      value.forEach((v, i) => checkValue(v, type.element, join(path, i), out));
      return;
    case 'struct':
    case 'union': {
      if (!isRecord(value)) {
        out.push({ path, message: `expected an object, got ${show(value)}` });
        return;
      }
      if (type.kind === 'union') {
        const tag = value[type.discriminator];
        if (tag !== undefined && !selectedBranch(type, value)) {
          checkValue(tag, type.discriminatorType, join(path, type.discriminator), out);
          return;
        }
      }
      const members = objectMembers(type, value);
      for (const key of Object.keys(value)) {
        if (!members.some((m) => m.name === key)) out.push({ path: join(path, key), message: 'no such member' });
      }
      for (const m of members) {
        if (m.name in value) checkValue(value[m.name], m.type, join(path, m.name), out);
        else if (!m.optional) out.push({ path: join(path, m.name), message: `missing (required, ${typeWord(m.type)})` });
      }
      return;
    }
    case 'alternate': {
      for (const alt of type.alternatives) {
        const trial: ArgumentProblem[] = [];
        checkValue(value, alt.type, path, trial);
        if (trial.length === 0) return;
      }
      // Report against the alternative of the same JSON kind, which is what the user meant.
      const same = type.alternatives.find((a) => jsonKindMatches(value, a.type));
      if (same) checkValue(value, same.type, path, out);
      else out.push({ path, message: `expected ${type.alternatives.map((a) => typeWord(a.type)).join(' or ')}, got ${show(value)}` });
      return;
    }
  }
}

function typeWord(type: Type): string {
  switch (type.kind) {
    case 'builtin':
      return type.name;
    case 'enum':
      return 'enum';
    case 'array':
      return 'list';
    case 'struct':
    case 'union':
      return 'object';
    case 'alternate':
      return type.alternatives.map((a) => typeWord(a.type)).join(' or ');
  }
}

function jsonKindMatches(value: unknown, type: Type): boolean {
  switch (type.kind) {
    case 'builtin':
      return type.jsonType === 'value' || typeof value === jsonTypeOf(type.jsonType);
    case 'enum':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'struct':
    case 'union':
      return isRecord(value);
    case 'alternate':
      return type.alternatives.some((a) => jsonKindMatches(value, a.type));
  }
}

function jsonTypeOf(t: BuiltinType['jsonType']): string {
  switch (t) {
    case 'int':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'null':
    case 'object':
    case 'array':
      return 'object';
    case 'value':
      return 'any';
  }
}

function checkBuiltin(value: unknown, type: BuiltinType, path: string, out: ArgumentProblem[]): void {
  switch (type.jsonType) {
    case 'string':
      if (typeof value !== 'string') out.push({ path, message: `expected a string, got ${show(value)}` });
      return;
    case 'boolean':
      if (typeof value !== 'boolean') out.push({ path, message: `expected true or false, got ${show(value)}` });
      return;
    case 'null':
      if (value !== null) out.push({ path, message: `expected null, got ${show(value)}` });
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) out.push({ path, message: `expected a number, got ${show(value)}` });
      return;
    case 'int': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        out.push({ path, message: `expected an integer (${type.name}), got ${show(value)}` });
        return;
      }
      const range = INT_RANGES[type.name];
      if (range && (value < range[0] || value > range[1])) {
        out.push({ path, message: `${value} is out of range for ${type.name}` });
      }
      return;
    }
    case 'object':
      if (!isRecord(value)) out.push({ path, message: `expected an object, got ${show(value)}` });
      return;
    case 'array':
      if (!Array.isArray(value)) out.push({ path, message: `expected a list, got ${show(value)}` });
      return;
    case 'value':
      return;
  }
}
