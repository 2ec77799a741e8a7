/**
 * qmp-ts, the generator side: read and check QAPI schemas, generate typed bindings.
 *
 * ```ts
 * import { generate } from 'qmp-ts';
 * await generate({ schema: 'qapi/qapi-schema.json', output: 'src/qmp' });
 * ```
 *
 * Plugins (`plugins: [...]` on a target, a {@link QmpTsPlugin} each) change the emitted
 * files through ts-morph before they are written.
 *
 * The runtime client is `@qmp-ts/runtime`.
 */
export {
  generate,
  generateFromModel,
  loadTarget,
  loadTargetWithDocs,
  type GenerateOptions,
  type LoadedTarget,
  type GenerateTarget,
  type OutputFormat,
  type TargetInput,
  type TargetSettings,
  type TargetResult,
} from './generate.js';
import type { TargetSettings } from './config.js';
export { readConfig, type PluginSpec } from './config.js';
export type { PluginModel } from './plugins/types.js';
/** What a plugin receives: the ts-morph Project, the model, the target's settings. */
export type PluginContext = import('./plugins/types.js').PluginContext<TargetSettings>;
/** A plugin: `plugins: [...]` on a target, `--plugin MODULE`; may be async. */
export type QmpTsPlugin = import('./plugins/types.js').QmpTsPlugin<TargetSettings>;
export { PluginError } from './plugins/errors.js';
export { loadSchema, type LoadOptions } from './load.js';
export { DEFAULT_READ_LIMITS, type ReadLimits } from './read/limits.js';
export { attachDocs, coverageLine, type DocCoverage, type DocumentedSchema } from './model/docs/attach.js';
export { QapiError, type SourceInfo } from './diagnostics.js';
export type * from './model/types.js';
