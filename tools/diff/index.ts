export { diffSchemas, conditionText, type DiffOptions } from './compare.js';
export { formatDiff, formatText, formatMarkdown, summaryLine, exitStatus, type DiffFormat, type FailOn } from './format.js';
export * from './types.js';
