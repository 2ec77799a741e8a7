/**
 * `qmp-ts init`: a starter config that the parser and the JSON Schema both accept, whose
 * modeline points at the schema the npm package ships, that `generate` runs from, and that
 * is never written over an existing file.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_PATH } from '../../cli/commands/init.js';
import { readConfig } from '../../generator/config.js';
import { runCli } from '../support/cli.js';
import { repoRoot as repo } from '../support/paths.js';

const CAPTURE_72 = join(repo, 'schema/qemu-7.2-x86_64.introspection.json');
const work = join(repo, 'tmp', `init-test-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const validate = new Ajv().compile(JSON.parse(readFileSync(join(repo, 'qmp-ts.config.schema.json'), 'utf8')) as object);

function fresh(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return join(dir, 'qmp-ts.config.yaml');
}

describe('qmp-ts init', () => {
  it('writes a default starter that both the schema and the parser accept', async () => {
    const config = fresh('default');
    expect(await runCli(['init', '--config', config])).toEqual({ code: 0, stderr: `${config}: written; edit it, then run 'qmp-ts generate'\n` });
    const text = readFileSync(config, 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${CONFIG_SCHEMA_PATH}`);
    expect(validate(parse(text))).toBe(true);
    expect(readConfig(config)).toEqual([{ fromQemu: { binary: 'qemu-system-x86_64' }, output: join(work, 'default/src/qmp') }]);
    // the selection example is there, commented out
    expect(text).toMatch(/^# commands:\n#   include: \["query-\*", "blockdev-\*"\]/m);
  });

  it('points the modeline at a file the qmp-ts npm package ships', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name: string; files: string[] };
    const prefix = `./node_modules/${pkg.name}/`;
    expect(CONFIG_SCHEMA_PATH.startsWith(prefix)).toBe(true);
    const shipped = CONFIG_SCHEMA_PATH.slice(prefix.length);
    expect(pkg.files).toContain(shipped);
    expect(() => readFileSync(join(repo, shipped))).not.toThrow();
  });

  it('takes the input, output and selection flags, and generate runs from the result', async () => {
    const config = fresh('flags');
    const args = ['init', '--config', config, '--introspection', CAPTURE_72, '--out', 'bindings', '--include', 'query-status', 'stop', '--include-events', 'STOP'];
    expect((await runCli(args)).code).toBe(0);
    expect(validate(parse(readFileSync(config, 'utf8')))).toBe(true);
    expect(readConfig(config)).toEqual([
      expect.objectContaining({
        introspection: CAPTURE_72,
        output: join(work, 'flags/bindings'),
        commands: expect.objectContaining({ include: ['query-status', 'stop'] }),
        events: expect.objectContaining({ include: ['STOP'] }),
      }),
    ]);
    expect((await runCli(['generate', '--config', config])).code).toBe(0);
    expect(readFileSync(join(work, 'flags/bindings/commands.ts'), 'utf8')).toMatch(/'query-status': \{/);
  }, 120_000);

  it('refuses to overwrite an existing file', async () => {
    const config = fresh('exists');
    writeFileSync(config, 'mine\n');
    expect(await runCli(['init', '--config', config])).toEqual({ code: 1, stderr: `qmp-ts: ${config} already exists; not overwritten\n` });
    expect(readFileSync(config, 'utf8')).toBe('mine\n');
  });

  it('rejects two inputs as a usage error', async () => {
    const config = fresh('two');
    const r = await runCli(['init', '--config', config, '--schema', 'a.json', '--introspection', 'b.json']);
    expect(r).toEqual({ code: 2, stderr: 'error: give only one of --schema, --introspection, --from-qemu, --socket or --tcp\n' });
    const live = await runCli(['init', '--config', fresh('socket'), '--socket', '/run/qemu/qmp.sock']);
    expect(live.code).toBe(2);
    expect(live.stderr).toMatch(/^error: a config cannot name a running socket/);
  });
});
