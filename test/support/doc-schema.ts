/**
 * A small schema with doc text in every position QAPI has, written as QAPI source or as
 * YAML from the same doc slots: free-form block, definition bodies, members, features, enum
 * values, a union and its branch, an alternate's alternatives, a command's Returns, Errors,
 * Since, TODO, a note and an example, and an event.
 */
import fc from 'fast-check';
import ts from 'typescript';

/** The text for each doc position (any text: line breaks, control characters ...). */
export interface DocSlots {
  freeForm: string;
  enumBody: string;
  enumValue: string;
  enumFeature: string;
  structBody: string;
  member: string;
  optionalMember: string;
  deprecated: string;
  branchBody: string;
  branchMember: string;
  unionBody: string;
  discriminator: string;
  alternateBody: string;
  alternative: string;
  commandBody: string;
  argument: string;
  unstable: string;
  returns: string;
  errors: string;
  since: string;
  note: string;
  example: string;
  todo: string;
  eventBody: string;
  eventMember: string;
}

export const SLOT_NAMES: readonly (keyof DocSlots)[] = [
  'freeForm', 'enumBody', 'enumValue', 'enumFeature', 'structBody', 'member', 'optionalMember',
  'deprecated', 'branchBody', 'branchMember', 'unionBody', 'discriminator', 'alternateBody',
  'alternative', 'commandBody', 'argument', 'unstable', 'returns', 'errors', 'since', 'note',
  'example', 'todo', 'eventBody', 'eventMember',
];

/** The same slots all holding one plain word. */
export function plainSlots(word = 'text'): DocSlots {
  return Object.fromEntries(SLOT_NAMES.map((k) => [k, word])) as unknown as DocSlots;
}

const lines = (text: string): string[] => text.split(/\r\n|\r|\n/);
/** Text after a tag (`@m: `, `Since: `): continuation lines indented as QEMU wants them. */
const tagged = (tag: string, text: string): string[] => lines(text).map((l, i) => (i === 0 ? `${tag} ${l}` : `    ${l}`));
/** Text in an indented reST block (note, example). */
const indented = (text: string): string[] => lines(text).map((l) => `    ${l}`);

interface Definition {
  /** Doc lines after the `@symbol:` line (without `# `), or the free-form block's lines. */
  readonly doc: string[];
  /** The expression, as QAPI source (valid YAML flow syntax too). */
  readonly expr: string;
  readonly symbol?: string;
}

function definitions(s: DocSlots): Definition[] {
  return [
    { doc: ['= Heading', '', ...lines(s.freeForm)], expr: '' },
    {
      symbol: 'Kind',
      doc: [...lines(s.enumBody), '', ...tagged('@one:', s.enumValue), '', '@two: the other', '', 'Features:', '', ...tagged('@feat:', s.enumFeature), '', ...tagged('Since:', s.since)],
      expr: "{ 'enum': 'Kind', 'data': [ 'one', 'two' ], 'features': [ 'feat' ] }",
    },
    {
      symbol: 'Thing',
      doc: [...lines(s.structBody), '', ...tagged('@m:', s.member), '', ...tagged('@n:', s.optionalMember), '', 'Features:', '', ...tagged('@deprecated:', s.deprecated)],
      expr: "{ 'struct': 'Thing', 'data': { 'm': 'int', '*n': { 'type': 'str', 'features': [ 'deprecated' ] } } }",
    },
    {
      symbol: 'Branch',
      doc: [...lines(s.branchBody), '', ...tagged('@b:', s.branchMember)],
      expr: "{ 'struct': 'Branch', 'data': { 'b': 'bool' } }",
    },
    {
      symbol: 'Choice',
      doc: [...lines(s.unionBody), '', ...tagged('@kind:', s.discriminator)],
      expr: "{ 'union': 'Choice', 'base': { 'kind': 'Kind' }, 'discriminator': 'kind', 'data': { 'one': 'Branch', 'two': 'Thing' } }",
    },
    {
      symbol: 'Either',
      doc: [...lines(s.alternateBody), '', ...tagged('@s:', s.alternative), '', '@i: a branch'],
      expr: "{ 'alternate': 'Either', 'data': { 's': 'str', 'i': 'Branch' } }",
    },
    {
      symbol: 'do-it',
      doc: [
        ...lines(s.commandBody), '', ...tagged('@arg:', s.argument), '', '@alt: an alternate', '',
        'Features:', '', ...tagged('@unstable:', s.unstable), '',
        ...tagged('Returns:', s.returns), '', 'Errors:', ...indented(`- ${s.errors.replace(/\r\n?|\n/g, '\n  ')}`), '',
        ...tagged('Since:', s.since), '',
        '.. note::', ...indented(s.note), '',
        '.. qmp-example::', '', ...indented(`-> ${s.example.replace(/\r\n?|\n/g, '\n   ')}`), '',
        ...tagged('TODO:', s.todo),
      ],
      expr: "{ 'command': 'do-it', 'data': { 'arg': 'Choice', '*alt': 'Either' }, 'returns': 'Thing', 'features': [ 'unstable' ] }",
    },
    {
      symbol: 'HAPPENED',
      doc: [...lines(s.eventBody), '', ...tagged('@x:', s.eventMember)],
      expr: "{ 'event': 'HAPPENED', 'data': { 'x': 'Kind' } }",
    },
  ];
}

