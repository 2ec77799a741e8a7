/**
 * The CLI's error path never prints schema text raw: a type name holding a title-setting
 * escape sequence and a right-to-left override is shown escaped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

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
