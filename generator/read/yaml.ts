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
 * keys are QEMU's "duplicate key" error. Aliases are resolved, up to a budget of values they
 * may produce (./limits.ts: expansion is exponential); tags other than the core ones
 * are errors. Every error carries the YAML file, line and column.
 */
import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';
import type { CST, Document, Node as YamlNode, Scalar, YAMLError } from 'yaml';
import { QapiError, type SourceInfo } from '../diagnostics.js';
import { nestingMessage } from './limits.js';
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
    // yaml's parser slows down badly on deep flow nesting and its composer recurses: check
    // flow nesting on the lexer's tokens (linear), block nesting on the parser's tree.
    const { maxNesting } = this.ctx.limits;
    const tooDeepFlow = deepFlowBracket(this.text, maxNesting);
    if (tooDeepFlow !== undefined) {
      // before parsing, so the line counter is still empty: count lines here
      const before = this.text.slice(0, tooDeepFlow);
      const line = before.split('\n').length;
      const col = tooDeepFlow - (before.lastIndexOf('\n') + 1) + 1;
      throw this.errorAt(line, col, nestingMessage(maxNesting));
    }
    const tokens = Array.from(new (yaml().Parser)(this.lines.addNewLine).parse(this.text));
    const tooDeep = deepestCollection(tokens, maxNesting);
    if (tooDeep !== undefined) throw this.error(tooDeep, nestingMessage(maxNesting));
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
    const problem: YAMLError | undefined = doc.errors[0] ?? doc.warnings[0];
    if (problem) throw this.error(problem.pos[0], problem.message.replace(/ at line \d+, column \d+.*$/s, ''));
    const root = doc.contents;
    if (root === null) return;
    if (!yaml().isSeq(root)) {
      throw this.error(rangeStart(root), 'a YAML schema must be a sequence of QAPI expressions (each item starting with "- ")');
    }
    for (const item of root.items) this.topLevel(item as YamlNode);
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
    this.ctx.exprs.push(doc ? { expr: expr as QapiDict, info, doc } : { expr: expr as QapiDict, info });
  }

  /** Values produced through aliases so far (bounded: alias expansion is exponential). */
  private aliasValues = 0;

  /**
   * Convert a YAML node to a QAPI value, rejecting what QAPI source cannot express.
   * `depth`: its level if it is a list or mapping (the root sequence is 1); `alias`: the outermost alias
   * being expanded, where a value beyond the alias budget is reported.
   */
  private value(n: YamlNode, depth: number, alias?: YamlNode): QapiValue {
    const { maxNesting, maxAliasNodes } = this.ctx.limits;
    if (alias === undefined && yaml().isAlias(n)) alias = n;
    if (alias !== undefined && ++this.aliasValues > maxAliasNodes) {
      throw this.error(rangeStart(alias), `aliases expand to more than ${maxAliasNodes} values`);
    }
    const node = this.resolve(n);
    if ((yaml().isMap(node) || yaml().isSeq(node)) && depth > maxNesting) {
      throw this.error(rangeStart(alias ?? node), nestingMessage(maxNesting));
    }
    if (yaml().isMap(node)) {
      const map = new Map<string, QapiValue>();
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = keyNode === null ? null : this.resolve(keyNode);
        if (!yaml().isScalar(key) || typeof key.value !== 'string') {
          throw this.error(key ? rangeStart(key) : rangeStart(node), 'mapping keys must be strings');
        }
        if (map.has(key.value)) throw this.error(rangeStart(key), `duplicate key '${key.value}'`);
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
      if (typeof v === 'string' || typeof v === 'boolean') return v;
      const what = v === null ? 'null' : typeof v === 'number' || typeof v === 'bigint' ? `number ${node.source ?? String(v)}` : typeof v;
      throw this.error(rangeStart(node), `${what} is not a QAPI value (only strings, booleans, lists and mappings are); quote it to make it a string`);
    }
    throw this.error(rangeStart(node), 'unsupported YAML node');
  }

  private resolve(node: YamlNode): YamlNode {
    let n: YamlNode | undefined = node;
    for (let depth = 0; yaml().isAlias(n); depth++) {
      const target: YamlNode | undefined = n.resolve(this.doc) as YamlNode | undefined;
      if (!target || depth > 100) throw this.error(rangeStart(n), `unresolved alias *${n.source}`);
      n = target;
    }
    return n;
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
 * The offset of the first flow bracket (`[`, `{`) nested more than `limit` deep, or
 * undefined. The lexer tells flow brackets from the same characters in scalars.
 */
function deepFlowBracket(text: string, limit: number): number | undefined {
  let depth = 0;
  let offset = 0;
  for (const token of new (yaml().Lexer)().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > limit) return offset;
    } else if (token === ']' || token === '}') {
      depth--;
    }
    if (!LEXER_MARKERS.has(token)) offset += token.length;
  }
  return undefined;
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
