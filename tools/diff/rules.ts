/**
 * Classifying changes by QEMU's compatibility rules (qapi-code-gen.rst, "Compatibility
 * considerations"): each local change carries a rule, its severity per direction of use, and
 * `classify` settles it for the contexts (direction, through something unstable) the change
 * is reached in. The builders here are the only place a message or a rule is chosen.
 */
import { isDeprecated, isUnstable, type Feature, type Member } from '../../generator/model/types.js';
import type { Relation } from '../../generator/model/wire.js';
import { SEVERITIES, type ChangeAction, type ChangeSubject, type Direction, type Severity } from './types.js';

/** Severity of a change per direction of use. */
export interface Rule {
  readonly in: Severity;
  readonly out: Severity;
}

const rule = (inSev: Severity, outSev: Severity): Rule => ({ in: inSev, out: outSev });
const BOTH_BREAKING = rule('breaking', 'breaking');
const BOTH_COMPATIBLE = rule('compatible', 'compatible');
const BOTH_INFO = rule('info', 'info');
const BOTH_DEPRECATION = rule('deprecation', 'deprecation');
/** Input: clients sending it are rejected. Output: it just is not sent any more. */
const BREAKS_INPUT = rule('breaking', 'compatible');
/** Input: a new way to say something. Output: the client may receive what it never saw. */
const BREAKS_OUTPUT = rule('compatible', 'breaking');

/** A change found at one site, before it is classified for the contexts the site is reached in. */
export interface LocalChange {
  /** Path suffix relative to the site, e.g. `/discard`, `/+file`, `/^raw`. */
  readonly rel: string;
  readonly action: ChangeAction;
  readonly subject: ChangeSubject;
  readonly message: string;
  readonly rule: Rule;
  /** The changed thing itself was unstable: a breaking change to it is `unstable`. */
  readonly subjectUnstable: boolean;
  readonly old?: string;
  readonly new?: string;
}

/** A context a site is reached in: the direction of use, and whether the path runs through something unstable. */
export interface Ctx {
  readonly dir: Direction;
  readonly unstable: boolean;
}

/** `x-` names are unstable by convention, older than the `unstable` feature. */
export function unstableNode(node: { readonly name: string; readonly features: readonly Feature[] }): boolean {
  return isUnstable(node) || node.name.startsWith('x-');
}

function worse(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}

/** The worst outcome of `change` over the contexts it is reached in (`info` when there are none). */
export function classify(change: LocalChange, contexts: readonly Ctx[]): Severity {
  let sev: Severity | undefined;
  for (const c of contexts) {
    let one = change.rule[c.dir];
    if (one === 'breaking' && (c.unstable || change.subjectUnstable)) one = 'unstable';
    sev = sev === undefined ? one : worse(sev, one);
  }
  return sev ?? 'info';
}

/** A removed command or event: breaking unless it was unstable. */
export function removedDefinitionSeverity(node: { readonly name: string; readonly features: readonly Feature[] }): Severity {
  return unstableNode(node) ? 'unstable' : 'breaking';
}

/** A capability flag: losing it breaks clients relying on it, gaining it is compatible. */
export function flagSeverity(flag: 'allow-oob' | 'allow-preconfig' | 'success-response', o: boolean, n: boolean, unstable: boolean): Severity {
  // Losing success-response means the client waits for a reply that never comes.
  const lost = flag === 'success-response' ? n === false : o === true;
  return lost ? (unstable ? 'unstable' : 'breaking') : 'compatible';
}

/** A type changed at one wire position; `relation` says whether the new type admits more or fewer values. */
export function typeChanged(rel: string, oldText: string, newText: string, relation: Relation, unstable: boolean): LocalChange {
  const last = rel.slice(rel.lastIndexOf('/') + 1);
  const what = last === '' || /^[!+^$]/.test(last) ? 'type' : `type of '${last}'`;
  const how = relation === 'wider' ? ' (widened)' : relation === 'narrower' ? ' (narrowed)' : '';
  return {
    rel,
    action: 'changed',
    subject: 'type',
    message: `${what} changed from ${oldText} to ${newText}${how}`,
    rule: relation === 'wider' ? BREAKS_OUTPUT : relation === 'narrower' ? BREAKS_INPUT : BOTH_BREAKING,
    subjectUnstable: unstable,
    old: oldText,
    new: newText,
  };
}

export function enumValueRemoved(rel: string, v: { readonly name: string; readonly features: readonly Feature[] }): LocalChange {
  return {
    rel,
    action: 'removed',
    subject: 'enum-value',
    message: `enum value '${v.name}' removed${isDeprecated(v) ? ' (was deprecated)' : ''}`,
    rule: BREAKS_INPUT,
    subjectUnstable: unstableNode(v),
  };
}

export function enumValueAdded(rel: string, name: string): LocalChange {
  return { rel, action: 'added', subject: 'enum-value', message: `enum value '${name}' added`, rule: BOTH_COMPATIBLE, subjectUnstable: false };
}

