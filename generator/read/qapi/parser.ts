/**
 * One QAPI schema source file: QEMU's `QAPISchemaParser._parse` top-level loop. Values come
 * from `values.ts`, doc blocks from `doc.ts`, directives are handled by the ReadContext.
 */
import { QapiError, type SourceInfo } from '../../diagnostics.js';
import { definitionsMessage } from '../limits.js';
import type { ParsedDoc } from '../parsed.js';
import { rejectExprDoc, type ReadContext } from './context.js';
import { DocReader } from './doc.js';
import { QapiLexer, TOK_COMMENT, TOK_EOF } from './lexer.js';
import { parseValue } from './values.js';

export function parseQapiFile(ctx: ReadContext, fname: string, text: string, parent: SourceInfo | undefined): void {
  const src = text === '' || !text.endsWith('\n') ? text + '\n' : text;
  const lx = new QapiLexer(src, fname, parent);
  const docReader = new DocReader(lx, ctx.options.strictDocStyle ?? true, ctx.options.onDocStyleFinding);
  let curDoc: ParsedDoc | undefined;
  lx.accept();
  while (lx.tok !== TOK_EOF) {
    const info = lx.info();
    if (lx.tok === TOK_COMMENT) {
      rejectExprDoc(curDoc);
      curDoc = docReader.read();
      ctx.docs.push(curDoc);
      continue;
    }
    if (ctx.exprs.length >= ctx.limits.maxDefinitions) throw new QapiError(info, definitionsMessage(ctx.limits.maxDefinitions));
    const expr = parseValue(lx, ctx.limits.maxNesting, 0, ctx.limits.maxItems);
    if (!(expr instanceof Map)) throw new QapiError(info, 'top-level expression must be an object');
    if (expr.has('include') || expr.has('pragma')) {
      rejectExprDoc(curDoc);
      ctx.directive(expr, info, fname);
    } else {
      if (curDoc && curDoc.symbol === undefined) {
        throw new QapiError(curDoc.info, 'definition documentation required');
      }
      ctx.exprs.push(curDoc ? { expr, info, doc: curDoc } : { expr, info });
    }
    curDoc = undefined;
  }
  rejectExprDoc(curDoc);
}
