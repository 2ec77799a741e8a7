/**
 * Selecting commands and events: a name or glob that matches nothing is an error with the
 * nearest names (config: at its key path; flags: naming the flag), and `generate` and
 * `package` take the same selection flags.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { register as registerGenerate } from '../../../cli/commands/generate.js';
import { register as registerInit } from '../../../cli/commands/init.js';
import { register as registerPackage } from '../../../cli/commands/package.js';
import { readConfig } from '../../../generator/config.js';
import { compileFilter, select, UnmatchedNameError } from '../../../generator/emit/select.js';
import { introspectionToModel } from '../../../generator/read/introspection.js';
import { introspectionChain } from '../../support/hostile-schemas.js';
import { globDistance, nearestNames } from '../../../generator/emit/nearest.js';
import { generate } from '../../../generator/generate.js';
import { loadSchema } from '../../../generator/load.js';
import { runCli } from '../../support/cli.js';
import { repoRoot as repo } from '../../support/paths.js';

const CAPTURE_72 = join(repo, 'schema/qemu-7.2-x86_64.introspection.json');
const work = join(repo, 'tmp', `selection-test-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const word = fc.string({ unit: fc.constantFrom('a', 'b', 'q', '-', '_'), maxLength: 12 });
const glob = fc.string({ unit: fc.constantFrom('a', 'b', '-', '*', '?'), maxLength: 8 });

describe('globDistance', () => {
  it('is 0 exactly when the glob matches', () => {
    fc.assert(fc.property(glob, word, (g, n) => (globDistance(g, n) === 0) === compileFilter({ include: [g] })(n)));
  });

  it('without wildcards: one edit of a name is at most 1, symmetric, and an empty name costs every character', () => {
    const edit = fc.tuple(word, fc.nat(), fc.constantFrom('a', 'z', '-'), fc.constantFrom('insert', 'delete', 'replace'));
    fc.assert(
      fc.property(edit, ([n, at, ch, how]) => {
        const i = n.length === 0 ? 0 : at % n.length;
        const edited = how === 'insert' ? n.slice(0, i) + ch + n.slice(i) : how === 'delete' ? n.slice(0, i) + n.slice(i + 1) : n.slice(0, i) + ch + n.slice(i + 1);
        expect(globDistance(n, edited)).toBeLessThanOrEqual(1);
        expect(globDistance(n, edited)).toBe(globDistance(edited, n));
        expect(globDistance(n, '')).toBe(n.length);
      }),
    );
  });

  it('suggests the names one typo away, nearest first', () => {
    expect(globDistance('querry-*', 'query-status')).toBe(1);
    expect(nearestNames('SHUTDOWNN', ['RESET', 'SHUTDOWN', 'STOP'])).toEqual(['SHUTDOWN']);
    expect(nearestNames('completely-else', ['query-status'])).toEqual([]);
  });
});

describe('a name or glob that matches nothing', () => {
  const schema = loadSchema(CAPTURE_72);

  it('is an error naming the list, key and nearest names, for include and exclude of commands and events', () => {
    const cases = [
      [() => select(schema, { include: ['query-status', 'querry-*'] }), 'commands', 'include', 1, 'querry-*'],
      [() => select(schema, { exclude: ['blockdev-ad'] }), 'commands', 'exclude', 0, 'blockdev-ad'],
      [() => select(schema, undefined, { include: ['SHUTDOWNN'] }), 'events', 'include', 0, 'SHUTDOWNN'],
      [() => select(schema, undefined, { exclude: ['BLOCK_JOB_COMPLETE'] }), 'events', 'exclude', 0, 'BLOCK_JOB_COMPLETE'],
    ] as const;
    for (const [run, list, key, index, pattern] of cases) {
      const e = (() => {
        try {
          run();
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(UnmatchedNameError);
      expect(e).toMatchObject({ list, key, index, pattern });
      expect((e as UnmatchedNameError).suggestions.length).toBeGreaterThan(0);
      for (const s of (e as UnmatchedNameError).suggestions) expect(globDistance(pattern, s)).toBeLessThanOrEqual(2);
    }
    expect(() => select(schema, { exclude: ['blockdev-ad'] })).toThrow(
      "commands.exclude[0]: 'blockdev-ad' matches no command of the schema; did you mean 'blockdev-add'?",
    );
  });

  it('in a config file, is reported at its key path', async () => {
    const dir = join(work, 'config');
    mkdirSync(dir, { recursive: true });
    const config = join(dir, 'qmp.yaml');
    writeFileSync(config, `introspection: ${CAPTURE_72}\noutput: out\nevents:\n  include: [SHUTDOWN, RESETT]\n`);
    await expect(generate(readConfig(config), { workers: 0 })).rejects.toThrow(
      `${config}: $.events.include[1]: 'RESETT' matches no event of the schema; did you mean 'RESET'?`,
    );
    const { code, stderr } = await runCli(['generate', '--config', config]);
    expect(code).toBe(1);
    expect(stderr).toBe(`${config}: $.events.include[1]: 'RESETT' matches no event of the schema; did you mean 'RESET'?\n`);
  });

  it('on the command line, names the flag, for generate and package alike (exit 2)', async () => {
    const expected = "error: --include: 'querry-*' matches no command of the schema; did you mean 'query-acpi-ospm-status', 'query-balloon', 'query-block'?\n";
    const gen = await runCli(['generate', '--introspection', CAPTURE_72, '--out', join(work, 'g'), '--include', 'querry-*']);
    expect(gen).toEqual({ code: 2, stderr: expected });
    const pkg = await runCli(['package', '--schema', CAPTURE_72, '--name', 'x', '--version', '1.0.0', '--out', join(work, 'p'), '--include', 'querry-*']);
    expect(pkg).toEqual({ code: 2, stderr: expected });
    const events = await runCli(['generate', '--introspection', CAPTURE_72, '--out', join(work, 'g'), '--exclude-events', 'STOPP']);
    expect(events.code).toBe(2);
    expect(events.stderr).toMatch(/^error: --exclude-events: 'STOPP' matches no event of the schema; did you mean 'STOP'/);
  });
});

describe('selection flags', () => {
  const selectionFlags = (register: typeof registerGenerate, name: string): string[] => {
    const program = new Command();
    register(program, () => {});
    const command = program.commands.find((c) => c.name() === name)!;
    return command.options.map((o) => o.long ?? '').filter((f) => /^--(include|exclude)/.test(f)).sort();
  };

  it('are the same for generate, package and init', () => {
    const flags = ['--exclude', '--exclude-events', '--include', '--include-events'];
    expect(selectionFlags(registerGenerate, 'generate')).toEqual(flags);
    expect(selectionFlags(registerPackage, 'package')).toEqual(flags);
    expect(selectionFlags(registerInit, 'init')).toEqual(flags);
  });

  it('select what generate writes', async () => {
    const out = join(work, 'flags');
    const { code } = await runCli(['generate', '--introspection', CAPTURE_72, '--out', out, '--include', 'query-status', 'stop', '--include-events', 'STOP']);
    expect(code).toBe(0);
    const commands = readFileSync(join(out, 'commands.ts'), 'utf8');
    expect([...commands.matchAll(/^ {2}'?([\w-]+)'?: \{/gm)].map((m) => m[1])).toEqual(['query-status', 'stop']);
    const events = readFileSync(join(out, 'events.ts'), 'utf8');
    expect([...events.matchAll(/^ {2}'?([\w-]+)'?: /gm)].map((m) => m[1])).toEqual(['STOP']);
  }, 120_000);
});

describe('selection over deep type chains', () => {
  it('reaches every type of a chain 50 000 deep, without recursion (it overflowed the stack)', () => {
    const c = introspectionChain(50_000 * 90);
    const schema = introspectionToModel(JSON.parse(c.files.get(c.main)!) as unknown, c.main);
    const chained = [...schema.types.values()].filter((t) => t.kind === 'struct').length;
    expect(chained).toBeGreaterThan(45_000);
    const { types } = select(schema, { include: ['chain'] });
    expect(types.filter((t) => t.kind === 'struct')).toHaveLength(chained);
  });
});
