/// <reference types="node" preserve="true" />
/**
 * @qmp-ts/runtime/internal: what the qmp-ts generator and tools share with the runtime
 * (the symbols generated code imports, method naming, integer ranges, target labels), so
 * the two cannot drift apart.
 *
 * @internal Not part of the runtime's public API: no semver promise; applications import
 * `@qmp-ts/runtime`.
 */
export {
  runtimeSymbols,
  typedClientMembers,
  DEFAULT_RUNTIME_SPECIFIER,
  CommandFlag,
  type RuntimeSymbol,
  type RuntimeSymbolName,
} from './symbols.js';
export { camelCase, nameWords, splitDownstream, type SplitName } from './wire-names.js';
export { intRange, type IntRange } from './validation/int-ranges.js';
export { describeTarget } from './client/target.js';
export { toError, reasonText } from './errors.js';
export { terminalText, terminalJson, terminalWarning, type TerminalTextOptions } from './host/terminal-text.js';
export { spawnOwned } from './host/owned-process.js';
export { makeOwnedFolder } from './host/owned-folder.js';
export { compareReleases, matchRelease, parseRelease } from './releases/releases.js';
export { openPrivateAppend } from './host/private-file.js';
