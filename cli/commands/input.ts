/**
 * The input flags every command that reads one schema shares (`generate`, `package`,
 * `verify`, the new side of `diff`): one definition, so a flag means the same everywhere.
 *
 *   --schema FILE          QAPI source, YAML, query-qmp-schema JSON or a qmp-schema.json record
 *   --introspection FILE   the same (format detected; the name kept for captures)
 *   --from-qemu BINARY     start a qemu-system-* / qemu-storage-daemon, ask its schema (args after --)
 *   --socket PATH          ask a running peer on its QMP Unix socket
 *   --tcp HOST:PORT        ask a running peer on its QMP TCP socket
 */
import type { Command } from 'commander';
import type { SingleInput } from '../../generator/config.js';
import { parseTcpAddress, peerName } from '../../generator/read/peer-address.js';

export interface InputCliOptions {
  readonly schema?: string;
  readonly introspection?: string;
  readonly fromQemu?: string;
  readonly socket?: string;
  readonly tcp?: string;
}

/** The input flags' names, for messages. */
export const INPUT_FLAGS = '--schema, --introspection, --from-qemu, --socket or --tcp';

/** A wrong combination of flags: exit status 2, like commander's own usage errors. */
export class UsageError extends Error {}

/** Adds the input flags to `command`. */
export function addInputOptions(command: Command): Command {
  return command
    .option('--schema <file>', 'QAPI source, YAML, query-qmp-schema JSON or a qmp-schema.json beside bindings (format detected)')
    .option('--introspection <file>', 'query-qmp-schema output (JSON) or a qmp-schema.json; any format --schema reads')
    .option('--from-qemu <binary>', 'start this qemu-system-* or qemu-storage-daemon and ask its schema (arguments after --)')
    .option('--socket <path>', "ask the schema of a running QEMU on its QMP Unix socket")
    .option('--tcp <host:port>', "ask the schema of a running QEMU on its QMP TCP socket");
}

/**
 * The one input the flags name (undefined when none does). More than one, or QEMU arguments
 * without `--from-qemu`, is a UsageError.
 */
export function inputFrom(opts: InputCliOptions, qemuArgs: readonly string[], resolvePath: (p: string) => string = (p) => p): SingleInput | undefined {
  const inputs: SingleInput[] = [];
  if (opts.schema !== undefined) inputs.push({ schema: resolvePath(opts.schema) });
  if (opts.introspection !== undefined) inputs.push({ introspection: resolvePath(opts.introspection) });
  if (opts.fromQemu !== undefined) inputs.push({ fromQemu: { binary: opts.fromQemu, args: qemuArgs } });
  if (opts.socket !== undefined) inputs.push({ fromPeer: { path: resolvePath(opts.socket) } });
  if (opts.tcp !== undefined) {
    const peer = parseTcpAddress(opts.tcp);
    if (!peer) throw new UsageError(`--tcp: expected HOST:PORT (port 1-65535), not '${opts.tcp}'`);
    inputs.push({ fromPeer: peer });
  }
  if (inputs.length > 1) throw new UsageError(`give only one of ${INPUT_FLAGS}`);
  if (qemuArgs.length > 0 && opts.fromQemu === undefined) {
    throw new UsageError(`unexpected arguments: ${qemuArgs.join(' ')} (QEMU arguments go after --from-qemu BINARY --)`);
  }
  return inputs[0];
}

/** How an input is named in reports. */
export function inputName(input: SingleInput): string {
  if ('schema' in input) return input.schema;
  if ('introspection' in input) return input.introspection;
  if ('fromQemu' in input) return input.fromQemu.binary;
  return peerName(input.fromPeer);
}

/** Turns a UsageError into commander's usage error (exit status 2); rethrows anything else. */
export function reportUsage(command: Command): (e: unknown) => never {
  return (e) => {
    if (e instanceof UsageError) command.error(`error: ${e.message}`, { exitCode: 2 });
    throw e;
  };
}

/** The input the flags name, for a command that needs one: usage errors exit with status 2. */
export function requireInput(command: Command, opts: InputCliOptions, qemuArgs: readonly string[]): SingleInput {
  try {
    const input = inputFrom(opts, qemuArgs);
    if (!input) throw new UsageError(`give one of ${INPUT_FLAGS}`);
    return input;
  } catch (e) {
    return reportUsage(command)(e);
  }
}
