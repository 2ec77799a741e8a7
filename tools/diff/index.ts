export { diffSchemas, type DiffOptions } from './compare.js';
export { conditionKey } from './sides.js';
export { formatDiff, formatText, formatMarkdown, summaryLine, exitStatus, type DiffFormat, type FailOn } from './render.js';
export * from './types.js';
