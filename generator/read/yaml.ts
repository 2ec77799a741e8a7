/**
 * The YAML schema reader: QAPI expressions written in YAML, for vendors who write an
 * extension schema by hand.
 *
 * Format. A file is ONE YAML document whose root is a sequence; each item is a mapping that
 * is one top-level QAPI expression, exactly as it would be in QAPI source (same keys, same
 * values). An empty file has no expressions. Documentation goes in a `doc:` key holding the
 * same text a `##` comment block holds, without the `# ` prefixes; on a definition the
 * `@name:` symbol line is implied (writing it anyway is accepted). A mapping with only a
 * `doc:` key is a free-form doc block (section headings, prose):
 *
 *     # Example Corp's extensions (a YAML comment: ignored)
 *     - doc: |
 *         = Example Corp extensions
 *     - include: ../qapi/common.json   # QAPI or YAML (.yaml/.yml) files, relative to this one
 *     - pragma: { doc-required: true }
 *     - enum: __com.example_Colour
 *       data: [ red, green, '0' ]
 *       doc: |
 *         A colour.
 *
 *         @red: warm
 *
 *         @green: calm
 *
 *         @0: none
 *
 *         Since: 1.0
 *     - command: __com.example_paint
 *       data: { colour: __com.example_Colour, '*coats': int }
 *       doc: |
 *         Paint the guest.
 *
 *         @colour: which colour
 *
 *         @coats: how many coats
 *
 *         Since: 1.0
 *
 * Why a `doc:` key rather than `##` comments: a key is data, so it survives YAML tooling
 * (formatters, yq, generators) and is attached to the definition by structure rather than by
 * comment placement. Use a literal block (`|`) for multi-line text: it keeps line breaks, and
 * errors in it are reported at their YAML line and column. The doc text follows QEMU's doc
 * grammar and checks, including QEMU 10.2's 70-column / two-spaces rules counted as if the
 * text were written as `# ` comment lines (option `strictDocStyle: false` turns those off).
 *
 * Values. Only what QAPI source can express: strings, `true` / `false`, sequences and
 * mappings with string keys. YAML 1.2 core rules apply, so `yes`, `on`, `0x1f` stay strings
 * but `1`, `1.5` and `null` (or an empty value) are rejected: quote them (`'0'`). Duplicate
 * keys are QEMU's "duplicate key" error. Aliases are resolved, up to a budget of the values
 * and characters they may produce (./limits.ts: expansion is exponential); tags other than
 * the core ones are errors. A file may hold at most `maxYamlTokens` tokens (yaml's cost per
 * token bounds the reader's time and memory). Every error carries the YAML file, line and column.
 */
import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';
import type { CST, Document, Node as YamlNode, Scalar, YAMLError } from 'yaml';
import { QapiError, type SourceInfo } from '../diagnostics.js';
import { definitionsMessage, nestingMessage } from './limits.js';
import type { ParsedDoc, ParsedSchema, QapiDict, QapiValue } from './parsed.js';
import { byExtension, ReadContext, type ReadOptions } from './qapi/context.js';
import { DocReader } from './qapi/doc.js';
import { QapiLexer } from './qapi/lexer.js';
import { parseQapiFile } from './qapi/parser.js';

let yamlLib: typeof YamlLib | undefined;
/** The `yaml` package, loaded on first use: reading QAPI source never pays its load time. */
function yaml(): typeof YamlLib {
  return (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof YamlLib);
}

export type { ReadOptions } from './qapi/context.js';

/**
 * Read a YAML schema file and its includes (QAPI source includes are read by the QAPI reader).
 * @throws QapiError with the YAML file, line and column.
 */
export function readYamlSchema(file: string, options: ReadOptions = {}): ParsedSchema {
  const parserFor = byExtension(parseQapiFile, parseYamlFile);
  return new ReadContext(options.cwd ?? process.cwd(), options, parserFor).readRoot(file, parseYamlFile);
}

/** The names a definition can have, in the order QEMU's checker looks for them. */
const DEFINITION_KEYS = ['enum', 'struct', 'union', 'alternate', 'command', 'event'] as const;

/** Parse one YAML schema file into the read context (a FileParser). */
export function parseYamlFile(ctx: ReadContext, fname: string, text: string, parent: SourceInfo | undefined): void {
  new YamlFileReader(ctx, fname, text, parent).read();
}

class YamlFileReader {
  private readonly lines = new (yaml().LineCounter)();
  private doc!: Document;

  constructor(
    private readonly ctx: ReadContext,
    private readonly fname: string,
    private readonly text: string,
    private readonly parent: SourceInfo | undefined,
  ) {}

