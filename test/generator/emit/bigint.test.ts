/**
 * Bindings generated with `--bigint`: the 64-bit integer types (int, int64, uint64, size) are
 * `bigint`, the narrower ones stay `number`, the client connects with `integers: 'bigint'`,
 * and the result compiles under tsc --strict.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../../generator/generate.js';
import { typeErrors } from '../../support/tsc.js';
import { repoRoot as repo } from '../../support/paths.js';

// Inside the repo (git-ignored tmp/), so the relative runtime import resolves.
const work = join(repo, 'tmp', `bigint-bindings-${process.pid}`);
const runtime = '../../../runtime/index.js';
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('generate --bigint', () => {
  it('QEMU 10.2: 64-bit members are bigint, narrower integers number; compiles strictly', async () => {
    const output = join(work, 'qemu-10.2');
    await generate({ schema: resolve(repo, 'vendor/qemu/qemu-10.2/qapi/qapi-schema.json'), output, runtime, layout: 'single', bigint: true }, { workers: 2 });
    const types = readFileSync(join(output, 'types.ts'), 'utf8');
    const block = (name: string): string => types.slice(types.indexOf(`export interface ${name} `), types.indexOf('\n}\n', types.indexOf(`export interface ${name} `)));
    expect(block('BlockdevOptionsNull')).toMatch(/size\?: bigint;/);
    expect(block('BlockdevOptionsNull')).toMatch(/'latency-ns'\?: bigint;/);
    expect(block('InetSocketAddress')).toMatch(/to\?: number;/); // uint16
    expect(block('BlockdevCreateOptionsQcow2')).toMatch(/size: bigint;/); // size
    const client = readFileSync(join(output, 'client.ts'), 'utf8');
    // The table is loaded at connect (a separate chunk for bundlers), never imported statically.
    expect(client).toMatch(/connectDefaults = \{\s*validator: \(\) => import\('\.\/validators\.js'\)\.then\(\(m\) => m\.qmpValidatorTable\),\s*integers: 'bigint',?\s*\}/);
    expect(client).not.toMatch(/^import [^;]*'\.\/validators\.js'/m);
    expect(typeErrors([join(output, 'index.ts')])).toEqual([]);
  }, 180_000);

  it('without --bigint every integer is number and the client keeps number mode', async () => {
    const output = join(work, 'qemu-7.2');
    await generate({ introspection: join(repo, 'schema/qemu-7.2-x86_64.introspection.json'), output, runtime }, { workers: 2 });
    const types = readFileSync(join(output, 'types.ts'), 'utf8');
    expect(types).not.toContain('bigint');
    const client = readFileSync(join(output, 'client.ts'), 'utf8');
    expect(client).toMatch(/connectDefaults = \{\s*validator: \(\) => import\('\.\/validators\.js'\)\.then\(\(m\) => m\.qmpValidatorTable\),?\s*\}/);
    expect(client).not.toContain('bigint');
  }, 180_000);
});
