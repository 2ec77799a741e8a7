/**
 * The shape check of a validator table (validator-table.ts), run before anything is compiled
 * from one. Kept beside the format rather than in it: the format is types only, imported by
 * the generator too.
 */
import { INT_RANGES } from './int-ranges.js';
import type { ValidatorTable } from './validator-table.js';

/**
 * Checks a table's shape before anything is compiled from it: indexes are integers in range,
 * names strings, tags known. A table may come from a file or be built from a live server's
 * `query-qmp-schema`; the compiled predicates embed its names (as JSON string literals) and
 * indexes, so nothing else may get through.
 */
export function assertValidatorTable(table: ValidatorTable): void {
  const bad = (where: string): never => { throw new Error(`malformed validator table: ${where}`); };
  if (typeof table !== 'object' || table === null || table.v !== 1) bad(`version ${String((table as { v?: unknown } | null)?.v)} (expected 1)`);
  if (!Array.isArray(table.types)) bad('types is not an array');
  const n = table.types.length;
  const index = (x: unknown, where: string): void => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= n) bad(`${where}: type index ${String(x)}`);
  };
  const str = (x: unknown, where: string): void => { if (typeof x !== 'string') bad(`${where}: not a string`); };
  const members = (ms: unknown, where: string): void => {
    if (!Array.isArray(ms)) bad(`${where}: members`);
    (ms as unknown[]).forEach((m, j) => {
      if (!Array.isArray(m) || (m.length !== 2 && !(m.length === 3 && m[2] === 1))) bad(`${where}.members[${j}]`);
      str((m as unknown[])[0], `${where}.members[${j}]`);
      index((m as unknown[])[1], `${where}.members[${j}]`);
    });
  };
  table.types.forEach((d: unknown, i) => {
    const w = `types[${i}]`;
    if (!Array.isArray(d)) bad(w);
    const t = d as unknown[];
    switch (t[0]) {
      case 'b': if (!Object.hasOwn(INT_RANGES, t[1] as string) && !['str', 'number', 'bool', 'null', 'any'].includes(t[1] as string)) bad(`${w}: built-in ${String(t[1])}`); break;
      case 'e': str(t[1], w); if (!Array.isArray(t[2])) bad(w); (t[2] as unknown[]).forEach((x) => str(x, `${w} value`)); break;
      case 'a': index(t[1], w); break;
      case 's': str(t[1], w); members(t[2], w); break;
      case 'u': {
        str(t[1], w); members(t[2], w); str(t[3], w);
        if (!(t[2] as unknown[][]).some((m) => m[0] === t[3])) bad(`${w}: discriminator is not a member`);
        if (typeof t[4] !== 'object' || t[4] === null) bad(`${w}: branches`);
        for (const [k, b] of Object.entries(t[4] as object)) { index(b, `${w}.branches.${k}`); if (!['s', 'u'].includes(table.types[b as number]![0])) bad(`${w}.branches.${k}: not an object type`); }
        break;
      }
      case 'l':
        str(t[1], w);
        if (!Array.isArray(t[2])) bad(w);
        for (const a of t[2] as unknown[]) {
          if (!Array.isArray(a) || !['string', 'number', 'int', 'boolean', 'null', 'object', 'array'].includes(a[0] as string)) bad(`${w}: alternative`);
          index((a as unknown[])[1], w);
        }
        break;
      default: bad(`${w}: tag ${String(t[0])}`);
    }
  });
  for (const [name, e] of Object.entries(table.commands ?? bad('commands'))) {
    if (!Array.isArray(e) || e.length !== 2) bad(`commands.${name}`);
    index(e[0], `commands.${name}`); index(e[1], `commands.${name}`);
  }
  for (const [name, e] of Object.entries(table.events ?? bad('events'))) index(e, `events.${name}`);
}