  read(): void {
    const tokens = this.parseWithinBudget();
    const tooDeep = deepestCollection(tokens, this.ctx.limits.maxNesting);
    if (tooDeep !== undefined) throw this.error(tooDeep, nestingMessage(this.ctx.limits.maxNesting));
    const composer = new (yaml().Composer)({
      uniqueKeys: false, // reported as QEMU's "duplicate key" below
      strict: true,
    });
    const docs = Array.from(composer.compose(tokens));
    const [doc, second] = docs;
    if (doc === undefined) return; // an empty stream: no expressions
    if (second !== undefined) {
      throw this.error(second.range[0], 'a YAML schema is a single document; found a second one');
    }
    this.doc = doc;
    this.targets = aliasTargets(doc);
    const problem: YAMLError | undefined = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw this.error(problem.pos[0], problem.message.replace(/ at line \d+, column \d+.*$/s, ''));
    const root = doc.contents;
    if (root === null) return;
    if (!yaml().isSeq(root)) {
      throw this.error(rangeStart(root), 'a YAML schema must be a sequence of QAPI expressions (each item starting with "- ")');
    }
    for (const item of root.items) this.topLevel(item as YamlNode);
  }

  /**
   * One pass of yaml's lexer feeding its parser, stopped as soon as flow nesting passes
   * `maxNesting` (yaml's parser slows down badly on deep flow nesting, and its composer
   * recurses) or the lexer's tokens pass `maxYamlTokens` (yaml spends about 2 us and
   * 1 KB on each: the budget bounds time and memory whatever the file's size). Block
   * nesting is checked on the parser's tree afterwards.
   */
  private parseWithinBudget(): CST.Token[] {
    const { maxNesting, maxYamlTokens } = this.ctx.limits;
    const parser = new (yaml().Parser)(this.lines.addNewLine);
    this.lines.addNewLine(0);
    const out: CST.Token[] = [];
    let depth = 0;
    let count = 0;
    let offset = 0;
    for (const lexeme of new (yaml().Lexer)().lex(this.text)) {
      if (lexeme === '[' || lexeme === '{') {
        if (++depth > maxNesting) throw this.errorBeforeParse(offset, nestingMessage(maxNesting));
      } else if (lexeme === ']' || lexeme === '}') {
        depth--;
      }
      if (++count > maxYamlTokens) throw this.errorBeforeParse(offset, `more than ${maxYamlTokens} YAML tokens`);
      for (const token of parser.next(lexeme)) out.push(token);
      if (!LEXER_MARKERS.has(lexeme)) offset += lexeme.length;
    }
    for (const token of parser.end()) out.push(token);
    return out;
  }

  /** An error at `offset` while the line counter may not have reached it: lines counted here. */
  private errorBeforeParse(offset: number, message: string): QapiError {
    const before = this.text.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    let line = 1;
    for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
    return this.errorAt(line, offset - lineStart + 1, message);
  }

  private topLevel(item: YamlNode): void {
    const node = this.resolve(item);
    const info = this.info(rangeStart(node));
    if (!yaml().isMap(node)) throw new QapiError(info, 'top-level expression must be an object');
    const expr = this.value(item, 2) as Map<string, QapiValue>; // inside the root sequence
    const docNode = node.items.find((p) => yaml().isScalar(p.key) && p.key.value === 'doc');
    const docText = expr.get('doc');
    expr.delete('doc');
    if (docNode && typeof docText !== 'string') {
      throw this.error(rangeStart(docNode.value as YamlNode), "'doc' must be a string");
    }
    if (expr.size === 0 && docNode) {
      this.ctx.docs.push(this.docBlock(docText as string, this.resolve(docNode.value as YamlNode) as Scalar, info, undefined));
      return;
    }
    if (expr.has('include') || expr.has('pragma')) {
      if (docNode) {
        throw this.error(rangeStart(docNode.key as YamlNode), "a directive can't have 'doc'; put the text in a '- doc:' item of its own");
      }
      this.ctx.directive(expr, info, this.fname);
      return;
    }
    let doc: ParsedDoc | undefined;
    if (docNode) {
      const symbol = DEFINITION_KEYS.map((k) => expr.get(k)).find((v): v is string => typeof v === 'string');
      if (symbol === undefined) {
        throw this.error(rangeStart(docNode.key as YamlNode), `'doc' needs a definition to document (one of '${DEFINITION_KEYS.join("', '")}')`);
      }
      doc = this.docBlock(docText as string, this.resolve(docNode.value as YamlNode) as Scalar, info, symbol);
      this.ctx.docs.push(doc);
    }
    if (this.ctx.exprs.length >= this.ctx.limits.maxDefinitions) throw new QapiError(info, definitionsMessage(this.ctx.limits.maxDefinitions));
    this.ctx.exprs.push(doc ? { expr: expr as QapiDict, info, doc } : { expr: expr as QapiDict, info });
  }

