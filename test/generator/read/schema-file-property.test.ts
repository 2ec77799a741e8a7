/**
 * Property: whatever an include says (random mixtures of `..`, `.`, empty and absolute
 * parts, names of special files, symlinks created in the tree pointing anywhere), the
 * readers never read a file outside the schema's folder tree and never echo outside bytes.
 *
 * Oracle: the include's real path (resolved here, independently of the reader). Outside the
 * tree it must be refused unread (as outside, or as missing: a pipe's /proc name); inside, it may load or fail for another reason (a
 * FIFO, a folder, a syntax error), but never as outside. A loaded schema never holds the
 * outside schema's struct, nor a file outside; no message holds the outside secret.
 */
import { mkdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { loadSchema } from '../../../generator/load.js';
import { isInside } from '../../../generator/read/schema-file.js';
import { makeHostileTree } from '../../support/hostile-tree.js';

const t = makeHostileTree('qmp-ts-file-access-prop-');
afterAll(() => t.remove());

const SPECIAL = ['/proc/self/environ', '/proc/self/status', '/dev/zero', '/dev/null', '/dev/stdin', '/etc/passwd', '/', t.secret, t.outsideSchema, t.base];
const SEGMENTS = ['..', '.', '', 'sub', 'up', 'in.json', 'inlink.json', 'escape.json', 'outlink', 'secret.json', 'outside.json', 'pipe.json', 'tree', 'outdir', 'gen', 'l0', 'l1', 'l2', 'proc', 'self', 'environ', 'dev', 'zero'];

/** A path an include (or a symlink) may hold. */
const anyPath = fc.oneof(
  fc
    .tuple(fc.boolean(), fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 7 }))
    .map(([absolute, parts]) => (absolute ? '/' : '') + parts.join('/')),
  fc.constantFrom(...SPECIAL),
  fc.tuple(fc.constantFrom(...SPECIAL), fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 3 })).map(([p, parts]) => [p, ...parts].join('/')),
);

const realTree = realpathSync(t.tree);

/** The real path `include` names from `including` (a path in the tree), or undefined if there is none. */
function realTarget(including: string, include: string): string | undefined {
  try {
    return realpathSync(path.resolve(path.dirname(including), include));
  } catch {
    return undefined;
  }
}

let run = 0;

describe('includes never read outside the schema folder tree', () => {
  it('for arbitrary include paths and symlinks', () => {
    fc.assert(
      fc.property(
        fc.array(anyPath, { maxLength: 3 }), // targets of gen/l0, gen/l1, gen/l2
        anyPath,
        fc.boolean(), // include from the main file, or from sub/inner.*
        fc.boolean(), // YAML or QAPI source
        (links, include, nested, yaml) => {
          const gen = path.join(t.tree, 'gen');
          rmSync(gen, { recursive: true, force: true });
          mkdirSync(gen);
          links.forEach((target, i) => symlinkSync(target || '.', path.join(gen, `l${i}`))); // a symlink cannot be empty
          const ext = yaml ? 'yaml' : 'json';
          const directive = (p: string): string => (yaml ? `- include: '${p.replaceAll("'", "''")}'\n` : `{ 'include': '${p}' }\n`);
          const main = `main${run++ % 2}.${ext}`;
          const inner = path.join(t.tree, 'sub', `inner.${ext}`);
          if (nested) {
            t.write(`sub/inner.${ext}`, directive(include));
            t.write(main, directive(`sub/inner.${ext}`));
          } else {
            t.write(main, directive(include));
          }
          const target = realTarget(nested ? inner : path.join(t.tree, main), include);
          let message: string | undefined;
          try {
            const schema = loadSchema(main, { cwd: t.tree });
            expect(schema.types.has('Outside')).toBe(false);
            for (const f of schema.source.files) expect(isInside(realTree, realpathSync(path.resolve(t.tree, f)))).toBe(true);
          } catch (e) {
            if (!(e instanceof QapiError)) throw e;
            message = e.message;
          }
          if (message !== undefined) {
            expect(message).not.toContain(t.sentinel);
            expect(message).not.toContain('hunter2');
          }
          if (target !== undefined && !isInside(realTree, target)) {
            // (a pipe's /proc name resolves for Node's realpath, not for the C library's)
            expect(message).toMatch(/can't read include file '[^\n]*': (outside the schema's folder tree|No such file or directory)/);
          } else {
            expect(message ?? '').not.toMatch(/outside the schema's folder tree/);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
