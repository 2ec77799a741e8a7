/**
 * How a command prints a schema error. The error for QEMU's syntax before 6.2 ends with
 * advice on what to read instead; each command names what it itself accepts.
 */
import type { QapiError } from '../generator/diagnostics.js';
import { Pre62SyntaxError } from '../generator/check/pre-6.2.js';

const CAPTURE = '`qmp-ts capture BINARY -o FILE` saves it from the QEMU binary';

const FLAGS = 'use --from-qemu BINARY, --socket PATH or --introspection FILE (query-qmp-schema output), which work for every release';

/** Per command, what to do with a pre-6.2 schema; commands not listed keep the library's words. */
const PRE_62_ADVICE: Readonly<Record<string, string>> = {
  check: `check the release's query-qmp-schema output instead (${CAPTURE}), which works for every release`,
  dump: `dump the release's query-qmp-schema output instead (${CAPTURE}), which works for every release`,
  diff: `compare the release's query-qmp-schema output instead (${CAPTURE}; the new side may also be --from-qemu BINARY or --socket PATH), which works for every release`,
  generate: FLAGS,
  package: FLAGS,
  verify: FLAGS,
};

/** The message `command` prints for `e`. */
export function errorText(e: QapiError, command: string | undefined): string {
  const advice = command !== undefined && Object.hasOwn(PRE_62_ADVICE, command) ? PRE_62_ADVICE[command] : undefined;
  return e instanceof Pre62SyntaxError && advice !== undefined ? e.withAdvice(advice) : e.message;
}
