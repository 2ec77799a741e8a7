/**
 * The built `qmp-ts` as a shell runs it: `--version` prints package.json's version, and a
 * reader that closes the pipe early (`| head -c1`) ends every stdout-writing command quietly.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.js';

const BIN = path.join(repoRoot, 'bin/qmp-ts.js');
const CAPTURE_72 = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');
const QEMU_102 = path.join(repoRoot, 'vendor/qemu/qemu-10.2/qapi/qapi-schema.json');
const QEMU_72 = path.join(repoRoot, 'vendor/qemu/qemu-7.2/qapi/qapi-schema.json');

describe('qmp-ts as a process', () => {
  it('--version and -V print the version from package.json, exit 0', () => {
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(execFileSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' })).toBe(`${version}\n`);
    expect(execFileSync(process.execPath, [BIN, '-V'], { encoding: 'utf8' })).toBe(`${version}\n`);
  });

  it.each([
    ['dump --format json', ['dump', '--format', 'json', CAPTURE_72]],
    ['dump --format qapi-test', ['dump', QEMU_102]],
    ['diff', ['diff', QEMU_72, QEMU_102]],
    ['verify --format json', ['verify', '--bindings', path.join(repoRoot, 'generated/qemu-7.2'), '--introspection', QEMU_102, '--format', 'json']],
  ])('%s | head -c1: ends quietly when the reader closes the pipe', (_name, args) => {
    const r = spawnSync('bash', ['-c', '"$0" "$@" | head -c1; echo " ${PIPESTATUS[0]}"', process.execPath, BIN, ...args], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.stderr).toBe('');
    // the one byte head printed, then qmp-ts's exit status
    expect(r.stdout).toMatch(/^\S 0\n$/);
  });
});
