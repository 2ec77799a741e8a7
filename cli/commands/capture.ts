/**
 * `qmp-ts capture BINARY [-o FILE] [-- ARGS...]`: start a QEMU binary, save its
 * `query-qmp-schema` reply (deterministic form, plus the `.meta.json` sidecar with `-o`).
 * `qmp-ts capture qemu-system-x86_64 -o schema/qemu-7.2-x86_64.introspection.json`
 * refreshes the project's default schema.
 */
import type { Command } from 'commander';
import { captureIntrospection } from '../../generator/read/qemu.js';
import { formatCapturedSchema, writeCapture } from '../../tools/capture.js';
import type { SubcommandModule } from '../subcommand.js';
import { writeData, writeError } from '../terminal.js';

interface CaptureCliOptions {
  readonly output?: string;
  readonly timeout: string;
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  program
    .command('capture')
    .description('start a qemu-system-* or qemu-storage-daemon binary and save its query-qmp-schema reply')
    .argument('<binary>', 'the QEMU binary (name on PATH or path)')
    .argument('[args...]', 'extra arguments for the binary (after --)')
    .option('-o, --output <file>', 'write the schema here and a .meta.json sidecar next to it (default: stdout)')
    .option('--timeout <ms>', 'time limit for the whole capture', '30000')
    .action(async (binary: string, args: string[], opts: CaptureCliOptions) => {
      const timeout = Number(opts.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) throw new Error(`--timeout must be a positive number of ms, not '${opts.timeout}'`);
      const capture = await captureIntrospection(binary, args, { timeout });
      if (opts.output === undefined) {
        writeData(formatCapturedSchema(capture.schema), 'json');
      } else {
        const meta = writeCapture(capture, opts.output);
        const { major, minor, micro } = capture.version.qemu;
        writeError(`wrote ${opts.output} (${capture.schema.length} entries, QEMU ${major}.${minor}.${micro}) and ${meta}\n`);
      }
      setExit(0);
    });
};
