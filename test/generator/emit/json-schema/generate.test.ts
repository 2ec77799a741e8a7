/**
 * `qmp-ts generate --json-schema DIR` and the `jsonSchema` config key: both flavours are
 * written, compile with ajv, and `--check` sees them as up to date afterwards.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../../cli/main.js';
import { readConfig } from '../../../../generator/config.js';
import { JSON_SCHEMA_FILES } from '../../../../generator/emit/json-schema/files.js';
import { repoRoot as repo } from '../../../support/paths.js';

const work = join(repo, 'tmp', `jsonschema-generate-${process.pid}`);
const runtime = '../../../../runtime/index.js';
const introspection = join(repo, 'schema/qemu-7.2-x86_64.introspection.json');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('generate --json-schema', () => {
  it('writes the strict and lenient documents next to the bindings; --check then finds nothing to do', async () => {
    const out = join(work, 'bindings');
    const dir = join(work, 'schema');
    const argv = ['generate', '--introspection', introspection, '--out', out, '--runtime', runtime, '--json-schema', dir];
    expect(await main(argv)).toBe(0);
    for (const file of Object.values(JSON_SCHEMA_FILES)) {
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { $schema: string; $defs: Record<string, unknown> };
      expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      const ajv = new Ajv2020({ strict: false });
      ajv.addSchema(doc, 'qmp');
      const validate = ajv.getSchema('qmp#/$defs/command:blockdev-add:arguments')!;
      expect(validate({ driver: 'null-co', 'node-name': 'n' })).toBe(true);
      expect(validate({ 'node-name': 'n' })).toBe(false);
    }
    expect(await main([...argv, '--check'])).toBe(0);
    writeFileSync(join(dir, JSON_SCHEMA_FILES.strict), '{}');
    expect(await main([...argv, '--check'])).toBe(1);
  }, 180_000);

  it('reads jsonSchema, bigint and validators from the config file, relative to it', () => {
    mkdirSync(work, { recursive: true });
    const config = join(work, 'qmp-ts.config.yaml');
    writeFileSync(config, `introspection: ${introspection}\noutput: out\njsonSchema: schema-out\nbigint: true\nvalidators: false\n`);
    expect(readConfig(config)).toEqual([expect.objectContaining({ jsonSchema: join(work, 'schema-out'), bigint: true, validators: false })]);
    writeFileSync(config, `introspection: ${introspection}\noutput: out\nbigint: yes-please\n`);
    expect(() => readConfig(config)).toThrow(/bigint.*expected true or false/);
    expect(existsSync(join(work, 'schema-out'))).toBe(false);
  });
});
