/**
 * Doc comment blocks (`##` ... `##`): QEMU's `QAPISchemaParser.get_doc*` and `QAPIDoc`
 * (scripts/qapi/parser.py, QEMU 10.2), with the same grammar, line checks and messages.
 *
 * A block is either definition documentation (first line `# @symbol:`), made of a body,
 * `@member:` descriptions, a `Features:` list and tagged sections (`Returns:`, `Errors:`,
 * `Since:`, `TODO:`) or plain paragraphs; or free-form documentation (anything else).
 *
 * Two kinds of rules. Language rules hold in every release from QEMU 6.2 to 10.2 (QEMU 7.2's
 * and 10.2's parsers both reject their violations): the `##` framing, `# ` prefixes, the
 * `@symbol:` line, member and feature names (empty, duplicated), duplicated `Returns:` /
 * `Since:`, `@name:` in free-form text. They are always errors. Doc-style rules are the ones
 * QEMU changed over the releases: line length and sentence spacing (after 10.0), retired
 * `Note:` / `Example:` tags (10.0), text required on or indented under a tag and the
 * de-indent rule (the parser rewritten after 8.2: QEMU 7.2's let a bare `@name:` be followed
 * by unindented text), the `Features:` list and the `Errors:` tag (after 7.2). They are
 * errors only under strict rules (QEMU 10.2's); otherwise each is a finding and the text is
 * kept where the older parsers put it.
 */
import { QapiError, type DocStyleSink, type SourceInfo } from '../../diagnostics.js';
import { docKindTitle, type DocSectionKind, type ParsedDoc, type ParsedDocSection } from '../parsed.js';
import { isPySpace, QapiLexer, TOK_COMMENT } from './lexer.js';

interface Section {
  kind: DocSectionKind;
  info: SourceInfo;
  name?: string;
  text: string;
}

/** QAPIDoc while it is being read. */
class DocBuilder {
  readonly allSections: Section[];
  readonly body: Section;
  readonly args = new Map<string, Section>();
  readonly features = new Map<string, Section>();
  readonly sections: Section[] = [];
  returns: Section | undefined;
  errors: Section | undefined;
  since: Section | undefined;
  /** Sections whose text followed their bare tag unindented (as QEMU 7.2 allowed). */
  private readonly unindented = new Set<Section>();

  constructor(
    readonly info: SourceInfo,
    readonly symbol: string | undefined,
    /** Doc-style findings: throws under strict rules. */
    private readonly styleIssue: (finding: QapiError) => void,
  ) {
    this.body = { kind: 'plain', info, text: '' };
    this.allSections = [this.body];
  }

  /** Continue the current plain section, or start a new one. */
  ensureUntaggedSection(info: SourceInfo): void {
    const last = this.current();
    if (last.kind === 'plain') {
      if (!last.text) last.info = info; // empty so far: it starts here
      // One blank line between paragraphs. A retired tag's section (`Example:`, not strict)
      // already ends with the blank lines read under it: a second would double them.
      if (!last.text.endsWith('\n\n')) last.text += '\n';
      return;
    }
    const section: Section = { kind: 'plain', info, text: '' };
    this.sections.push(section);
    this.allSections.push(section);
  }

  newTaggedSection(info: SourceInfo, kind: 'returns' | 'errors' | 'since' | 'todo'): void {
    const section: Section = { kind, info, text: '' };
    if (kind !== 'todo') {
      if (this[kind]) throw new QapiError(info, `duplicated '${docKindTitle(kind)}' section`);
      this[kind] = section;
    }
    this.sections.push(section);
    this.allSections.push(section);
  }

  newDescription(info: SourceInfo, name: string, kind: 'member' | 'feature'): void {
    const desc = kind === 'member' ? this.args : this.features;
    if (!name) throw new QapiError(info, 'invalid parameter name');
    if (desc.has(name)) throw new QapiError(info, `'${name}' parameter name duplicated`);
    const section: Section = { kind, info, name, text: '' };
    this.allSections.push(section);
    desc.set(name, section);
  }

  appendLine(line: string): void {
    this.current().text += line + '\n';
  }

  /** The section lines are being added to. */
  current(): Section {
    // Never empty: it starts with the body and only grows.
    return this.allSections[this.allSections.length - 1]!;
  }

  /** The current section's text followed its bare tag unindented (not strict only). */
  markUnindented(): void {
    this.unindented.add(this.current());
  }

