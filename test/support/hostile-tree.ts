/**
 * A schema folder tree next to files it must not read, for the file access tests: a secret
 * outside (a random sentinel that would show in an error quoting the file), a valid schema
 * outside, symlinks out of the tree, a FIFO and a folder inside it.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface HostileTree {
  /** Holds `tree/` and the files outside it. */
  readonly base: string;
  /** The schema folder: schemas written with `write` go here. */
  readonly tree: string;
  /** Random text that is in `secret` (and, for the CLI tests, in the environment). */
  readonly sentinel: string;
  /** Outside the tree: `SENTINEL=...`, which a QAPI error would quote as a stray word. */
  readonly secret: string;
  /** Outside the tree: a valid schema defining struct `Outside`. */
  readonly outsideSchema: string;
  /** Writes `tree/NAME` and returns its path. */
  write(name: string, text: string): string;
  remove(): void;
}

export function makeHostileTree(prefix: string): HostileTree {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  const tree = path.join(base, 'tree');
  mkdirSync(path.join(tree, 'sub'), { recursive: true });
  mkdirSync(path.join(base, 'outdir'));
  const sentinel = `QMPTS_SENTINEL_${randomBytes(12).toString('hex')}`;
  const secret = path.join(base, 'secret.json');
  writeFileSync(secret, `${sentinel}=hunter2\n`);
  writeFileSync(path.join(base, 'outdir', 'secret.json'), `${sentinel}=hunter2\n`);
  const outsideSchema = path.join(base, 'outside.json');
  writeFileSync(outsideSchema, "{ 'struct': 'Outside', 'data': { 'a': 'int' } }\n");
  writeFileSync(path.join(tree, 'in.json'), "{ 'struct': 'Inside', 'data': { 'a': 'int' } }\n");
  writeFileSync(path.join(tree, 'sub', 'in2.json'), "{ 'struct': 'Inside2', 'data': { 'a': 'int' } }\n");
  symlinkSync('../secret.json', path.join(tree, 'escape.json')); // a symlink in the tree pointing out
  symlinkSync('../outdir', path.join(tree, 'outlink')); // a folder symlink pointing out
  symlinkSync('in.json', path.join(tree, 'inlink.json')); // a symlink that stays inside
  symlinkSync('..', path.join(tree, 'sub', 'up')); // back to the tree's top: still inside
  execFileSync('mkfifo', [path.join(tree, 'pipe.json')]);
  return {
    base,
    tree,
    sentinel,
    secret,
    outsideSchema,
    write(name, text) {
      const file = path.join(tree, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