export function alternativeRemoved(rel: string, key: string): LocalChange {
  return { rel, action: 'removed', subject: 'alternative', message: `alternate branch of JSON type '${key}' removed`, rule: BREAKS_INPUT, subjectUnstable: false };
}

export function alternativeAdded(rel: string, key: string): LocalChange {
  return { rel, action: 'added', subject: 'alternative', message: `alternate branch of JSON type '${key}' added`, rule: BREAKS_OUTPUT, subjectUnstable: false };
}

export function branchRemoved(rel: string, value: string): LocalChange {
  return { rel, action: 'removed', subject: 'branch', message: `union branch '${value}' removed`, rule: BREAKS_INPUT, subjectUnstable: false };
}

export function branchAdded(rel: string, value: string): LocalChange {
  return { rel, action: 'added', subject: 'branch', message: `union branch '${value}' added`, rule: BOTH_COMPATIBLE, subjectUnstable: false };
}

export function discriminatorChanged(oldName: string, newName: string): LocalChange {
  return {
    rel: '',
    action: 'changed',
    subject: 'discriminator',
    message: `union discriminator changed from '${oldName}' to '${newName}'`,
    rule: BOTH_BREAKING,
    subjectUnstable: false,
    old: oldName,
    new: newName,
  };
}

/** A struct became a union or the reverse: the members on the wire are compared on their own. */
export function unionKindChanged(message: string): LocalChange {
  return { rel: '', action: 'changed', subject: 'type', message, rule: BOTH_COMPATIBLE, subjectUnstable: false };
}

export function memberAdded(rel: string, m: Member): LocalChange {
  return {
    rel,
    action: 'added',
    subject: 'member',
    message: `${m.optional ? 'optional' : 'mandatory'} member '${m.name}' added`,
    rule: rule(m.optional ? 'compatible' : 'breaking', 'compatible'),
    subjectUnstable: false,
  };
}

export function memberRemoved(rel: string, m: Member): LocalChange {
  return {
    rel,
    action: 'removed',
    subject: 'member',
    message: `${m.optional ? 'optional' : 'mandatory'} member '${m.name}' removed${isDeprecated(m) ? ' (was deprecated)' : ''}`,
    rule: BOTH_BREAKING,
    subjectUnstable: unstableNode(m),
  };
}

export function optionalityChanged(rel: string, m: Member, w: Member): LocalChange {
  return {
    rel,
    action: 'changed',
    subject: 'optional',
    message: `member '${m.name}' became ${w.optional ? 'optional' : 'mandatory'}`,
    // Input: mandatory -> optional relaxes. Output: the client can no longer rely on it.
    rule: w.optional ? BREAKS_OUTPUT : BREAKS_INPUT,
    subjectUnstable: unstableNode(m),
    old: m.optional ? 'optional' : 'mandatory',
    new: w.optional ? 'optional' : 'mandatory',
  };
}

/** Features dropped and added at one place. */
export function featureChanges(rel: string, o: readonly Feature[], n: readonly Feature[], unstable: boolean): LocalChange[] {
  const on = new Set(o.map((f) => f.name));
  const nn = new Set(n.map((f) => f.name));
  const out: LocalChange[] = [];
  for (const f of on) {
    if (nn.has(f)) continue;
    const r = f === 'deprecated' ? BOTH_DEPRECATION : f === 'unstable' ? BOTH_COMPATIBLE : BOTH_BREAKING;
    const note = f === 'deprecated' ? ' (no longer deprecated)' : f === 'unstable' ? ' (now stable)' : '';
    out.push({ rel: `${rel}/$${f}`, action: 'removed', subject: 'feature', message: `feature '${f}' removed${note}`, rule: r, subjectUnstable: unstable });
  }
  for (const f of nn) {
    if (on.has(f)) continue;
    const r = f === 'deprecated' || f === 'unstable' ? BOTH_DEPRECATION : BOTH_COMPATIBLE;
    out.push({ rel: `${rel}/$${f}`, action: 'added', subject: 'feature', message: `feature '${f}' added`, rule: r, subjectUnstable: false });
  }
  return out;
}

/** A condition changed (texts from `conditionKey`; '' for none); `undefined` when equal. */
export function conditionChanged(rel: string, a: string, b: string): LocalChange | undefined {
  if (a === b) return undefined;
  const action: ChangeAction = a === '' ? 'added' : b === '' ? 'removed' : 'changed';
  const message =
    action === 'added' ? `now only if ${b}` : action === 'removed' ? `no longer conditional (was if ${a})` : `condition changed from ${a} to ${b}`;
  return {
    rel,
    action,
    subject: 'condition',
    message,
    rule: BOTH_INFO,
    subjectUnstable: false,
    ...(a ? { old: a } : {}),
    ...(b ? { new: b } : {}),
  };
}
