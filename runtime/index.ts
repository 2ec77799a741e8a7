// Kept in index.d.ts (preserve): the declarations name Buffer and node: modules, so a consumer's
// program loads @types/node even under TypeScript 7, whose default `types` is empty.
/// <reference types="node" preserve="true" />
/**
 * @qmp-ts/runtime: a dependency-free client for QEMU's machine protocol (QMP), for QEMU,
 * qemu-storage-daemon and the QEMU guest agent.
 */
export { QmpClient, type CloseInfo, type QmpGreeting, type QmpVersion } from './client/client.js';
export type { ClientOptions, ClientState, ExecuteOptions, LogHook } from './client/client-options.js';
export type { ReconnectOptions } from './client/reconnect.js';
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
} from './client/events.js';
export { plainJson, type JsonCodec } from './json/json.js';
export {
  QmpValidationError,
  isQmpValidationError,
  describeIssue,
  formatPath,
  type ValidationIssue,
  type ValidationIssueKind,
  type ValidationResult,
} from './validation/issues.js';
export type {
  ValidationMode,
  ValidatorTable,
  TypeDesc,
  MemberDesc,
  AlternateKey,
  BuiltinTypeName,
  SpecialFeatureSet,
} from './validation/validator-table.js';
export type { ValidationOptions, ValidationSetting } from './client/message-checks.js';
export { stringifyJson } from './json/json-stringify.js';
export type { IntegerMode, ParseOptions, PrecisionLoss } from './json/bigint-json.js';
/*
 * Lazily loaded modules. The client imports validate.ts (with the table check, the
 * interpreter and the JIT), bigint-json.ts, probe.ts and transcript.ts with `import()` (as it
 * does message-checks.ts, agent-sync.ts and reconnect.ts, which the barrel exports only types
 * of: client.ts, client-parts.ts), and
 * the typed client jobs.ts, migration.ts, device-del.ts and launch.ts, so that a bundle with
 * code splitting loads them only when used. esbuild's code splitting walks from the entry
 * through every module that has code in the bundle, along all its imports and re-exports, used
 * or not, and a re-export leads straight to the module that declares the name: a plain
 * `export { Validator } from './validation/validate.js'` here would put validate.ts in the up-front
 * chunks of every consumer of this package. So their public names are declared in lazy-*.ts
 * (a `const` bound to the real one, and a type of the same name): the walk stops at those
 * modules, which have no code in a bundle that does not use their names. Type-only exports
 * (`export type`) leave no import behind. The same holds for the client's own modules: none
 * may import these statically (transcript.ts writes without bigint-json.ts for that reason).
 * test/runtime/bundle-split.test.ts checks it.
 */
export { Validator } from './lazy/lazy-validate.js';
export { losslessJson, parseJson, toBigIntMembers, BIGINT_BUILTINS } from './lazy/lazy-bigint-json.js';
export { SchemaProbe, SchemaInfoError, fetchSchemaProbe, parseSchemaInfo } from './lazy/lazy-probe.js';
export type { ProbePath, ProbeMatch, SchemaInfo } from './probe.js';
export type { ConnectTarget, StreamFactory } from './client/transport.js';
export * from './typed.js';
// jobs, migration, device removal and launch: loaded by the typed client on first use
export { runJob, JobError, isJobError } from './lazy/lazy-jobs.js';
export type { JobInfo, JobProgress, JobRun, JobStatus, JobVerbs, RunJobOptions } from './operations/jobs.js';
export { runMigration, awaitMigration, MigrationError, isMigrationError } from './lazy/lazy-migration.js';
export type { MigrationInfo, MigrationOptions, MigrationProgress } from './operations/migration.js';
export { deviceDel } from './lazy/lazy-device-del.js';
export type { DeviceDelOptions } from './operations/device-del.js';
// launchClient (what generated clients call) is typed.ts's, which loads launch.ts on first use
export { launch, QmpLaunchError, isQmpLaunchError } from './lazy/lazy-launch.js';
export type { LaunchOptions, LaunchedProcess, Launched, ProcessExit, QemuKind } from './launch.js';
// the transcript writer: loaded by the client on first use (`record`, client-parts.ts)
export { Transcript } from './lazy/lazy-transcript.js';
export type { TranscriptEntry } from './transcript/transcript.js';
export { readTranscript, type TranscriptMessage } from './transcript/transcript-read.js';
export {
  FakeQemu,
  QmpErrorReply,
  type FakeCall,
  type FakeFailure,
  type FakeFault,
  type FakeFaultOptions,
  type FakeHandler,
  type FakeHandlers,
  type FakeQemuOptions,
  type FakeReceived,
  type FakeSchema,
  type ReplayOptions,
  type UntypedCommands,
} from './testing/fake-server.js';
export type { CompatPolicy } from './testing/fake-compat.js';
export {
  defineReleases,
  matchRelease,
  compareReleases,
  parseRelease,
  releasesOf,
  releaseHas,
  checkAvailable,
  ReleaseMatchError,
  ReleaseUnavailableError,
  type ReleaseTable,
} from './releases/releases.js';
export { ReleaseQmpClient, ReleaseUnknownError } from './releases/release-client.js';
