/**
 * A small hand-built model for the shell's unit tests: a few commands shaped like QEMU's
 * (query-status, stop, a flat union like blockdev-add, lists, alternates, enums).
 */
import type {
  AlternateType, ArrayType, BuiltinName, BuiltinType, Command, EnumType, JsonType, Member, Schema, StructType, Type, UnionType,
} from '../../generator/model/types.js';
import { shellSchema, type ShellSchema } from '../../tools/shell/schema-view.js';

const common = { features: [], implicit: false } as const;

export function builtin(name: BuiltinName, jsonType: JsonType): BuiltinType {
  return { kind: 'builtin', name, jsonType, ...common };
}
export const str = builtin('str', 'string');
export const int = builtin('int', 'int');
export const uint8 = builtin('uint8', 'int');
export const size = builtin('size', 'int');
export const bool = builtin('bool', 'boolean');
export const num = builtin('number', 'number');
export const anyT = builtin('any', 'value');

export function enumT(name: string, values: string[]): EnumType {
  return { kind: 'enum', name, values: values.map((v) => ({ name: v, features: [] })), ...common };
}
export function member(name: string, type: Type, optional = false, doc?: string): Member {
  return { name, type, optional, features: [], ...(doc ? { doc } : {}) };
}
export function struct(name: string, members: Member[], base?: StructType): StructType {
  return { kind: 'struct', name, ownMembers: members, members: [...(base?.members ?? []), ...members], ...(base ? { base } : {}), ...common };
}
export function arrayOf(element: Type): ArrayType {
  return { kind: 'array', name: `${element.name}List`, element, ...common, implicit: true };
}
export function union(name: string, base: StructType, discriminator: string, branches: Record<string, StructType>): UnionType {
  const tag = base.members.find((m) => m.name === discriminator)?.type as EnumType;
  const empty = struct('q_empty', []);
  return {
    kind: 'union', name, base, members: base.members, discriminator, discriminatorType: tag,
    branches: tag.values.map((v) => ({ value: v.name, type: branches[v.name] ?? empty })), ...common,
  };
}
export function alternate(name: string, alts: Type[]): AlternateType {
  return { kind: 'alternate', name, alternatives: alts.map((t) => ({ name: t.name, type: t })), ...common };
}
export function command(name: string, args?: StructType | UnionType, returns?: Type, doc?: string): Command {
  return {
    kind: 'command', name, ...(args ? { arguments: args } : {}), implicitArguments: true, boxed: false,
    ...(returns ? { returns } : {}), successResponse: true, allowOob: false, allowPreconfig: false, coroutine: false, gen: true,
    ...common, ...(doc ? { doc: { body: doc, sections: [] } } : {}),
  };
}

export const runState = enumT('RunState', ['debug', 'inmigrate', 'paused', 'running', 'shutdown']);
export const statusInfo = struct('StatusInfo', [member('running', bool), member('status', runState)]);
export const driver = enumT('BlockdevDriver', ['file', 'null-co', 'qcow2', 'raw']);
export const detectZeroes = enumT('BlockdevDetectZeroesOptions', ['off', 'on', 'unmap']);
export const fileOpts = struct('BlockdevOptionsFile', [member('filename', str), member('locking', enumT('OnOffAuto', ['auto', 'on', 'off']), true)]);
export const nullOpts = struct('BlockdevOptionsNull', [member('size', size, true), member('latency-ns', uint8, true)]);
export const blockdevBase = struct('q_obj_BlockdevOptions-base', [
  member('driver', driver), member('node-name', str, true), member('read-only', bool, true), member('detect-zeroes', detectZeroes, true),
]);
// A recursive reference like QEMU's BlockdevRef: an object or a node name.
const qcow2Opts: { -readonly [K in keyof StructType]: StructType[K] } = struct('BlockdevOptionsQcow2', []);
export const blockdevOptions = union('BlockdevOptions', blockdevBase, 'driver', { file: fileOpts, 'null-co': nullOpts, qcow2: qcow2Opts });
export const blockdevRef = alternate('BlockdevRef', [blockdevOptions, str]);
qcow2Opts.ownMembers = [member('file', blockdevRef), member('cache-size', size, true)];
qcow2Opts.members = qcow2Opts.ownMembers;

export const keyValue = struct('KeyValue', [member('type', enumT('KeyValueKind', ['number', 'qcode'])), member('data', alternate('KeyData', [int, str]))]);
export const sendKeyArgs = struct('q_obj_send-key-arg', [member('keys', arrayOf(keyValue)), member('hold-time', int, true)]);
export const setLinkArgs = struct('q_obj_set_link-arg', [member('name', str, false, 'the device name'), member('up', bool, false, 'true to set the link up')]);
export const balloonArgs = struct('q_obj_balloon-arg', [member('value', int)]);
export const qomSetArgs = struct('q_obj_qom-set-arg', [member('path', str), member('property', str), member('value', anyT)]);
export const scaleArgs = struct('q_obj_x-scale-arg', [member('factor', num), member('tags', arrayOf(str), true)]);

export const commands: Command[] = [
  command('query-status', undefined, statusInfo, 'Query the run status of the VM.'),
  command('query-stats'),
  command('stop'),
  command('cont'),
  command('blockdev-add', blockdevOptions),
  command('send-key', sendKeyArgs),
  command('set_link', setLinkArgs, undefined, 'Sets the link status of a virtual network adapter.'),
  command('balloon', balloonArgs),
  command('qom-set', qomSetArgs),
  command('x-scale', scaleArgs),
];

export const model: Schema = {
  source: { format: 'introspection', files: ['fixture'], hash: '' },
  entities: commands,
  types: new Map(),
  commands: new Map(commands.map((c) => [c.name, c])),
  events: new Map(),
  pragmas: { docRequired: false, commandNameExceptions: [], commandReturnsExceptions: [], documentationExceptions: [], memberNameExceptions: [] },
};

export const fixture: ShellSchema = shellSchema(model);
