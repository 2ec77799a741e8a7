/**
 * Pre-send checks of a command's arguments: the project's strict validator
 * (runtime/validation/validate.ts over a descriptor table built from the peer's schema), with its JSON
 * paths shown in the friendly syntax the user typed (`arguments.keys[0].data` -> `keys.0.data`).
 */
import { describeIssue, Validator, type ValidationIssue } from '@qmp-ts/runtime';
import type { Schema } from '../../generator/model/types.js';
import { buildValidatorTable } from '../../generator/validation/table.js';

export interface ArgumentProblem {
  /** Dotted path inside `arguments`; '' for the arguments object itself. */
  readonly path: string;
  readonly message: string;
}

/** `arguments.keys[0]["odd key"]` -> `keys.0.odd key`. */
export function friendlyPath(path: string): string {
  return path
    .replace(/^arguments\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\["((?:[^"\\]|\\.)*)"\]/g, (_, k: string) => `.${JSON.parse(`"${k}"`) as string}`)
    .replace(/^\./, '');
}

function problem(issue: ValidationIssue): ArgumentProblem {
  const path = friendlyPath(issue.path);
  const text = describeIssue(issue);
  // describeIssue starts with the JSON path; keep only what follows it.
  const message = text.startsWith(`${issue.path}: `) ? text.slice(issue.path.length + 2) : text;
  return { path, message };
}

export class ArgumentChecker {
  readonly #validator: Validator;

  constructor(model: Schema) {
    this.#validator = new Validator(buildValidatorTable(model));
  }

  /** True when the schema describes the command's arguments. */
  knows(command: string): boolean {
    return this.#validator.hasCommand(command);
  }

  /** Problems with `args` for `command` (empty when they are fine or the command is unknown here). */
  check(command: string, args: Record<string, unknown> | undefined): ArgumentProblem[] {
    if (!this.knows(command)) return [];
    const result = this.#validator.checkArguments(command, args, 'strict');
    return result.issues.filter((i) => i.severity === 'error').map(problem);
  }
}
