/**
 * What the readers may open (generator/read/schema-file.ts), in process: includes stay in
 * the schema's folder tree (symlinks resolved) unless `allowOutsideIncludes`; only regular
 * files are read, so `/dev/zero`, a FIFO, a folder or a `/proc` file ends at once in an
 * error located at the include; no error quotes a byte of a file it refused.
 * test/cli/file-access.test.ts holds the same through the built `qmp-ts` command.
 */
import { once } from 'node:events';
import { symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QapiError } from '../../../generator/diagnostics.js';
import { loadTargetWithDocs } from '../../../generator/generate.js';
import { readConfig } from '../../../generator/config.js';
import { loadSchema, type LoadOptions } from '../../../generator/load.js';
import { readIntrospection } from '../../../generator/read/introspection.js';
import { readSchemaBytes } from '../../../generator/read/schema-file.js';
import { makeHostileTree } from '../../support/hostile-tree.js';
import { repoRoot, vendoredQemu } from '../../support/paths.js';

const t = makeHostileTree('qmp-ts-file-access-');
afterAll(() => t.remove());

/** The QapiError `run` throws, within two seconds; fails when it throws nothing else. */
function refusal(run: () => unknown): string {
  const start = performance.now();
  let message: string | undefined;
  try {
    run();
  } catch (e) {
    if (!(e instanceof QapiError)) throw e;
    message = e.message;
  }
  expect(message, 'no error').toBeDefined();
  expect(performance.now() - start).toBeLessThan(2000);
  expect(message).not.toContain(t.sentinel);
  expect(message).not.toContain('hunter2');
  return message!;
}

const load = (name: string, options: LoadOptions = {}) => () => loadSchema(name, { cwd: t.tree, ...options });
const OUTSIDE = "outside the schema's folder tree";

describe('includes stay in the schema folder tree', () => {
  const cases: [string, string][] = [
    ['../secret.json', 'a relative path up and out'],
    ['sub/../../secret.json', 'down, then further up'],
    [path.join(t.base, 'secret.json'), 'an absolute path'],
    ['escape.json', 'a symlink in the tree pointing out'],
    ['outlink/secret.json', 'through a folder symlink pointing out'],
    ['/proc/self/environ', 'the environment'],
    ['/dev/zero', 'an endless device'],
  ];
  for (const [include, what] of cases) {
    it(`QAPI source: ${what} (${include}) is refused unread, at the include`, () => {
      const main = `q-${cases.findIndex((c) => c[0] === include)}.json`;
      t.write(main, `# top\n{ 'include': '${include}' }\n`);
      const message = refusal(load(main));
      expect(message).toMatch(new RegExp(`^${main.replace('.', '\\.')}:2: can't read include file '[^']*': ${OUTSIDE}`, 'm'));
    });
  }

  it('YAML: the same for an include outside', () => {
    t.write('out.yaml', '- include: ../secret.json\n');
    expect(refusal(load('out.yaml'))).toMatch(new RegExp(`^out\\.yaml:1: can't read include file '\\.\\./secret\\.json': ${OUTSIDE}`, 'm'));
  });

  it('QAPI source including YAML including the outside: refused at the YAML include', () => {
    t.write('nested.yaml', '- include: escape.json\n');
    t.write('nested.json', "{ 'include': 'nested.yaml' }\n");
    const message = refusal(load('nested.json'));
    expect(message).toMatch(/^In file included from nested\.json:1:$/m);
    expect(message).toMatch(new RegExp(`^nested\\.yaml:1: can't read include file 'escape\\.json': ${OUTSIDE}`, 'm'));
  });

  it('symlinks that stay inside are followed', () => {
    t.write('inside.json', "{ 'include': 'inlink.json' }\n{ 'include': 'sub/up/sub/in2.json' }\n");
    const schema = loadSchema('inside.json', { cwd: t.tree });
    expect([...schema.types.keys()]).toEqual(expect.arrayContaining(['Inside', 'Inside2']));
  });

  it('a main file that is a symlink out of its folder is refused; the opt-out reads it', () => {
    symlinkSync(t.outsideSchema, path.join(t.tree, 'main-link.json'));
    expect(refusal(load('main-link.json'))).toBe(`can't read schema file 'main-link.json': ${OUTSIDE} (--allow-outside-includes, or allowOutsideIncludes in the config, reads it)`);
    expect(loadSchema('main-link.json', { cwd: t.tree, allowOutsideIncludes: true }).types.has('Outside')).toBe(true);
  });

  it("QEMU's storage daemon schema (includes ../../qapi/) needs the opt-out", () => {
    const file = path.join(vendoredQemu, 'qemu-10.2/storage-daemon/qapi/qapi-schema.json');
    expect(refusal(() => loadSchema(file))).toMatch(new RegExp(`storage-daemon/qapi/qapi-schema\\.json:\\d+: can't read include file '[^']*/\\.\\./\\.\\./qapi/pragma\\.json': ${OUTSIDE}`));
    expect(loadSchema(file, { allowOutsideIncludes: true }).commands.has('query-block-exports')).toBe(true);
  });

  it('allowOutsideIncludes: an outside regular file is read', () => {
    t.write('opt-out.json', `{ 'include': '${t.outsideSchema}' }\n`);
    expect(refusal(load('opt-out.json'))).toContain(OUTSIDE);
    expect(loadSchema('opt-out.json', { cwd: t.tree, allowOutsideIncludes: true }).types.has('Outside')).toBe(true);
  });
});

