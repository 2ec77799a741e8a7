/**
 * The command line that makes a child die with its owner: setpriv's death signal, the guard
 * against an owner that died while the child started, and the plain command where neither
 * applies. (The real thing, QEMU killed with its owner: launch.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { deathSignalTool, ownedCommand } from '../../../runtime/host/owned-process.js';

const setpriv = deathSignalTool();

describe('ownedCommand', () => {
  it('runs a binary spawn cannot find as it is, so spawn reports ENOENT itself', () => {
    expect(ownedCommand('/nonexistent/qemu-system-x86_64', ['-S'])).toEqual(['/nonexistent/qemu-system-x86_64', '-S']);
    expect(ownedCommand('no-such-qemu-binary', [])).toEqual(['no-such-qemu-binary']);
  });

  it.runIf(setpriv !== undefined)('wraps a binary found on PATH in setpriv --pdeathsig SIGKILL and the guard, the program resolved', () => {
    const [program, ...args] = ownedCommand('sh', ['-c', 'exit 7']);
    expect(program).toBe(setpriv);
    expect(args.slice(0, 5)).toEqual(['--pdeathsig', 'SIGKILL', '--', '/bin/sh', '-c']);
    expect(args.slice(-4)).toEqual([String(process.pid), expect.stringMatching(/^\/.*\/sh$/), '-c', 'exit 7']);
    expect(spawnSync(program, args).status).toBe(7); // the program ran, with its arguments
  });

  it.runIf(setpriv !== undefined)('starts nothing when the parent is not the owner it names (the owner died while it started)', () => {
    const [program, ...args] = ownedCommand('sh', ['-c', 'echo started']);
    const owner = args.indexOf(String(process.pid));
    args[owner] = String(process.pid + 1_000_000); // not this process, which is its parent
    const r = spawnSync(program, args, { encoding: 'utf8' });
    expect(r.status).toBe(125);
    expect(r.stdout).toBe('');
  });
});
