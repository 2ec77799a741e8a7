/**
 * `qmp-ts verify --bindings DIR (--from-qemu BINARY [-- ARGS] | --introspection FILE)`:
 * which commands, events and members of generated bindings a given QEMU lacks or types
 * differently (exit 1 when there is any, so CI can check an application against each QEMU
 * it supports), and what that QEMU has that the bindings lack (listed, not problems). The bindings' schema comes from the `qmp-schema.json` that `generate` writes.
 */
import { Option, type Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';

interface VerifyCliOptions {
  readonly bindings: string;
  readonly fromQemu?: string;
  readonly introspection?: string;
  readonly format: 'text' | 'json';
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  program
    .command('verify')
    .description('check generated bindings against a QEMU binary or a query-qmp-schema capture')
    .requiredOption('--bindings <dir>', 'directory of generated bindings (holds qmp-schema.json)')
    .option('--from-qemu <binary>', 'start this qemu-system-* or qemu-storage-daemon and ask its schema (arguments after --)')
    .option('--introspection <file>', 'query-qmp-schema output (JSON) of the target')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .argument('[qemuArgs...]', 'arguments for the --from-qemu binary (after --)')
    .action(async (qemuArgs: string[], opts: VerifyCliOptions) => {
      if ((opts.fromQemu === undefined) === (opts.introspection === undefined)) {
        throw new Error('give exactly one of --from-qemu BINARY or --introspection FILE');
      }
      if (qemuArgs.length > 0 && opts.fromQemu === undefined) throw new Error(`unexpected arguments: ${qemuArgs.join(' ')}`);
      const [{ readRecord }, { introspectionToModel, readIntrospection }, { verifyBindings, formatVerifyText, problemCount }] = await Promise.all([
        import('../../tools/diff/read-record.js'),
        import('../../generator/read/introspection.js'),
        import('../../tools/diff/verify.js'),
      ]);
      const { record, file } = readRecord(opts.bindings);
      let target;
      let targetName: string;
      let version: { major: number; minor: number; micro: number } | undefined;
      if (opts.fromQemu !== undefined) {
        const { captureIntrospection } = await import('../../generator/read/qemu.js');
        const cap = await captureIntrospection(opts.fromQemu, qemuArgs);
        const { major, minor, micro } = cap.version.qemu;
        version = cap.version.qemu;
        targetName = `${opts.fromQemu} (QEMU ${major}.${minor}.${micro})`;
        target = introspectionToModel(cap.schema, opts.fromQemu);
      } else {
        targetName = opts.introspection!;
        target = readIntrospection(opts.introspection!);
      }
      const { isReleaseSetRecord, verifyReleaseSet, formatReleaseVerifyText } = await import('../../tools/diff/verify-releases.js');
      if (isReleaseSetRecord(record)) {
        // A release set: which release the target matches, and its differences from that one.
        const sets = verifyReleaseSet(opts.bindings, record, file, target, targetName, version);
        process.stdout.write(opts.format === 'json' ? JSON.stringify(sets, null, 2) + '\n' : formatReleaseVerifyText(sets));
        return setExit(problemCount(sets.report) > 0 ? 1 : 0);
      }
      const bindings = introspectionToModel(record.schema, file);
      const report = verifyBindings(opts.bindings, record, bindings, target, targetName);
      process.stdout.write(opts.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatVerifyText(report));
      setExit(problemCount(report) > 0 ? 1 : 0);
    });
};
