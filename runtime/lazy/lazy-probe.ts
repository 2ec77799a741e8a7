/**
 * The package's names for probe.ts, which the client loads lazily (`QmpClient.schema()`).
 * Declared here rather than re-exported: see "Lazily loaded modules" in index.ts.
 */
import * as probe from '../probe.js';

/** The answer to `query-qmp-schema`, queryable by path: see probe.ts. */
export const SchemaProbe = probe.SchemaProbe;
export type SchemaProbe<C extends string = string, E extends string = string> = probe.SchemaProbe<C, E>;
/** The reply did not have the shape `query-qmp-schema` documents. */
export const SchemaInfoError = probe.SchemaInfoError;
export type SchemaInfoError = probe.SchemaInfoError;
/** Runs `query-qmp-schema` and wraps the result in a {@link SchemaProbe}. */
export const fetchSchemaProbe = probe.fetchSchemaProbe;
/** Checks a `query-qmp-schema` reply's shape; throws {@link SchemaInfoError} where it is wrong. */
export const parseSchemaInfo = probe.parseSchemaInfo;
