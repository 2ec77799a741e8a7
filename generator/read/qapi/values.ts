/**
 * The JSON-like value grammar of QAPI schema files: QEMU's `get_expr`, `get_members` and
 * `get_values`, with the same error messages and positions.
 */
import type { QapiDict, QapiValue } from '../parsed.js';
import { itemsMessage, nestingMessage } from '../limits.js';
import {
  QapiLexer,
  TOK_COLON,
  TOK_COMMA,
  TOK_FALSE,
  TOK_LBRACE,
  TOK_LBRACKET,
  TOK_RBRACE,
  TOK_RBRACKET,
  TOK_STRING,
  TOK_TRUE,
} from './lexer.js';

/**
 * Parse one value starting at the current token; leaves the lexer on the token after it.
 * Lists and objects nested more than `maxNesting` deep are an error at the opening bracket.
 */
export function parseValue(lx: QapiLexer, maxNesting: number, depth = 0, maxItems = Infinity): QapiValue {
  if ((lx.tok === TOK_LBRACE || lx.tok === TOK_LBRACKET) && depth >= maxNesting) throw lx.error(nestingMessage(maxNesting));
  switch (lx.tok) {
    case TOK_LBRACE:
      lx.accept();
      return parseMembers(lx, maxNesting, depth + 1, maxItems);
    case TOK_LBRACKET:
      lx.accept();
      return parseValues(lx, maxNesting, depth + 1, maxItems);
    case TOK_STRING: {
      const s = lx.str;
      lx.accept();
      return s;
    }
    case TOK_TRUE:
      lx.accept();
      return true;
    case TOK_FALSE:
      lx.accept();
      return false;
    default:
      throw lx.error("expected '{', '[', string, or boolean");
  }
}

function parseMembers(lx: QapiLexer, maxNesting: number, depth: number, maxItems: number): QapiDict {
  const dict = new Map<string, QapiValue>();
  if (lx.tok === TOK_RBRACE) {
    lx.accept();
    return dict;
  }
  if (lx.tok !== TOK_STRING) throw lx.error("expected string or '}'");
  for (;;) {
    const key = lx.str;
    lx.accept();
    if (lx.tok !== TOK_COLON) throw lx.error("expected ':'");
    lx.accept();
    if (dict.has(key)) throw lx.error(`duplicate key '${key}'`);
    if (dict.size >= maxItems) throw lx.error(itemsMessage(maxItems));
    dict.set(key, parseValue(lx, maxNesting, depth, maxItems));
    if (lx.tok === TOK_RBRACE) {
      lx.accept();
      return dict;
    }
    if (lx.tok !== TOK_COMMA) throw lx.error("expected ',' or '}'");
    lx.accept();
    if (lx.tok !== TOK_STRING) throw lx.error('expected string');
  }
}

function parseValues(lx: QapiLexer, maxNesting: number, depth: number, maxItems: number): QapiValue[] {
  const list: QapiValue[] = [];
  if (lx.tok === TOK_RBRACKET) {
    lx.accept();
    return list;
  }
  const t = lx.tok;
  if (t !== TOK_LBRACE && t !== TOK_LBRACKET && t !== TOK_STRING && t !== TOK_TRUE && t !== TOK_FALSE) {
    throw lx.error("expected '{', '[', ']', string, or boolean");
  }
  for (;;) {
    if (list.length >= maxItems) throw lx.error(itemsMessage(maxItems));
    list.push(parseValue(lx, maxNesting, depth, maxItems));
    if (lx.tok === TOK_RBRACKET) {
      lx.accept();
      return list;
    }
    if (lx.tok !== TOK_COMMA) throw lx.error("expected ',' or ']'");
    lx.accept();
  }
}
