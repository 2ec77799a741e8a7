/**
 * QEMU's `-compat` policy, as the fake emulates it (qapi/compat.json): refuse deprecated or
 * unstable input, hide deprecated output. The special features come from the validator
 * table's `features` entry.
 */
import type { TypeDesc, ValidatorTable } from '../validation/validator-table.js';
import type { InputPolicy } from './fake-input.js';

/** QEMU's `-compat` option; members left out mean `accept` (QEMU's default). */
export interface CompatPolicy {
  readonly 'deprecated-input'?: 'accept' | 'reject';
  readonly 'deprecated-output'?: 'accept' | 'hide';
  readonly 'unstable-input'?: 'accept' | 'reject';
}

export class Compat {
  readonly input: InputPolicy;
  readonly hideOutput: boolean;
  readonly #types: readonly TypeDesc[];
  readonly #deprecatedCommands: ReadonlySet<string>;
  readonly #unstableCommands: ReadonlySet<string>;
  readonly #deprecatedEvents: ReadonlySet<string>;
  /** Type index -> deprecated members of that struct or union. */
  readonly #hidden = new Map<number, Set<string>>();

  constructor(table: ValidatorTable, policy: CompatPolicy = {}) {
    this.#types = table.types;
    this.input = { rejectDeprecated: policy['deprecated-input'] === 'reject', rejectUnstable: policy['unstable-input'] === 'reject' };
    this.hideOutput = policy['deprecated-output'] === 'hide';
    const { deprecated, unstable } = table.features ?? {};
    this.#deprecatedCommands = new Set(deprecated?.commands);
    this.#unstableCommands = new Set(unstable?.commands);
    this.#deprecatedEvents = new Set(deprecated?.events);
    for (const [type, member] of deprecated?.members ?? []) {
      let set = this.#hidden.get(type);
      if (set === undefined) this.#hidden.set(type, (set = new Set()));
      set.add(member);
    }
  }

  /** QEMU's refusal of a command under the policy (class CommandNotFound), or undefined. */
  refuseCommand(name: string): string | undefined {
    if (this.input.rejectDeprecated && this.#deprecatedCommands.has(name)) return `Deprecated command ${name} disabled by policy`;
    if (this.input.rejectUnstable && this.#unstableCommands.has(name)) return `Unstable command ${name} disabled by policy`;
    return undefined;
  }

  /** True when `deprecated-output=hide` drops this event. */
  hidesEvent(name: string): boolean {
    return this.hideOutput && this.#deprecatedEvents.has(name);
  }

  /** A copy of `value` (of type `type`) without deprecated members, under `deprecated-output=hide`. */
  output(type: number, value: unknown): unknown {
    return this.hideOutput && this.#hidden.size > 0 ? this.#strip(type, value) : value;
  }

  #strip(i: number, v: unknown): unknown {
    const d = this.#types[i]!;
    switch (d[0]) {
      case 'a':
        return Array.isArray(v) ? v.map((x) => this.#strip(d[1], x)) : v;
      case 'l': {
        const kind = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
        const alt = d[2].find(([k]) => k === kind || (kind === 'number' && k === 'int'));
        return alt === undefined ? v : this.#strip(alt[1], v);
      }
      case 's':
      case 'u': {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
        const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
        this.#stripMembers(i, out);
        return out;
      }
      default:
        return v;
    }
  }

  #stripMembers(i: number, out: Record<string, unknown>): void {
    const d = this.#types[i]!;
    if (d[0] !== 's' && d[0] !== 'u') return;
    const hidden = this.#hidden.get(i);
    for (const [name, type] of d[2]) {
      if (!Object.hasOwn(out, name)) continue;
      if (hidden?.has(name)) delete out[name];
      else out[name] = this.#strip(type, out[name]);
    }
    if (d[0] === 'u') {
      const tag = out[d[3]];
      if (typeof tag === 'string' && Object.hasOwn(d[4], tag)) this.#stripMembers(d[4][tag]!, out);
    }
  }
}
