export { diffSchemas, conditionKey, type DiffOptions } from './compare.js';
export { formatDiff, formatText, formatMarkdown, summaryLine, exitStatus, type DiffFormat, type FailOn } from './render.js';
export * from './types.js';
