/**
 * The pragma state the checks consult. Pragmas are schema-global in QEMU (one shared
 * object, final values apply everywhere); the reader collects them into `ParsedSchema.pragma`.
 */
import type { Pragmas } from '../model/types.js';
import type { SchemaPragma } from '../read/parsed.js';

export interface CheckPragmas {
  readonly docRequired: boolean;
  readonly commandNameExceptions: ReadonlySet<string>;
  readonly commandReturnsExceptions: ReadonlySet<string>;
  readonly documentationExceptions: ReadonlySet<string>;
  readonly memberNameExceptions: ReadonlySet<string>;
}

export function toCheckPragmas(p: SchemaPragma): CheckPragmas {
  return {
    docRequired: p.docRequired,
    commandNameExceptions: new Set(p.commandNameExceptions),
    commandReturnsExceptions: new Set(p.commandReturnsExceptions),
    documentationExceptions: new Set(p.documentationExceptions),
    memberNameExceptions: new Set(p.memberNameExceptions),
  };
}

/** A frozen copy for the model. */
export function modelPragmas(p: SchemaPragma): Pragmas {
  return Object.freeze({
    docRequired: p.docRequired,
    commandNameExceptions: Object.freeze([...p.commandNameExceptions]),
    commandReturnsExceptions: Object.freeze([...p.commandReturnsExceptions]),
    documentationExceptions: Object.freeze([...p.documentationExceptions]),
    memberNameExceptions: Object.freeze([...p.memberNameExceptions]),
  });
}
