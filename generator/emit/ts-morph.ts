/**
 * The parts of ts-morph the emitter uses, loaded with `require`: ts-morph is CommonJS, and
 * importing it as ESM makes Node scan its source for named exports first (a quarter of a
 * second per run). Types still come from `import type { ... } from 'ts-morph'`.
 */
import { createRequire } from 'node:module';

const tsMorph = createRequire(import.meta.url)('ts-morph') as typeof import('ts-morph');

export const { printStructure, StructureKind, VariableDeclarationKind } = tsMorph;