  /** Values and characters produced through aliases so far (bounded: expansion is exponential). */
  private aliasValues = 0;
  private aliasChars = 0;

  /**
   * Counts what an alias expansion produces: one value, `chars` characters of its strings.
   * The character budget is the larger of `maxAliasChars` and the file's own size, so
   * aliases can at most double what the file holds (and what is generated from it).
   */
  private spendAlias(alias: YamlNode, chars: number): void {
    const { maxAliasNodes, maxAliasChars } = this.ctx.limits;
    if (++this.aliasValues > maxAliasNodes) {
      throw this.error(rangeStart(alias), `aliases expand to more than ${maxAliasNodes} values`);
    }
    this.aliasChars += chars;
    const charBudget = Math.max(maxAliasChars, this.text.length);
    if (this.aliasChars > charBudget) {
      throw this.error(rangeStart(alias), `aliases expand to more than ${charBudget} characters`);
    }
  }

  /**
   * Convert a YAML node to a QAPI value, rejecting what QAPI source cannot express.
   * `depth`: its level if it is a list or mapping (the root sequence is 1); `alias`: the outermost alias
   * being expanded, where a value beyond the alias budget is reported.
   */
  private value(n: YamlNode, depth: number, alias?: YamlNode): QapiValue {
    const { maxNesting } = this.ctx.limits;
    if (alias === undefined && yaml().isAlias(n)) alias = n;
    const node = this.resolve(n);
    if ((yaml().isMap(node) || yaml().isSeq(node)) && depth > maxNesting) {
      throw this.error(rangeStart(alias ?? node), nestingMessage(maxNesting));
    }
    if (alias !== undefined && !yaml().isScalar(node)) this.spendAlias(alias, 0);
    if (yaml().isMap(node)) {
      const map = new Map<string, QapiValue>();
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = keyNode === null ? null : this.resolve(keyNode);
        if (!yaml().isScalar(key) || typeof key.value !== 'string') {
          throw this.error(key ? rangeStart(key) : rangeStart(node), 'mapping keys must be strings');
        }
        if (map.has(key.value)) throw this.error(rangeStart(key), `duplicate key '${key.value}'`);
        if (alias !== undefined || keyNode !== key) this.spendAlias(alias ?? (keyNode as YamlNode), key.value.length);
        const v = pair.value as YamlNode | null;
        if (v === null || (yaml().isScalar(v) && v.value === null && v.range && v.range[0] === v.range[1])) {
          throw this.error(rangeStart(key), `key '${key.value}' has no value`);
        }
        map.set(key.value, this.value(v, depth + 1, alias));
      }
      return map;
    }
    if (yaml().isSeq(node)) return node.items.map((x) => this.value(x as YamlNode, depth + 1, alias));
    if (yaml().isScalar(node)) {
      const v = node.value;
      if (alias !== undefined) this.spendAlias(alias, typeof v === 'string' ? v.length : 0);
      if (typeof v === 'string' || typeof v === 'boolean') return v;
      const what = v === null ? 'null' : typeof v === 'number' || typeof v === 'bigint' ? `number ${node.source ?? String(v)}` : typeof v;
      throw this.error(rangeStart(node), `${what} is not a QAPI value (only strings, booleans, lists and mappings are); quote it to make it a string`);
    }
    throw this.error(rangeStart(node), 'unsupported YAML node');
  }

  /** Each alias node's target, found in one walk of the document (see aliasTargets). */
  private targets: ReadonlyMap<YamlNode, YamlNode> = new Map();

  private resolve(node: YamlNode): YamlNode {
    if (!yaml().isAlias(node)) return node;
    const target = this.targets.get(node);
    if (!target) throw this.error(rangeStart(node), `unresolved alias *${node.source}`);
    return target;
  }

  /**
   * Parse doc text with QEMU's doc grammar by feeding it to the QAPI doc reader as the `##`
   * block it stands for, mapping lines and columns back to the YAML source.
   */
  private docBlock(text: string, scalar: Scalar, info: SourceInfo, symbol: string | undefined): ParsedDoc {
    let lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    // A symbol line written anyway is dropped (it must name this definition).
    let skipped = 0;
    const firstText = lines[0];
    if (symbol !== undefined && firstText !== undefined && /^@[^:]*:$/.test(firstText.trimEnd())) {
      const written = firstText.trimEnd().slice(1, -1);
      if (written !== symbol) {
        throw this.error(rangeStart(scalar), `doc names '@${written}:' but documents '${symbol}'`);
      }
      lines = lines.slice(1);
      skipped = 1;
    }
    const header = symbol !== undefined ? `##\n# @${symbol}:\n` : '##\n';
    const headerLines = symbol !== undefined ? 2 : 1;
    const src = header + lines.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n') + (lines.length ? '\n' : '') + '##\n';

    const block = scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED';
    const start = this.lines.linePos(rangeStart(scalar));
    // First content line and its indentation in the YAML source.
    let firstLine = start.line;
    let indent = start.col - 1 + (scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE' ? 1 : 0);
    if (block) {
      firstLine = start.line + 1;
      indent = this.blockIndent(rangeStart(scalar), scalar.range?.[1] ?? this.text.length);
    }
    firstLine += skipped;
    const lastLine = firstLine + Math.max(lines.length - 1, 0);
    const mapper = {
      line: (n: number): number => {
        const content = n - headerLines - 1; // 0-based content line
        if (content < 0) return info.line ?? 1;
        if (!block) return firstLine;
        return Math.min(firstLine + content, lastLine + 1);
      },
      col: (_n: number, col: number): number => Math.max(col - 2, 1) + indent,
    };
    const lx = new QapiLexer(src, this.fname, this.parent, mapper);
    lx.accept();
    return new DocReader(lx, this.ctx.options.strictDocStyle ?? true, this.ctx.options.onDocStyleFinding).read();
  }

  /** Indentation of a block scalar's first non-blank content line. */
  private blockIndent(headerPos: number, end: number): number {
    const t = this.text;
    let i = t.indexOf('\n', headerPos);
    while (i !== -1 && i < end) {
      let j = i + 1;
      while (t.charCodeAt(j) === 0x20) j++;
      if (t.charCodeAt(j) !== 0x0a) return j - i - 1;
      i = j;
    }
    return 0;
  }

  private info(offset: number): SourceInfo {
    const { line } = this.lines.linePos(offset);
    return this.parent ? { file: this.fname, line, parent: this.parent } : { file: this.fname, line };
  }

  private error(offset: number, message: string): QapiError {
    const { line, col } = this.lines.linePos(offset);
    return this.errorAt(line, col, message);
  }

  private errorAt(line: number, col: number, message: string): QapiError {
    return new QapiError(this.parent ? { file: this.fname, line, col, parent: this.parent } : { file: this.fname, line, col }, message);
  }
}

