/**
 * `releases.ts` of a release set: the release labels, the type-level helpers the generated
 * types condition with (`ReleaseIf`, `ReleaseMembers`, `ReleaseMeet`, `AtLeast`, ...), and
 * what is not in every release (commands, events, top-level members), as types for the
 * client's guards and as the table the client checks before sending.
 */
import type { Command, Event, StructType, Type, UnionType } from '../../model/types.js';
import type { ReleaseSet } from '../../model/releases.js';
import { stringLiteral } from '../../names/index.js';
import type { FileScope } from '../scope.js';
import { releaseUnion } from './availability.js';

export const RELEASES_FILE = 'releases.ts';

/** The mask of `labels` over the set (bit i: the i-th release, oldest first). */
function mask(set: ReleaseSet, has: Iterable<string>): number {
  let bits = 0;
  for (const l of has) bits |= 1 << set.labels.indexOf(l);
  return bits;
}

function membersOf(t: Type | undefined): readonly { readonly name: string }[] {
  return t && (t.kind === 'struct' || t.kind === 'union') ? (t as StructType | UnionType).members : [];
}

/**
 * Paths not in every release: commands, events, and the top-level members of arguments,
 * results and event data whose releases differ from their command's or event's.
 */
export function releasePaths(set: ReleaseSet): { commands: Map<string, string[]>; events: Map<string, string[]>; members: Map<string, string[]> } {
  const commands = new Map<string, string[]>();
  const events = new Map<string, string[]>();
  const members = new Map<string, string[]>();
  const memberPaths = (name: string, byRelease: ReadonlyMap<string, Command | Event>): void => {
    const parts: ['arg-type' | 'ret-type', (d: Command | Event) => Type | undefined][] = [
      ['arg-type', (d) => d.arguments],
      ['ret-type', (d) => (d.kind === 'command' ? d.returns : undefined)],
    ];
    for (const [part, typeOf] of parts) {
      const found = new Map<string, string[]>();
      for (const [label, d] of byRelease) for (const m of membersOf(typeOf(d))) found.set(m.name, [...(found.get(m.name) ?? []), label]);
      for (const [m, has] of found) if (has.length !== byRelease.size) members.set(`${name}/${part}/${m}`, has);
    }
  };
  for (const [name, m] of set.commands) {
    if (m.byRelease.size !== set.labels.length) commands.set(name, [...m.byRelease.keys()]);
    memberPaths(name, m.byRelease);
  }
  for (const [name, m] of set.events) {
    if (m.byRelease.size !== set.labels.length) events.set(name, [...m.byRelease.keys()]);
    memberPaths(name, m.byRelease);
  }
  return { commands, events, members };
}

function releaseMap(name: string, doc: string, entries: Map<string, string[]>): string {
  const body = [...entries].map(([k, has]) => `  ${stringLiteral(k)}: ${releaseUnion(has)};\n`).join('');
  return `/** ${doc} */\nexport interface ${name} {${body ? `\n${body}` : ''}}\n`;
}

