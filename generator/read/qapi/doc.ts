/**
 * Doc comment blocks (`##` ... `##`): QEMU's `QAPISchemaParser.get_doc*` and `QAPIDoc`
 * (scripts/qapi/parser.py, QEMU 10.2), with the same grammar, line checks and messages.
 *
 * A block is either definition documentation (first line `# @symbol:`), made of a body,
 * `@member:` descriptions, a `Features:` list and tagged sections (`Returns:`, `Errors:`,
 * `Since:`, `TODO:`) or plain paragraphs; or free-form documentation (anything else).
 */
import { QapiError, type SourceInfo } from '../../diagnostics.js';
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

  constructor(
    readonly info: SourceInfo,
    readonly symbol: string | undefined,
  ) {
    this.body = { kind: 'plain', info, text: '' };
    this.allSections = [this.body];
  }

  /** Continue the current plain section, or start a new one. */
  ensureUntaggedSection(info: SourceInfo): void {
    const last = this.allSections[this.allSections.length - 1];
    if (last.kind === 'plain') {
      if (!last.text) last.info = info; // empty so far: it starts here
      last.text += '\n';
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
    this.allSections[this.allSections.length - 1].text += line + '\n';
  }

  /** QAPIDoc.end(): trim newlines, require text after tags, freeze into a ParsedDoc. */
  end(): ParsedDoc {
    for (const section of this.allSections) {
      section.text = trimNewlines(section.text);
      if (section.kind !== 'plain' && section.text === '') {
        throw new QapiError(section.info, `text required after '${docKindTitle(section.kind)}:'`);
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

/** Reads one doc block from a lexer positioned on its opening `##` comment token. */
export class DocReader {
  private literalMode = false;
  private literalIndent = 0;

  constructor(
    private readonly lx: QapiLexer,
    private readonly formatChecks: boolean,
    /** Without `formatChecks`: receives each format violation instead (warnings). */
    private readonly onFormatWarning?: (warning: QapiError) => void,
  ) {}

  /** QEMU's `get_doc`: read the block and the token after it. */
  read(): ParsedDoc {
    const lx = this.lx;
    if (lx.str !== '##') throw lx.error("junk after '##' at start of documentation comment");
    const info = lx.info();
    this.literalMode = false;
    lx.accept(false);
    let line = this.line();
    let doc: DocBuilder;
    if (line !== null && line.startsWith('@')) {
      if (!line.endsWith(':')) throw lx.error("line should end with ':'");
      // The name is validated later against the definition that must follow.
      const symbol = line.slice(1, -1);
      if (!symbol) throw lx.error("name required after '@'");
      doc = new DocBuilder(info, symbol);
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
          while (line !== null && (m = AT_NAME_COLON.exec(line))) {
            doc.newDescription(lx.info(), m[1], 'feature');
            const text = line.slice(m[0].length);
            if (text) doc.appendLine(text);
            line = this.indented(doc);
          }
          if (!doc.features.size) throw lx.error('feature descriptions expected');
          noMoreArgs = true;
        } else if ((m = AT_NAME_COLON.exec(line))) {
          if (noMoreArgs) throw lx.error(`description of '@${m[1]}:' follows a section`);
          while (line !== null && (m = AT_NAME_COLON.exec(line))) {
            doc.newDescription(lx.info(), m[1], 'member');
            const text = line.slice(m[0].length);
            if (text) doc.appendLine(text);
            line = this.indented(doc);
          }
          noMoreArgs = true;
        } else if ((m = TAGGED.exec(line))) {
          const tag = m[1];
          // Sections with two colons are rST markup, not tags (the regex leaves them alone).
          const retired = tag.startsWith('Note')
            ? `The '${tag}' section is no longer supported. Please use rST's '.. note::' or ` +
              `'.. admonition:: notes' directives, or another suitable admonition instead.`
            : tag.startsWith('Example')
              ? `The '${tag}' section is no longer supported. Please use the '.. qmp-example::' ` +
                `directive, or other suitable markup instead.`
              : undefined;
          if (retired !== undefined) {
            // QEMU 10.0 retired these tags. Without the 10.2 rules (older schemas), warn and
            // keep the section's text, tag included, as a plain section.
            this.formatIssue(lx.error(retired));
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
          doc.ensureUntaggedSection(lx.info());
          doc.appendLine(line);
          line = this.paragraph(doc);
        }
      }
    } else {
      doc = new DocBuilder(info, undefined);
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
    if (!this.literalMode && (this.formatChecks || this.onFormatWarning)) this.checkFormat(line);
    return line;
  }

  /** QEMU's `_validate_doc_line_format`: 70 columns, two spaces between sentences. */
  private checkFormat(line: string): void {
    const lx = this.lx;
    if (line.length + 2 > 70 && pyLen(line) + 2 > 70 && !URL_LINE.test(line)) {
      this.formatIssue(lx.error('documentation line longer than 70 characters'));
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
      this.formatIssue(err);
      return;
    }
  }

  /** A format violation is an error under `formatChecks`, else a warning. */
  private formatIssue(err: QapiError): void {
    if (this.formatChecks) throw err;
    this.onFormatWarning?.(err);
  }

  /** QEMU's `get_doc_indented`: the rest of a tagged or `@name:` section. */
  private indented(doc: DocBuilder): string | null {
    const lx = this.lx;
    lx.accept(false);
    let line = this.line();
    while (line === '') {
      doc.appendLine(line);
      lx.accept(false);
      line = this.line();
    }
    if (line === null) return null;
    const indent = indentOf(line);
    if (!indent) return line;
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
        throw lx.error(`unexpected de-indent (expected at least ${indent} spaces)`);
      }
      doc.appendLine(line);
      prevLineBlank = true;
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
