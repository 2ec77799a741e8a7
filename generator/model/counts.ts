/**
 * How many definitions of each kind a schema has, counted the way QEMU's documentation
 * and README count them: explicit definitions only (no built-ins, arrays, `q_empty`,
 * `QType` or implicit `q_obj_*` types), conditional ones included.
 */
import type { Schema } from './types.js';

export interface SchemaCounts {
  readonly commands: number;
  readonly events: number;
  readonly structs: number;
  readonly unions: number;
  readonly alternates: number;
  readonly enums: number;
}

export function schemaCounts(schema: Schema): SchemaCounts {
  const c = { commands: 0, events: 0, structs: 0, unions: 0, alternates: 0, enums: 0 };
  for (const d of schema.entities) {
    if (d.implicit) continue;
    switch (d.kind) {
      case 'command': c.commands++; break;
      case 'event': c.events++; break;
      case 'struct': c.structs++; break;
      case 'union': c.unions++; break;
      case 'alternate': c.alternates++; break;
      case 'enum': c.enums++; break;
      default: break;
    }
  }
  return c;
}

export function formatCounts(c: SchemaCounts): string {
  return (
    `${c.commands} commands, ${c.events} events, ${c.structs} structs, ${c.unions} unions, ` +
    `${c.alternates} alternates, ${c.enums} enums`
  );
}
