/**
 * `qmp-ts shell [TARGET] [--from-qemu BINARY] [-- PEER-ARGS]`: the interactive,
 * schema-aware QMP shell. Registration only; the shell itself is imported when run.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { SubcommandModule } from '../subcommand.js';
import { addFileAccessOption, fileAccessFrom, type FileAccessCliOptions } from '../file-access.js';
import { writeError } from '../terminal.js';

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of milliseconds');
  return n;
}

interface ShellFlags extends FileAccessCliOptions {
  fromQemu?: string;
  agent?: boolean;
  schema?: string;
  transcript?: string;
  history?: string;
  check: boolean;
  color?: boolean;
  events: boolean;
  timeout?: number;
}

export const register: SubcommandModule['register'] = (program: Command, setExit) => {
  addFileAccessOption(program.command('shell'))
    .description('interactive QMP shell with completion and checks from the peer\'s own schema')
    .argument('[target]', 'QMP socket: PATH, unix:PATH, HOST:PORT or tcp:HOST:PORT')
    .argument('[peer-args...]', 'with --from-qemu: arguments for the binary (after --)')
    .option('--from-qemu <binary>', 'start BINARY (qemu-system-*, qemu-storage-daemon, qemu-ga) with a QMP socket and attach to it')
    .option('--agent', 'the peer is the guest agent (qemu-ga)')
    .option('--schema <file>', 'a QAPI source schema or introspection file: doc comments for help; the guest agent\'s argument types')
    .option('--transcript <file>', 'append everything sent and received to FILE as JSON lines')
    .option('--history <file>', 'history file (default $XDG_STATE_HOME/qmp-ts/history or ~/.qmp-ts_history)')
    .option('--no-check', 'send arguments without checking them against the schema')
    .option('--color', 'colour output even when it is not a terminal')
    .option('--no-color', 'no colours')
    .option('--no-events', 'non-interactive mode: do not print events')
    .option('--timeout <ms>', 'time limit for each command', positiveInt)
    .addHelpText('after', `
Input: COMMAND KEY=VALUE ... (nested: file.driver=file, lists: keys.0.type=qcode) or raw
JSON {"execute": ...}. When stdin is not a terminal, one command per line and one JSON
reply per line on stdout; the exit status is 1 if any command failed.

Examples:
  qmp-ts shell /run/qemu/vm1.qmp
  qmp-ts shell localhost:4444
  qmp-ts shell --from-qemu qemu-system-x86_64 -- -machine q35 -display none
  echo query-status | qmp-ts shell /tmp/qmp.sock`)
    .action(async (target: string | undefined, peerArgs: string[], flags: ShellFlags) => {
      if (flags.fromQemu && target !== undefined) peerArgs = [target, ...peerArgs];
      if (!flags.fromQemu && peerArgs.length > 0) {
        writeError(`qmp-ts shell: unexpected arguments: ${peerArgs.join(' ')} (peer arguments go with --from-qemu)\n`);
        setExit(2);
        return;
      }
      if (!flags.fromQemu && target === undefined) {
        writeError('qmp-ts shell: give a TARGET (socket path or HOST:PORT) or --from-qemu BINARY\n');
        setExit(2);
        return;
      }
      const { runShell } = await import('../../tools/shell/main.js');
      const code = await runShell({
        ...(flags.fromQemu ? { fromQemu: flags.fromQemu, peerArgs } : target !== undefined ? { target } : {}),
        agent: flags.agent ?? false,
        check: flags.check,
        events: flags.events,
        ...(flags.schema ? { schema: flags.schema, ...fileAccessFrom(flags) } : {}),
        ...(flags.transcript ? { transcript: flags.transcript } : {}),
        ...(flags.history ? { history: flags.history } : {}),
        ...(flags.color !== undefined ? { color: flags.color } : {}),
        ...(flags.timeout ? { timeout: flags.timeout } : {}),
      });
      setExit(code);
    });
};