  /**
   * QAPIDoc.end(): trim newlines, require text after tags (on the tag's line or indented
   * under it), freeze into a ParsedDoc.
   */
  end(): ParsedDoc {
    for (const section of this.allSections) {
      section.text = trimNewlines(section.text);
      if (section.kind !== 'plain' && (section.text === '' || this.unindented.has(section))) {
        this.styleIssue(new QapiError(section.info, `text required after '${docKindTitle(section.kind)}:'`));
      }
    }
    const doc: ParsedDoc = {
      info: this.info,
      ...(this.symbol !== undefined && { symbol: this.symbol }),
      body: this.body,
      args: this.args as Map<string, ParsedDocSection>,
      features: this.features as Map<string, ParsedDocSection>,
      ...(this.returns && { returns: this.returns }),
      ...(this.errors && { errors: this.errors }),
      ...(this.since && { since: this.since }),
      sections: this.sections,
      allSections: this.allSections,
    };
    return doc;
  }
}

function trimNewlines(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 0x0a) start++;
  while (end > start && s.charCodeAt(end - 1) === 0x0a) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python's `str.rstrip()`. */
function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Length of the leading whitespace (QEMU: `must_match(r'\s*', line).end()`). */
function indentOf(s: string): number {
  let i = 0;
  while (i < s.length && isPySpace(s.charCodeAt(i))) i++;
  return i;
}

/** Length in code points, as Python's `len()`. */
function pyLen(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}

/** `@name: ` at the start of a line (QEMU's `_match_at_name_colon`). */
// The `!` on this regex's and TAGGED's group 1 below: the group always participates in a match.
const AT_NAME_COLON = /^@([^:]*): */;
/** Start of a literal block: `::` alone or `.. qmp-example::`. */
const LITERAL_START = /^(\.\. +qmp-example)? *::$/;
const URL_LINE = /^ *(https?|ftp):\/\/[^ ]*$/;
/**
 * QEMU: `(\be\.g\.|^ *\d\.|([.!?])) [A-Z0-9(]`; only matches of the last alternative are
 * errors, the others exist to skip "e.g. X" and "1. X". `\b` and `\d` as Python's Unicode ones.
 */
