/**
 * `qmp-ts verify --bindings DIR (--from-qemu BINARY [-- ARGS] | --socket PATH | --tcp HOST:PORT
 * | --introspection FILE | --schema FILE)`: which commands, events and members of generated
 * bindings a given QEMU lacks or types differently (exit 1 when there is any, so CI can check
 * an application against each QEMU it supports), and what that QEMU has that the bindings
 * lack, or never sends (listed, not problems). The bindings' schema comes from the
 * `qmp-schema.json` that `generate` writes.
 */
import { Option, type Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';
import { addFileAccessOption, fileAccessFrom, type FileAccessCliOptions } from '../file-access.js';
import { writeReport } from '../terminal.js';
import type { SingleInput } from '../../generator/config.js';
import type { Schema } from '../../generator/model/types.js';
import { addInputOptions, inputName, requireInput, type InputCliOptions } from './input.js';

interface VerifyCliOptions extends InputCliOptions, FileAccessCliOptions {
  readonly bindings: string;
  readonly format: 'text' | 'json';
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  const command = addFileAccessOption(addInputOptions(
    program
      .command('verify')
      .description('check generated bindings against a QEMU (binary, running socket) or a query-qmp-schema capture')
      .requiredOption('--bindings <dir>', 'directory of generated bindings (holds qmp-schema.json)'),
  ));
  command
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .argument('[qemuArgs...]', 'arguments for the --from-qemu binary (after --)')
    .action(async (qemuArgs: string[], opts: VerifyCliOptions) => {
      const input = requireInput(command, opts, qemuArgs);
      const [{ readRecord }, { introspectionToModel }, { verifyBindings, formatVerifyText, problemCount }] = await Promise.all([
        import('../../tools/diff/read-record.js'),
        import('../../generator/read/introspection.js'),
        import('../../tools/diff/verify.js'),
      ]);
      const { record, file } = readRecord(opts.bindings);
      const target = await readTarget(input, fileAccessFrom(opts));
      const { isReleaseSetRecord, verifyReleaseSet, formatReleaseVerifyText } = await import('../../tools/diff/verify-releases.js');
      if (isReleaseSetRecord(record)) {
        // A release set: which release the target matches, and its differences from that one.
        const sets = verifyReleaseSet(opts.bindings, record, file, target.schema, target.name, target.version);
        if (opts.format === 'json') writeReport(JSON.stringify(sets, null, 2) + '\n', 'json');
        else writeReport(formatReleaseVerifyText(sets), 'text');
        return setExit(problemCount(sets.report) > 0 ? 1 : 0);
      }
      const bindings = introspectionToModel(record.schema, file);
      const report = verifyBindings(opts.bindings, record, bindings, target.schema, target.name);
      if (opts.format === 'json') writeReport(JSON.stringify(report, null, 2) + '\n', 'json');
      else writeReport(formatVerifyText(report), 'text');
      setExit(problemCount(report) > 0 ? 1 : 0);
    });
};

/** The target's model and its name in the report (a live peer's name carries its version). */
async function readTarget(
  input: SingleInput,
  access: { allowOutsideIncludes?: true },
): Promise<{ schema: Schema; name: string; version?: { major: number; minor: number; micro: number } }> {
  if (!('fromQemu' in input) && !('fromPeer' in input)) {
    const { loadTarget } = await import('../../generator/generate.js');
    return { schema: await loadTarget({ ...input, output: '', ...access }), name: inputName(input) };
  }
  const [{ introspectionToModel }, { captureIntrospection }, { introspectPeer }] = await Promise.all([
    import('../../generator/read/introspection.js'),
    import('../../generator/read/qemu.js'),
    import('../../generator/read/peer.js'),
  ]);
  const reply = 'fromQemu' in input ? await captureIntrospection(input.fromQemu.binary, input.fromQemu.args ?? []) : await introspectPeer(input.fromPeer);
  const { major, minor, micro } = reply.version.qemu;
  const name = `${inputName(input)} (QEMU ${major}.${minor}.${micro})`;
  return { schema: introspectionToModel(reply.schema, inputName(input)), name, version: reply.version.qemu };
}
