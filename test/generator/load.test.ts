/**
 * `loadSchema` picks the reader by name and content: QAPI source, YAML, or
 * `query-qmp-schema` introspection JSON (including a QAPI file that merely starts with `[`,
 * which must still reach the QAPI reader for QEMU's error).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QapiError } from '../../generator/diagnostics.js';
import { detectFormat, loadSchema, validateSchemaFile } from '../../generator/load.js';
import { tempSchemaDir } from '../support/schema-files.js';
import { repoRoot } from '../support/paths.js';

const capture = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');

describe('loadSchema format detection', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    cleanup = undefined;
  });

  it('reads QAPI source, YAML and introspection JSON', () => {
    const t = tempSchemaDir({
      'a.json': "{ 'enum': 'Colour', 'data': [ 'red' ] }\n",
      'b.yaml': '- enum: Colour\n  data: [ red, green ]\n',
      'c.json': '[\n  { "name": "Colour", "meta-type": "enum", "values": ["red"], "members": [{"name": "red"}] },\n' +
        '  { "name": "query-colour", "meta-type": "command", "arg-type": "0", "ret-type": "Colour", "allow-oob": false },\n' +
        '  { "name": "0", "meta-type": "object", "members": [] }\n]\n',
      'd.json': '{"return": []}\n',
      'e.json': "['not', 'introspection']\n",
    });
    cleanup = t.cleanup;
    const at = { cwd: t.dir };
    expect(detectFormat('a.json', t.dir)).toBe('qapi');
    expect(detectFormat('b.yaml', t.dir)).toBe('yaml');
    expect(detectFormat('c.json', t.dir)).toBe('introspection');
    expect(detectFormat('d.json', t.dir)).toBe('introspection');
    expect(detectFormat('e.json', t.dir)).toBe('qapi');

    expect(loadSchema('a.json', at).source.format).toBe('qapi');
    const yaml = loadSchema('b.yaml', at);
    expect(yaml.source.format).toBe('yaml');
    expect(yaml.types.get('Colour')?.kind).toBe('enum');
    const intro = loadSchema('c.json', at);
    expect(intro.source.format).toBe('introspection');
    expect(intro.commands.get('query-colour')?.returns?.name).toBe('Colour');
    // A QAPI file starting with '[' gets QEMU's own error, not a JSON parse error.
    let err: unknown;
    try {
      loadSchema('e.json', at);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QapiError);
    expect((err as QapiError).message).toBe('e.json:1: top-level expression must be an object');
  });

  it.skipIf(!existsSync(capture))('validates the project’s QEMU 7.2 capture', () => {
    expect(validateSchemaFile(capture).counts).toMatchObject({ commands: 216, events: 52 });
  });
});