describe('only regular files are read', () => {
  it('a FIFO in the tree: refused at once, not waited on', () => {
    t.write('fifo.json', "{ 'include': 'pipe.json' }\n");
    expect(refusal(load('fifo.json'))).toBe("fifo.json:1: can't read include file 'pipe.json': not a regular file (a FIFO)");
  });

  it('a Unix socket in the tree: refused as what it is (open gives ENXIO)', async () => {
    const server = createServer().listen(path.join(t.tree, 'socket.json'));
    await once(server, 'listening');
    try {
      t.write('sock.json', "{ 'include': 'socket.json' }\n");
      expect(refusal(load('sock.json'))).toBe("sock.json:1: can't read include file 'socket.json': not a regular file (a socket)");
    } finally {
      server.close();
    }
  });

  it('a folder in the tree', () => {
    t.write('dir.json', "{ 'include': 'sub' }\n");
    expect(refusal(load('dir.json'))).toBe("dir.json:1: can't read include file 'sub': Is a directory");
  });

  it('with the opt-out, /dev/zero is still refused (fstat of the opened file), /proc/self/environ too (more bytes than its size)', () => {
    t.write('zero.json', "{ 'include': '/dev/zero' }\n");
    expect(refusal(load('zero.json', { allowOutsideIncludes: true }))).toBe("zero.json:1: can't read include file '/dev/zero': not a regular file (a character device)");
    t.write('environ.json', "{ 'include': '/proc/self/environ' }\n");
    expect(refusal(load('environ.json', { allowOutsideIncludes: true }))).toBe(
      "environ.json:1: can't read include file '/proc/self/environ': reads longer than its size of 0 bytes (a special file, or one being written)",
    );
  });

  it('a FIFO or /dev/zero as the main file, through every format (QAPI, YAML, introspection)', () => {
    expect(refusal(load('pipe.json'))).toBe("can't read schema file 'pipe.json': not a regular file (a FIFO)");
    expect(refusal(() => loadSchema('/dev/zero'))).toBe("can't read schema file '/dev/zero': not a regular file (a character device)");
    symlinkSync('pipe.json', path.join(t.tree, 'pipe.yaml'));
    expect(refusal(load('pipe.yaml'))).toBe("can't read schema file 'pipe.yaml': not a regular file (a FIFO)");
    expect(refusal(() => readIntrospection('/dev/zero'))).toBe('/dev/zero: can\'t read introspection file: not a regular file (a character device)');
    expect(refusal(() => readIntrospection(path.join(t.tree, 'pipe.json')))).toMatch(/pipe\.json: can't read introspection file: not a regular file \(a FIFO\)$/);
  });

  it('--docs: a FIFO or /dev/zero', async () => {
    const introspection = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');
    for (const docs of ['/dev/zero', path.join(t.tree, 'pipe.json')]) {
      const start = performance.now();
      const err = await loadTargetWithDocs({ introspection, docs }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(QapiError);
      expect((err as QapiError).message).toMatch(/^can't read schema file '.*': not a regular file \((a FIFO|a character device)\)$/);
      expect(performance.now() - start).toBeLessThan(5000);
    }
  });

  it('the config file', () => {
    expect(refusal(() => readConfig('/dev/zero'))).toBe("/dev/zero: can't read config file: not a regular file (a character device)");
    expect(refusal(() => readConfig(path.join(t.tree, 'pipe.json')))).toMatch(/pipe\.json: can't read config file: not a regular file \(a FIFO\)$/);
  });

  it('readSchemaBytes counts what it reads: a file longer than fstat says stops after one byte more', () => {
    expect(() => readSchemaBytes('/proc/self/environ', 1 << 20, { file: 'x' })).toThrow(/reads longer than its size of 0 bytes/);
    expect(readSchemaBytes(path.join(t.tree, 'in.json'), 1 << 20, { file: 'x' }).toString()).toContain("'Inside'");
    expect(() => readSchemaBytes(path.join(t.tree, 'in.json'), 10, { file: 'x' })).toThrow(/^x: file is \d+ bytes, more than the limit of 10$/);
  });
});

describe('errors quote only the text of files that were read', () => {
  it('a parse error in an included file of the tree quotes that file, located in it', () => {
    t.write('sub/bad.json', 'oops\n');
    t.write('quotes.json', "{ 'include': 'sub/bad.json' }\n");
    expect(refusal(load('quotes.json'))).toBe("In file included from quotes.json:1:\nsub/bad.json:1:1: stray 'oops'");
  });
});
