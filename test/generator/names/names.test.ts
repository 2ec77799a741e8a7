/**
 * The naming pass: QMP names to TypeScript identifiers, reserved words, downstream
 * prefixes, and clashes as located errors naming both definitions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { loadSchema } from '../../../generator/load.js';
import { select } from '../../../generator/emit/select.js';
import {
  camelCase,
  DEFAULT_FIXED_NAMES,
  nameSchema,
  pascalCase,
  propertyKey,
  safeBindingName,
  splitDownstream,
  stringLiteral,
} from '../../../generator/names/index.js';

const fixture = (name: string): string => `test/fixtures/names/${name}.json`;
/** The value of a JavaScript expression (the literal under test). */
const evaluate = (expression: string): unknown => new Function(`return ${expression};`)();

function names(file: string) {
  const schema = loadSchema(file);
  const sel = select(schema);
  return { schema, sel, names: nameSchema(schema, sel.types, sel.commands) };
}

describe('string rules', () => {
  it('camel-cases command names, keeping downstream prefixes as QEMU maps them', () => {
    expect(camelCase('query-status')).toBe('queryStatus');
    expect(camelCase('x-debug-query-block-graph')).toBe('xDebugQueryBlockGraph');
    expect(camelCase('set_password')).toBe('setPassword');
    expect(camelCase('__com.redhat_drive-add')).toBe('__com_redhat_driveAdd');
    expect(camelCase('guest-sync-delimited')).toBe('guestSyncDelimited');
  });

  it('pascal-cases type and event names', () => {
    expect(pascalCase('BlockdevOptions')).toBe('BlockdevOptions');
    expect(pascalCase('QKeyCode')).toBe('QKeyCode');
    expect(pascalCase('BLOCK_JOB_COMPLETED')).toBe('BlockJobCompleted');
    expect(pascalCase('query-status-result')).toBe('QueryStatusResult');
    expect(pascalCase('SHUTDOWN-arg-reason')).toBe('ShutdownArgReason');
    expect(pascalCase('__com.example_Drive')).toBe('__com_example_Drive');
    expect(pascalCase('__com.example_DRIVE_ADDED')).toBe('__com_example_DriveAdded');
  });

  it('splits only a real downstream prefix', () => {
    expect(splitDownstream('__com.redhat_drive-add')).toEqual({ prefix: '__com_redhat_', rest: 'drive-add' });
    expect(splitDownstream('query-status')).toEqual({ prefix: '', rest: 'query-status' });
  });

  it('suffixes reserved words and quotes keys that are not identifiers', () => {
    expect(safeBindingName('default')).toBe('default$');
    expect(safeBindingName('arguments')).toBe('arguments$');
    expect(safeBindingName('String')).toBe('String');
    expect(propertyKey('node-name')).toBe("'node-name'");
    expect(propertyKey('default')).toBe('default');
    expect(propertyKey('__proto__')).toBe("'__proto__'");
    expect(propertyKey('0')).toBe("'0'");
  });

  it('makes string literals that cannot end early', () => {
    const nasty = 'a"b\\c\u2028d${x}`</script>\\';
    const lit = stringLiteral(nasty);
    expect(lit).not.toMatch(/\u2028|`|\$\{|<\/script|\\'$/);
    expect(new Function(`return ${lit};`)()).toBe(nasty);
  });
});

describe('the naming pass', () => {
  it('names implicit types after their command or event, and keeps odd schema names usable', () => {
    const { schema, names: n } = names(fixture('odd-names'));
    const type = (name: string) => {
      const t = schema.types.get(name);
      if (!t || t.kind === 'builtin' || t.kind === 'array') throw new Error(name);
      return n.typeName(t);
    };
    expect(type('String')).toBe('String');
    expect(type('Object')).toBe('Object');
    expect(type('__com.example_Object')).toBe('__com_example_Object');
    expect(type('q_obj_set_level-arg')).toBe('SetLevelArguments');
    expect(type('q_obj_OBJECT_CREATED-arg')).toBe('ObjectCreatedEvent');
    const method = (name: string) => n.methodName(schema.commands.get(name)!);
    expect(method('set_level')).toBe('setLevel');
    expect(method('x-debug-level')).toBe('xDebugLevel');
    expect(method('__com.example_drive-add')).toBe('__com_example_driveAdd');
    // members of the typed client and thenable-making names get a `$`
    expect(method('close')).toBe('close$');
    expect(method('then')).toBe('then$');
    expect(method('execute')).toBe('execute$');
    // a keyword is a fine property name
    expect(method('delete')).toBe('delete');
    expect(n.runtime('JsonValue')).toBe('$JsonValue');
  });

  it('reports two commands with the same method name as a located error naming both', () => {
    let err: unknown;
    try {
      names(fixture('clash-commands'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QapiError);
    const msg = (err as QapiError).message;
    expect(msg).toContain(`${fixture('clash-commands')}:4:`);
    expect(msg).toContain("command 'a_b' and command 'a-b' at");
    expect(msg).toContain(`${fixture('clash-commands')}:3`);
    expect(msg).toContain("method name 'aB'");
  });

  it('reports an implicit type named like an explicit one, naming both', () => {
    expect(() => names(fixture('clash-types'))).toThrowError(
      /clash-types\.json:4: the arguments of command 'do-it' and struct 'DoItArguments' at .*clash-types\.json:3 both map to the TypeScript name 'DoItArguments'/,
    );
  });

  it('reports a schema type named like a generated declaration', () => {
    const { schema, sel } = names(fixture('odd-names'));
    expect(() => nameSchema(schema, sel.types, sel.commands, {
      commands: 'QmpCommands', events: 'QmpEvents', event: 'QmpEvent', methods: 'QmpCommandMethods',
      client: 'String', commandTable: 'table',
    })).toThrowError(/odd-names\.json:5: struct 'String' and generated 'client' both map to the TypeScript name 'String'/);
  });

  it('rejects a configured declaration name that is not an identifier', () => {
    const { schema, sel } = names(fixture('odd-names'));
    for (const client of ['X*/Y', 'default', 'a b']) {
      expect(() => nameSchema(schema, sel.types, sel.commands, { ...DEFAULT_FIXED_NAMES, client })).toThrowError(
        `the name '${client}' given for the client declaration is not a TypeScript identifier`,
      );
    }
  });

  it('names every type and command of the real schemas without a clash', () => {
    for (const file of [
      'vendor/qemu/qemu-10.2/qapi/qapi-schema.json',
      'vendor/qemu/qemu-10.2/qga/qapi-schema.json',
      'vendor/qemu/qemu-9.2/qapi/qapi-schema.json',
      'schema/qemu-7.2-x86_64.introspection.json',
    ]) {
      const { schema, sel, names: n } = names(file);
      expect(sel.commands.length).toBe(schema.commands.size);
      const ids = new Set(sel.types.map((t) => n.typeName(t)));
      expect(ids.size).toBe(sel.types.length);
      const methods = new Set(sel.commands.map((c) => n.methodName(c)));
      expect(methods.size).toBe(sel.commands.length);
    }
  });
});
