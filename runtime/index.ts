// Kept in index.d.ts (preserve): the declarations name Buffer and node: modules, so a consumer's
// program loads @types/node even under TypeScript 7, whose default `types` is empty.
/// <reference types="node" preserve="true" />
/**
 * @qmp-ts/runtime: a dependency-free client for QEMU's machine protocol (QMP), for QEMU,
 * qemu-storage-daemon and the QEMU guest agent.
 */
export { QmpClient, type CloseInfo, type QmpGreeting, type QmpVersion } from './client.js';
export type { ClientOptions, ClientState, ExecuteOptions, LogHook } from './client-options.js';
export type { ReconnectOptions } from './reconnect.js';
export {
  ConnectionClosedError,
  EventListenerError,
  EventOverflowError,
  QmpConnectionError,
  QmpError,
  QmpProtocolError,
  QmpTimeoutError,
  QmpUsageError,
  isConnectionClosedError,
  isEventOverflowError,
  isQmpConnectionError,
  isQmpError,
  isQmpProtocolError,
  isQmpTimeoutError,
  isQmpUsageError,
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
  isQmpValidationError,
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
  type SpecialFeatureSet,
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
export type { ConnectTarget, StreamFactory } from './transport.js';
export * from './typed.js';
export { runJob, JobError, isJobError, type JobInfo, type JobProgress, type JobRun, type JobStatus, type JobVerbs, type RunJobOptions } from './jobs.js';
export {
  runMigration,
  awaitMigration,
  MigrationError,
  isMigrationError,
  type MigrationInfo,
  type MigrationOptions,
  type MigrationProgress,
} from './migration.js';
export { deviceDel, type DeviceDelOptions } from './device-del.js';
export {
  launch,
  launchClient,
  QmpLaunchError,
  isQmpLaunchError,
  type LaunchOptions,
  type LaunchedProcess,
  type Launched,
  type ProcessExit,
  type QemuKind,
} from './launch.js';
export { Transcript, readTranscript, type TranscriptEntry, type TranscriptMessage } from './transcript.js';
export {
  FakeQemu,
  QmpErrorReply,
  type FakeCall,
  type FakeFailure,
  type FakeHandler,
  type FakeHandlers,
  type FakeQemuOptions,
  type FakeReceived,
  type FakeSchema,
  type ReplayOptions,
  type UntypedCommands,
} from './fake-server.js';
export type { CompatPolicy } from './fake-compat.js';
