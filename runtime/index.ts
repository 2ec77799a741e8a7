// Kept in index.d.ts (preserve): the declarations name Buffer and node: modules, so a consumer's
// program loads @types/node even under TypeScript 7, whose default `types` is empty.
/// <reference types="node" preserve="true" />
/**
 * qmp-ts/runtime: a dependency-free client for QEMU's machine protocol (QMP), for QEMU,
 * qemu-storage-daemon and the QEMU guest agent.
 */
export {
  QmpClient,
  type ClientOptions,
  type ClientState,
  type CloseInfo,
  type ExecuteOptions,
  type LogHook,
  type QmpGreeting,
  type QmpVersion,
  type ReconnectOptions,
} from './client.js';
export {
  ConnectionClosedError,
  EventListenerError,
  EventOverflowError,
  QmpError,
  QmpProtocolError,
  QmpTimeoutError,
  QmpUsageError,
  type ProtocolErrorKind,
} from './errors.js';
export {
  type EventFilter,
  type EventIteratorOptions,
  type EventListener,
  type QmpEventMessage,
  type QmpTimestamp,
  type WaitForEventOptions,
} from './events.js';
export { plainJson, type JsonCodec } from './json.js';
export {
  QmpValidationError,
  Validator,
  describeIssue,
  formatPath,
  type ValidationIssue,
  type ValidationIssueKind,
  type ValidationMode,
  type ValidationResult,
  type ValidatorTable,
  type TypeDesc,
  type MemberDesc,
  type AlternateKey,
  type BuiltinTypeName,
} from './validate.js';
export type { ValidationOptions, ValidationSetting } from './message-checks.js';
export {
  losslessJson,
  parseJson,
  stringifyJson,
  toBigIntMembers,
  BIGINT_BUILTINS,
  type IntegerMode,
  type ParseOptions,
  type PrecisionLoss,
} from './bigint-json.js';
export { SchemaProbe, SchemaInfoError, fetchSchemaProbe, parseSchemaInfo, type ProbePath, type ProbeMatch, type SchemaInfo } from './probe.js';
export { LineSplitter, type LineSink, type LineSplitterOptions } from './framing.js';
export type { ConnectTarget, StreamFactory } from './transport.js';
export * from './typed.js';
export {
  runtimeSymbols,
  typedClientMembers,
  DEFAULT_RUNTIME_SPECIFIER,
  type RuntimeSymbol,
  type RuntimeSymbolName,
} from './symbols.js';