const ONE_SPACE = /((?<![\p{L}\p{N}_])e\.g\.|^ *\p{Nd}\.|([.!?])) [A-Z0-9(]/gu;
/** Cheap pre-filter: without this, ONE_SPACE cannot report anything. */
const MAYBE_ONE_SPACE = /[.!?] [A-Z0-9(]/;
const TAGGED = /^(Returns|Errors|Since|Notes?|Examples?|TODO)(?!::): */;

/** The message QEMU 10.x gives for a retired `Note:` / `Example:` tag; undefined for others. */
function retiredTagMessage(tag: string): string | undefined {
  if (tag.startsWith('Note')) {
    return `The '${tag}' section is no longer supported. Please use rST's '.. note::' or ` +
      `'.. admonition:: notes' directives, or another suitable admonition instead.`;
  }
  if (tag.startsWith('Example')) {
    return `The '${tag}' section is no longer supported. Please use the '.. qmp-example::' ` +
      `directive, or other suitable markup instead.`;
  }
  return undefined;
}

/** Reads one doc block from a lexer positioned on its opening `##` comment token. */
export class DocReader {
  private literalMode = false;
  private literalIndent = 0;
  /** Where the doc comment being read opens. */
  private blockInfo: SourceInfo;
  private readonly styleIssue = (finding: QapiError): void => {
    if (this.strict) throw finding;
    this.onFinding?.(finding, this.blockInfo);
  };

  constructor(
    private readonly lx: QapiLexer,
    /** QEMU 10.2's rules: doc-style findings are errors. */
    private readonly strict: boolean,
    /** Not strict: receives each doc-style finding (none: they are not even looked for). */
    private readonly onFinding?: DocStyleSink,
  ) {
    this.blockInfo = lx.info();
  }

  /** QEMU's `get_doc`: read the block and the token after it. */
  read(): ParsedDoc {
    const lx = this.lx;
    if (lx.str !== '##') throw lx.error("junk after '##' at start of documentation comment");
    const info = lx.info();
    this.blockInfo = info;
    this.literalMode = false;
    lx.accept(false);
    let line = this.line();
    let doc: DocBuilder;
    if (line !== null && line.startsWith('@')) {
      if (!line.endsWith(':')) throw lx.error("line should end with ':'");
      // The name is validated later against the definition that must follow.
      const symbol = line.slice(1, -1);
      if (!symbol) throw lx.error("name required after '@'");
      doc = new DocBuilder(info, symbol, this.styleIssue);
      lx.accept(false);
      line = this.line();
      let noMoreArgs = false;
      while (line !== null) {
        while (line === '') {
          lx.accept(false);
          line = this.line();
        }
        if (line === null) break;
        let m: RegExpExecArray | null;
        if (line === 'Features:') {
          if (doc.features.size) throw lx.error("duplicated 'Features:' line");
          lx.accept(false);
          line = this.line();
          while (line === '') {
            lx.accept(false);
            line = this.line();
          }
          while (line !== null && (m = this.description(line))) {
            doc.newDescription(lx.info(), m[1]!, 'feature');
            const text = line.slice(m[0].length);
            if (text) doc.appendLine(text);
            line = this.indented(doc);
          }
          // In QEMU 7.2, 'Features:' could be followed by any text.
          if (!doc.features.size) this.styleIssue(lx.error('feature descriptions expected'));
          noMoreArgs = true;
        } else if ((m = this.description(line))) {
          if (noMoreArgs) throw lx.error(`description of '@${m[1]}:' follows a section`);
          while (line !== null && (m = this.description(line))) {
            doc.newDescription(lx.info(), m[1]!, 'member');
            const text = line.slice(m[0].length);
            if (text) doc.appendLine(text);
            line = this.indented(doc);
          }
          noMoreArgs = true;
        } else if ((m = TAGGED.exec(line))) {
          const tag = m[1]!;
          // Sections with two colons are rST markup, not tags (the regex leaves them alone).
          const retired = retiredTagMessage(tag);
          // 'Errors:' is no tag in QEMU 7.2: two paragraphs could start with it.
          const duplicateErrors = tag === 'Errors' && doc.errors !== undefined;
          if (retired !== undefined || duplicateErrors) {
            // Not strict (older schemas): a finding, and the section's text, tag included,
            // is kept as a plain section.
            this.styleIssue(
              retired !== undefined ? lx.error(retired) : new QapiError(lx.info(), "duplicated 'Errors' section"),
            );
            doc.ensureUntaggedSection(lx.info());
            doc.appendLine(line);
            line = this.indented(doc);
            noMoreArgs = true;
            continue;
          }
          doc.newTaggedSection(lx.info(), tag.toLowerCase() as 'returns' | 'errors' | 'since' | 'todo');
          const text = line.slice(m[0].length);
          if (text) doc.appendLine(text);
          line = this.indented(doc);
          noMoreArgs = true;
        } else {
          const spaced = AT_NAME_COLON.exec(line);
          if (spaced) {
            // What QEMU 10.2 reports for it, now or once members are connected.
            const name = spaced[1];
            this.styleIssue(
              noMoreArgs
                ? lx.error(`description of '@${name}:' follows a section`)
                : new QapiError(lx.info(), `documented member '${name}' does not exist`),
            );
          }
          doc.ensureUntaggedSection(lx.info());
          doc.appendLine(line);
          line = this.paragraph(doc);
        }
      }
    } else {
      doc = new DocBuilder(info, undefined, this.styleIssue);
      doc.ensureUntaggedSection(lx.info());
      while (line !== null) {
        const m = AT_NAME_COLON.exec(line);
        if (m) throw lx.error(`'@${m[1]}:' not allowed in free-form documentation`);
        doc.appendLine(line);
        lx.accept(false);
        line = this.line();
      }
    }
    lx.accept();
    return doc.end();
  }

  /**
   * `@name:` starting a description. Not strict, a name with a space (`@id : text`) is not
   * one: QEMU 7.2 required `@name:` as the line's first word, so such a line was text.
   */
  private description(line: string): RegExpExecArray | null {
    const m = AT_NAME_COLON.exec(line);
    return m && !this.strict && m[1]!.includes(' ') ? null : m;
  }

  /**
   * QEMU's `get_doc_line`: the current comment line without `# ` and trailing space; ''
   * for a bare `#`; null at the closing `##`.
   */
  private line(): string | null {
    const lx = this.lx;
    if (lx.tok !== TOK_COMMENT) throw lx.error("documentation comment must end with '##'");
    const val = lx.str;
    if (val.startsWith('##')) {
      if (val !== '##') throw lx.error("junk after '##' at end of documentation comment");
      this.literalMode = false;
      return null;
    }
    if (val === '#') return '';
    if (val.charCodeAt(1) !== 0x20) throw lx.error('missing space after #');
    const line = pyRstrip(val.slice(2));
    if (LITERAL_START.test(line)) {
      this.literalMode = true;
      this.literalIndent = 0;
    } else if (this.literalMode && line) {
      const indent = indentOf(line);
      if (this.literalIndent === 0) this.literalIndent = indent;
      else if (indent < this.literalIndent) this.literalMode = false; // rST blocks end on de-indent
    }
    if (!this.literalMode && (this.strict || this.onFinding)) this.checkFormat(line);
    return line;
  }

  /** QEMU's `_validate_doc_line_format`: 70 columns, two spaces between sentences. */
  private checkFormat(line: string): void {
    const lx = this.lx;
    if (line.length + 2 > 70 && pyLen(line) + 2 > 70 && !URL_LINE.test(line)) {
      this.styleIssue(lx.error('documentation line longer than 70 characters'));
    }
    if (!MAYBE_ONE_SPACE.test(line)) return;
    ONE_SPACE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = ONE_SPACE.exec(line))) {
      if (m[2] === undefined) continue;
      // Point at the character after the punctuation, as QEMU does.
      const pos = lx.pos;
      lx.pos = lx.lineStart + 2 + m.index + 1;
      ONE_SPACE.lastIndex = 0;
      const err = lx.error('Use two spaces between sentences\nIf this not the end of a sentence, please report a bug.');
      lx.pos = pos;
      this.styleIssue(err);
      return;
    }
  }

  /** QEMU's `get_doc_indented`: the rest of a tagged or `@name:` section. */
  private indented(doc: DocBuilder): string | null {
    const lx = this.lx;
    lx.accept(false);
    let line = this.line();
    const bare = doc.current().text === '';
    let blank = false;
    while (line === '') {
      blank = true;
      doc.appendLine(line);
      lx.accept(false);
      line = this.line();
    }
    if (line === null) return null;
    const indent = indentOf(line);
    if (!indent) return bare && !blank && !this.strict ? this.unindentedText(doc, line) : line;
    doc.appendLine(line);
    // QEMU sets this after every line, so only the line right after the first can trip
    // the de-indent error; kept for identical behaviour.
    let prevLineBlank = false;
    for (;;) {
      lx.accept(false);
      line = this.line();
      if (line === null) return null;
      if (AT_NAME_COLON.test(line)) return line;
      if (line !== '' && indentOf(line) < indent) {
        if (prevLineBlank) return line;
        // Not strict: a finding; a tag starts its section (as in QEMU 7.2), other text
        // stays in this one (older parsers kept it).
        this.styleIssue(lx.error(`unexpected de-indent (expected at least ${indent} spaces)`));
        if (TAGGED.test(line)) return line;
      }
      doc.appendLine(line);
      prevLineBlank = true;
    }
  }

  /**
   * Not strict: the text of a bare `@name:` or tag written on the lines below it without
   * indentation, as QEMU 7.2 accepted (its parser gave such a section indent 0).
   * It runs to a blank line or the next description, tag or `Features:`. QEMU 10.2 would
   * leave the section empty: `end()` reports that as a finding.
   */
  private unindentedText(doc: DocBuilder, first: string): string | null {
    if (AT_NAME_COLON.test(first) || TAGGED.test(first) || first === 'Features:') return first;
    doc.markUnindented();
    doc.appendLine(first);
    for (;;) {
      this.lx.accept(false);
      let line = this.line();
      if (line === '') {
        // Blank lines end it; the next line is the caller's, as after indented text.
        while (line === '') {
          doc.appendLine(line);
          this.lx.accept(false);
          line = this.line();
        }
        return line;
      }
      if (line === null || AT_NAME_COLON.test(line) || TAGGED.test(line) || line === 'Features:') return line;
      doc.appendLine(line);
    }
  }

  /** QEMU's `get_doc_paragraph`: lines up to a blank line or the end. */
  private paragraph(doc: DocBuilder): string | null {
    const lx = this.lx;
    for (;;) {
      lx.accept(false);
      const line = this.line();
      if (line === null || line === '') return line;
      doc.appendLine(line);
    }
  }
}