/** `releases.ts`. */
export function releasesFile(scope: FileScope, set: ReleaseSet): string[] {
  const all = releaseUnion(set.labels);
  const from = set.labels.map((l, i) => `  ${stringLiteral(l)}: ${releaseUnion(set.labels.slice(i))};\n`).join('');
  const upTo = set.labels.map((l, i) => `  ${stringLiteral(l)}: ${releaseUnion(set.labels.slice(0, i + 1))};\n`).join('');
  const paths = releasePaths(set);
  const table = [...paths.commands, ...paths.events, ...paths.members].map(([p, has]) => `[${stringLiteral(p)}, ${mask(set, has)}]`);
  return [
    `/** The QEMU releases these bindings cover. */\nexport type Release = ${all};\n`,
    `/** The releases, oldest first. */\nexport const releases = [${set.labels.map(stringLiteral).join(', ')}] as const;\n`,
    `/** Where a type is used: \`'in'\` what the client sends (arguments), \`'out'\` what the peer sends (results, events). */\nexport type Direction = 'in' | 'out';\n`,
    `/** Each release and those after it. */\nexport interface ReleasesFrom {\n${from}}\n`,
    `/** Each release and those before it. */\nexport interface ReleasesUpTo {\n${upTo}}\n`,
    `/** The releases of the set at or after \`L\`. */\nexport type AtLeast<L extends Release> = ReleasesFrom[L];\n`,
    `/** The releases of the set at or before \`L\`. */\nexport type AtMost<L extends Release> = ReleasesUpTo[L];\n`,
    `/** \`T\` when every release of \`R\` is one of \`S\`, else \`never\`. */\nexport type InAll<R, S, T> = [R] extends [S] ? T : never;\n`,
    `/** \`T\` when some release of \`R\` is one of \`S\`, else \`never\`. */\nexport type InAny<R, S, T> = [Extract<R, S>] extends [never] ? never : T;\n`,
    `/** What only releases \`S\` have: sent (\`'in'\`) only to releases \`R\` that all have it; received (\`'out'\`) from any of \`R\` that has it. */\nexport type ReleaseIf<R, D, S, T> = D extends 'in' ? InAll<R, S, T> : InAny<R, S, T>;\n`,
    `/** One variant of a type that differs by release, for arguments: \`T\` when some release of \`R\` is one of \`S\` (the variants are intersected). */\nexport type ReleaseMeet<R, S, T> = [Extract<R, S>] extends [never] ? {} : T;\n`,
    `/** Keys of \`O\` that must be left out. */\nexport type Absent<O> = { [K in keyof O]?: never };\n`,
    '/**\n * Members `O` that only releases `P` have, required in releases `Q`. Sent (`\'in\'`): allowed when every\n' +
      ' * release of `R` has them, required when one of `R` requires them. Received (`\'out\'`): possible when one of\n' +
      ' * `R` has them, certain when every release of `R` requires them.\n */\n' +
      'export type ReleaseMembers<R, D, P, Q, O> = D extends \'in\'\n' +
      '  ? [R] extends [P]\n    ? [Extract<R, Q>] extends [never] ? Partial<O> : O\n    : [Extract<R, Q>] extends [never] ? Absent<O> : { [K in keyof O]: never }\n' +
      '  : [R] extends [Q]\n    ? O\n    : [Extract<R, P>] extends [never] ? Absent<O> : Partial<O>;\n',
    releaseMap('CommandReleases', 'Commands not in every release, with the releases that have them.', paths.commands),
    releaseMap('EventReleases', 'Events not in every release, with the releases that have them.', paths.events),
    releaseMap('MemberReleases', 'Top-level members (paths as `qmp.schema.has` takes them) whose releases differ from their command\'s or event\'s.', paths.members),
    `/** Every path the release table knows. */\nexport type ReleasePath = keyof CommandReleases | keyof EventReleases | keyof MemberReleases;\n`,
    `/** The releases that have path \`P\` (all for a path the table does not list). */\nexport type ReleasesOf<P> = P extends keyof CommandReleases\n  ? CommandReleases[P]\n  : P extends keyof EventReleases\n    ? EventReleases[P]\n    : P extends keyof MemberReleases\n      ? MemberReleases[P]\n      : Release;\n`,
    `/** Commands some release of \`R\` lacks: not callable on a client that may talk to \`R\`. */\nexport type CommandsNotIn<R> = { [K in keyof CommandReleases]: [R] extends [CommandReleases[K]] ? never : K }[keyof CommandReleases];\n`,
    `/** Events no release of \`R\` has. */\nexport type EventsNotIn<R> = { [K in keyof EventReleases]: [Extract<R, EventReleases[K]>] extends [never] ? K : never }[keyof EventReleases];\n`,
    `/** What the client checks before sending: bit i of a mask is \`releases[i]\`. */\nexport const qmpReleaseTable = /* @__PURE__ */ ${scope.rt('defineReleases')}(releases, [\n${table.map((e) => `  ${e},\n`).join('')}]);\n`,
  ];
}

