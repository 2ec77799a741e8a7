/**
 * The CLI's error path never prints schema text raw: a type name holding a title-setting
 * escape sequence and a right-to-left override is shown escaped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runCliOutput } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'qmp-ts-cli-escapes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('qmp-ts check with a hostile schema', () => {
  it('prints the located error with the escape sequence shown, never the raw ESC byte', async () => {
    const file = join(dir, 'hostile.json');
    const schema = [
      { name: 'boom', 'meta-type': 'command', 'arg-type': '\x1b]0;pwned\x07\u202e', 'ret-type': '0' },
      { name: '0', 'meta-type': 'object', members: [] },
    ];
    writeFileSync(file, JSON.stringify(schema));
    const r = await runCli(['check', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${file}: $[0]["arg-type"]: type '\\x1b]0;pwned\\x07\\u202e' is not defined\n`);
  });
});

describe('qmp-ts with a hostile file name', () => {
  // A name a glob can pick up from a downloaded folder: it sets the title and reverses text.
  const hostile = 'a\x1b]0;pwned\x07\u202e';
  const shown = 'a\\x1b]0;pwned\\x07\\u202e';
  const PING = "##\n# @ping:\n#\n# Since: 1.0\n##\n{ 'command': 'ping' }\n";

  it('check --summary shows the name escaped', async () => {
    const file = join(dir, `${hostile}.json`);
    writeFileSync(file, PING);
    const r = await runCliOutput(['check', '--summary', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(join(dir, `${shown}.json`));
    expect(r.stdout + r.stderr).not.toMatch(/[\x1b\x07\u202e]/);
  });

  it('generate and package show the output folder and the docs file escaped', async () => {
    const schema = join(dir, `${hostile}-schema.json`);
    writeFileSync(schema, PING);
    const generated = await runCli(['generate', '--schema', schema, '--out', join(dir, `${hostile}-out`)]);
    expect(generated.code).toBe(0);
    expect(generated.stderr).toContain(shown);
    const packaged = await runCli(['package', '--schema', schema, '--out', join(dir, `${hostile}-pkg`), '--name', 'p', '--version', '1.0.0']);
    expect(packaged.stderr).toContain(shown);
    expect(generated.stderr + packaged.stderr).not.toMatch(/[\x1b\x07\u202e]/);
  });
});
