/**
 * What README.md tells a new user, held against the code: every `qmp-ts` subcommand is
 * documented (`capture` too: its `captured.json` is what the examples read), the supported
 * runtimes are named, and the name the typed snippet gives `query-status`'s result is the
 * one each kind of bindings has.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { repoRoot } from '../support/paths.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('README.md for a new user', () => {
  it('shows every subcommand on a qmp-ts command line, capture included', async () => {
    const names: string[] = [];
    const help = Command.prototype.helpInformation;
    // the subcommands main registers, read off the program it builds for `--help`
    Command.prototype.helpInformation = function (this: Command): string {
      if (this.name() === 'qmp-ts') names.push(...this.commands.map((c) => c.name()));
      return '';
    };
    try {
      await main(['--help']);
    } finally {
      Command.prototype.helpInformation = help;
    }
    expect(names).toContain('capture');
    for (const name of names) expect(readme, `qmp-ts ${name}`).toMatch(new RegExp(`^qmp-ts ${name}\\b`, 'm'));
    expect(readme).toMatch(/^qmp-ts capture qemu-system-x86_64 -o captured\.json/m);
  });

  it('names the supported runtimes', () => {
    expect(readme).toMatch(/Supported runtimes: Node 20, 22 and 24, Bun and Deno\./);
  });

  it("names query-status's result as both kinds of bindings do", () => {
    expect(readme).toContain('// StatusInfo (QueryStatusResult from introspection)');
    expect(readFileSync(path.join(repoRoot, 'generated/qemu-7.2/types.ts'), 'utf8')).toMatch(/^export interface QueryStatusResult \{/m);
    expect(readFileSync(path.join(repoRoot, 'vendor/qemu/qemu-7.2/qapi/run-state.json'), 'utf8')).toMatch(/^\{ 'struct': 'StatusInfo',/m);
  });
});
