/**
 * ts-morph, loaded on first use (only plugins and `--check-types` need it). Through
 * `require`: ts-morph and the TypeScript it loads are CommonJS, and importing them from ES
 * modules makes Node scan their 10 MB of source for export names first (about a tenth of a
 * second of a cold `generate --plugin`).
 */
import { createRequire } from 'node:module';
import type * as TsMorphModule from 'ts-morph';

type TsMorph = typeof TsMorphModule;
let loaded: TsMorph | undefined;

export function tsMorph(): TsMorph {
  return (loaded ??= createRequire(import.meta.url)('ts-morph') as TsMorph);
}