/** The lexer's control tokens: markers that stand for no source text. */
const LEXER_MARKERS = new Set(['\x02', '\x18', '\x1f']);

/**
 * Each alias of the document mapped to the node its anchor names: the last node before it
 * carrying that anchor, as YAML says (an alias before its anchor stays unmapped). One walk
 * in document order with a stack of its own; yaml's own `Alias.resolve` walks the whole
 * document for every alias, which makes many aliases quadratic.
 */
function aliasTargets(doc: Document): Map<YamlNode, YamlNode> {
  const targets = new Map<YamlNode, YamlNode>();
  const anchors = new Map<string, YamlNode>();
  const todo: unknown[] = [doc.contents];
  while (todo.length > 0) {
    const n = todo.pop();
    if (yaml().isAlias(n)) {
      const target = anchors.get(n.source);
      if (target) targets.set(n, target);
    } else if (yaml().isNode(n)) {
      if (n.anchor) anchors.set(n.anchor, n);
      if (yaml().isCollection(n)) {
        // pushed last to first, so that they are taken first to last
        for (let i = n.items.length - 1; i >= 0; i--) {
          const item = n.items[i];
          if (yaml().isPair(item)) todo.push(item.value, item.key);
          else todo.push(item);
        }
      }
    }
  }
  return targets;
}

/**
 * The offset of the first collection nested more than `limit` deep in yaml's syntax tree,
 * or undefined. Walks with a stack of its own: depth is what it is checking.
 */
function deepestCollection(tokens: readonly CST.Token[], limit: number): number | undefined {
  const todo: [CST.Token, number][] = tokens.map((t) => [t, 0]);
  for (let next = todo.pop(); next; next = todo.pop()) {
    const [t, depth] = next;
    if (t.type === 'document') {
      if (t.value) todo.push([t.value, depth]);
    } else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      if (depth >= limit) return t.offset;
      for (const item of t.items) {
        if (item.key) todo.push([item.key, depth + 1]);
        if (item.value) todo.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

function rangeStart(node: YamlNode | { range?: readonly number[] | null }): number {
  return node.range?.[0] ?? 0;
}
