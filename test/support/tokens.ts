/**
 * A TypeScript file's tokens as TypeScript's scanner reads them, comments apart: the code
 * tokens (whitespace and comments left out) and the text of each comment with its layout
 * (delimiters, leading `*`, indentation) taken out. Two files with equal `code` and
 * `comments` differ only in whitespace and in how comments are laid out.
 */
import ts from 'typescript';

export interface FileTokens {
  readonly code: readonly string[];
  readonly comments: readonly string[];
}

/** A comment's words: no delimiters, no leading ` * `, no indentation, trimmed. */
function commentText(comment: string): string {
  const body = comment.startsWith('//') ? comment.slice(2) : comment.replace(/^\/\*\*?/, '').replace(/\*\/$/, '');
  return body.split('\n').map((l) => l.replace(/^\s*\* ?/, '').trimEnd()).join('\n').trim();
}

export function fileTokens(text: string): FileTokens {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const code: string[] = [];
  const comments: string[] = [];
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (k === ts.SyntaxKind.WhitespaceTrivia || k === ts.SyntaxKind.NewLineTrivia) continue;
    if (k === ts.SyntaxKind.MultiLineCommentTrivia || k === ts.SyntaxKind.SingleLineCommentTrivia) comments.push(commentText(scanner.getTokenText()));
    else code.push(`${ts.SyntaxKind[k]} ${scanner.getTokenText()}`);
  }
  return { code, comments };
}
