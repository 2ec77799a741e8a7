/** Definition counts straight from checked entities (no model needed), as QEMU counts them. */
import type { SchemaCounts } from '../model/counts.js';
import { AlternateEntity, CommandEntity, EnumEntity, EventEntity, ObjectEntity } from './entities.js';
import type { CheckedSchema } from './schema.js';

export function checkedCounts(checked: CheckedSchema): SchemaCounts {
  const c = { commands: 0, events: 0, structs: 0, unions: 0, alternates: 0, enums: 0 };
  for (const e of checked.definitions.values()) {
    if (e instanceof CommandEntity) c.commands++;
    else if (e instanceof EventEntity) c.events++;
    else if (e.isImplicit()) continue;
    else if (e instanceof ObjectEntity) e.branches ? c.unions++ : c.structs++;
    else if (e instanceof AlternateEntity) c.alternates++;
    else if (e instanceof EnumEntity) c.enums++;
  }
  return c;
}
