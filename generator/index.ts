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
export { readConfig } from './config.js';
export type { PluginContext, PluginModel, PluginSpec, QmpTsPlugin } from './plugins/types.js';
export { PluginError } from './plugins/errors.js';
export { loadSchema, type LoadOptions } from './load.js';
export { DEFAULT_READ_LIMITS, type ReadLimits } from './read/limits.js';
export { attachDocs, coverageLine, type DocCoverage, type DocumentedSchema } from './model/docs/attach.js';
export { QapiError, type SourceInfo } from './diagnostics.js';
export type * from './model/types.js';
