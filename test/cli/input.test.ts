/**
 * One set of input flags for every command that reads a schema (cli/commands/input.ts),
 * and the `qmp-schema.json` that `generate` writes beside bindings read wherever a schema is.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { repoRoot } from '../support/paths.js';
import { register as registerDiff } from '../../cli/commands/diff.js';
import { register as registerGenerate } from '../../cli/commands/generate.js';
import { register as registerInit } from '../../cli/commands/init.js';
import { register as registerPackage } from '../../cli/commands/package.js';
import { register as registerVerify } from '../../cli/commands/verify.js';
import type { SubcommandModule } from '../../cli/subcommand.js';

const COMMANDS: Record<string, SubcommandModule['register']> = {
  diff: registerDiff,
  generate: registerGenerate,
  init: registerInit,
  package: registerPackage,
  verify: registerVerify,
};

const RECORD_72 = path.join(repoRoot, 'generated/qemu-7.2/qmp-schema.json');
const CAPTURE_72 = path.join(repoRoot, 'schema/qemu-7.2-x86_64.introspection.json');
const work = mkdtempSync(path.join(tmpdir(), 'qmp-ts-cli-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI: exit status, stdout and stderr. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, out, err };
}

/** The flags a subcommand registers, with their descriptions. */
function flagsOf(name: string): Map<string, string> {
  const program = new Command('qmp-ts');
  COMMANDS[name]!(program, () => {});
  const command = program.commands.find((c) => c.name() === name)!;
  return new Map(command.options.map((o) => [o.long!, o.description]));
}

describe('input flags', () => {
  afterEach(() => vi.restoreAllMocks());

  it('generate, package, verify, diff and init take the same input flags, described alike', () => {
    const INPUT = ['--schema', '--introspection', '--from-qemu', '--socket', '--tcp'];
    const [generate, ...others] = ['generate', 'package', 'verify', 'diff', 'init'].map(flagsOf);
    for (const flags of others) {
      for (const f of INPUT) expect(flags.get(f), f).toBe(generate!.get(f));
    }
    for (const f of INPUT) expect(generate!.get(f), f).toBeTruthy();
  });

  it('more than one input, or a bad --tcp, is a usage error (exit 2)', async () => {
    const out = path.join(work, 'never');
    const two = await run(['generate', '--schema', CAPTURE_72, '--socket', '/nonexistent.sock', '--out', out]);
    expect(two.code).toBe(2);
    expect(two.err).toContain('give only one of --schema, --introspection, --from-qemu, --socket or --tcp');
    const tcp = await run(['package', '--tcp', 'localhost', '--name', 'x', '--version', '1.0.0', '--out', out]);
    expect(tcp.code).toBe(2);
    expect(tcp.err).toContain("--tcp: expected HOST:PORT (port 1-65535), not 'localhost'");
    const none = await run(['diff', CAPTURE_72]);
    expect(none.code).toBe(2);
  });

  it('--socket to nothing listening says where it tried, without a stack trace', async () => {
    const r = await run(['verify', '--bindings', path.join(repoRoot, 'generated/qemu-7.2'), '--socket', path.join(work, 'none.sock')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^qmp-ts: reading the schema of unix:\S+none\.sock failed: .*ENOENT/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe("a bindings' qmp-schema.json is read wherever a schema is", () => {
  afterEach(() => vi.restoreAllMocks());

  it('check, dump and diff read it (format detected)', async () => {
    const check = await run(['check', '--summary', RECORD_72]);
    expect(check).toMatchObject({ code: 0, err: '' });
    expect(check.out).toBe(`${RECORD_72}: 216 commands, 52 events, 349 structs, 25 unions, 6 alternates, 131 enums\n`);
    const dump = await run(['dump', RECORD_72]);
    expect(dump.code).toBe(0);
    expect(dump.out).toMatch(/^command query-status None -> query-status-result$/m);
    const json = await run(['dump', '--format', 'json', RECORD_72]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toBeTypeOf('object');
    // the bindings of the 7.2 capture hold all of it
    const diff = await run(['diff', RECORD_72, CAPTURE_72]);
    expect(diff.code).toBe(0);
    expect(diff.out).toContain('summary: no changes');
  });

  it('generate --introspection and --schema read it: its bindings record the same schema again', async () => {
    const schemaOf = (file: string): unknown => (JSON.parse(readFileSync(file, 'utf8')) as { schema: unknown }).schema;
    for (const flag of ['--introspection', '--schema']) {
      const out = path.join(work, flag.slice(2));
      const r = await run(['generate', flag, RECORD_72, '--out', out]);
      expect(r.code, r.err).toBe(0);
      expect(schemaOf(path.join(out, 'qmp-schema.json'))).toEqual(schemaOf(RECORD_72));
      expect(readFileSync(path.join(out, 'client.ts'), 'utf8')).toContain("readonly queryStatus: $CommandMethod<QmpCommands, 'query-status'>;");
    }
  });
});
