/**
 * Release sets as the emitter writes them: type-level unions of labels, the relative sets a
 * definition's parts are conditioned on, and the TSDoc line that says where something is.
 */
import { stringLiteral } from '../../names/index.js';

/** `'9.2' | '10.2'` (`never` for none). */
export function releaseUnion(labels: readonly string[]): string {
  return labels.length === 0 ? 'never' : labels.map(stringLiteral).join(' | ');
}

/**
 * The releases a part (member, value, branch) is conditioned on: those that have it, plus
 * those where its container does not exist (the container is never reached there, so they
 * must not count against the part). Undefined when that is every release: no condition.
 */
export function conditionSet(all: readonly string[], has: ReadonlySet<string>, container: ReadonlySet<string>): string[] | undefined {
  const set = all.filter((l) => has.has(l) || !container.has(l));
  return set.length === all.length ? undefined : set;
}

function list(labels: readonly string[]): string {
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}

/**
 * "Releases: in 9.2 and 10.2; not in 7.2." with "(new in 9.2)" when it is in every release
 * from one on and "(removed after 9.2)" when in every release up to one. Undefined when
 * `has` is all of `within`.
 */
export function availabilityNote(within: readonly string[], has: ReadonlySet<string>): string | undefined {
  const yes = within.filter((l) => has.has(l));
  const no = within.filter((l) => !has.has(l));
  if (no.length === 0) return undefined;
  if (yes.length === 0) return `Releases: in none of ${list(within)}.`;
  const first = within.indexOf(yes[0]!);
  const contiguous = yes.every((l, i) => within[first + i] === l);
  const extra = !contiguous ? '' : first === 0 ? ` (removed after ${yes.at(-1)})` : first + yes.length === within.length ? ` (new in ${yes[0]})` : '';
  return `Releases: in ${list(yes)}; not in ${list(no)}${extra}.`;
}

/** Adds a paragraph to a doc text (before its tags), or makes one. */
export function withNote(doc: string | undefined, note: string | undefined): string | undefined {
  if (note === undefined) return doc;
  if (doc === undefined) return note;
  const tag = /(^|\n)@(returns|throws|since|deprecated|experimental)\b/.exec(doc);
  if (!tag) return `${doc}\n\n${note}`;
  const at = tag.index + tag[1]!.length;
  return at === 0 ? `${note}\n${doc}` : `${doc.slice(0, at)}\n${note}\n${doc.slice(at)}`;
}