/** The schema as QAPI source. */
export function qapiSource(slots: DocSlots): string {
  const out: string[] = [];
  for (const d of definitions(slots)) {
    out.push('##');
    if (d.symbol !== undefined) out.push(`# @${d.symbol}:`, '#');
    for (const l of d.doc) out.push(l === '' ? '#' : `# ${l}`);
    out.push('##');
    if (d.expr) out.push(d.expr);
    out.push('');
  }
  return out.join('\n');
}

/** A YAML double-quoted scalar: every character outside printable ASCII as `\uXXXX`. */
function yamlQuoted(text: string): string {
  return `"${text.replace(/[^\x20-\x7e]|["\\]/g, (c) => (c === '"' || c === '\\' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;
}

/**
 * The schema as YAML. The doc lines are joined with `\n` only, so the characters QAPI
 * source cannot carry (CR, lone surrogates) reach the doc text as they are.
 */
export function yamlSource(slots: DocSlots): string {
  const out: string[] = [];
  for (const d of definitions(slots)) {
    const doc = yamlQuoted(d.doc.join('\n'));
    if (!d.expr) {
      out.push(`- doc: ${doc}`);
      continue;
    }
    // The flow mapping's quotes are YAML single quotes: the QAPI text is valid YAML as is.
    const body = d.expr.slice(1, -1).trim();
    out.push(`- { ${body}, doc: ${doc} }`);
  }
  return out.join('\n') + '\n';
}

/** The code of a TypeScript file as a list of tokens (kind and text); comments left out. */
export function codeTokens(text: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const out: string[] = [];
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    out.push(`${ts.SyntaxKind[k]} ${scanner.getTokenText()}`);
  }
  return out;
}

/** Any single UTF-16 unit (lone surrogates included). */
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/**
 * Doc text made of up to ten pieces: the `danger` strings (weighted `dangerWeight` against 5
 * for the rest), arbitrary graphemes, arbitrary UTF-16 units and plain words.
 */
export function docTextArbitrary(danger: readonly string[], dangerWeight: number): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        { weight: dangerWeight, arbitrary: fc.constantFrom(...danger) },
        { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
        { weight: 1, arbitrary: fc.string({ unit: utf16Unit, maxLength: 4 }) },
        { weight: 2, arbitrary: fc.constantFrom('word', 'x', 'Text.') },
      ),
      { minLength: 1, maxLength: 10 },
    )
    .map((parts) => parts.join(''));
}

/** Slots plain but for a few with `text` (each one time in `freq`): keeps most schemas acceptable to QEMU's doc grammar. */
export function docSlotsArbitrary(text: fc.Arbitrary<string>, freq: number): fc.Arbitrary<DocSlots> {
  return fc
    .record(Object.fromEntries(SLOT_NAMES.map((k) => [k, fc.option(text, { freq })])) as Record<keyof DocSlots, fc.Arbitrary<string | null>>)
    .map((r) => ({ ...plainSlots(), ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) }) as DocSlots);
}
