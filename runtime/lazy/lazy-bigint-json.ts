/**
 * The package's names for bigint-json.ts, which the client loads lazily (for
 * `integers: 'bigint'`). Declared here rather than re-exported: see "Lazily loaded modules"
 * in index.ts.
 */
import * as bigintJson from '../json/bigint-json.js';

/** `JSON.parse`, lossless for integers beyond 2^53: see bigint-json.ts. */
export const parseJson = bigintJson.parseJson;
/** The lossless codec for the client's `json` option. */
export const losslessJson = bigintJson.losslessJson;
/** Schema-directed conversion of 64-bit integer members to `bigint`. */
export const toBigIntMembers = bigintJson.toBigIntMembers;
/** The built-in types that are `bigint` in the opt-in mode. */
export const BIGINT_BUILTINS = bigintJson.BIGINT_BUILTINS;
