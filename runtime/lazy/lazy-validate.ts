/**
 * The package's name for validate.ts, which the client loads lazily (message-checks.ts).
 * Declared here rather than re-exported: see "Lazily loaded modules" in index.ts.
 */
import { Validator as ValidatorClass } from '../validation/validate.js';

/** Validators for one schema: see validate.ts. */
export const Validator = ValidatorClass;
export type Validator = ValidatorClass;
