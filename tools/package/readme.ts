/**
 * The README of a generated package: how to install and use it, where its schema came from
 * (format, files, hash), and every command (with its method name) and event, with the first
 * paragraph of the schema's documentation. The fixed text is templates/package-readme.md.
 */
import path from 'node:path';
import { isDeprecated, isUnstable, type Command, type Doc, type Event, type Schema } from '../../generator/model/types.js';
import { render } from '../../generator/templates.js';

export interface ReadmeInput {
  readonly name: string;
  readonly version: string;
  readonly generator: string;
  readonly schema: Schema;
  readonly commands: readonly Command[];
  readonly events: readonly Event[];
  readonly methodName: (c: Command) => string;
  readonly client: string;
  /** Where the runtime comes from, for the usage notes. */
  readonly runtime: 'bundled' | 'dependency';
}

/** First paragraph of a doc body, on one line (rST markup left as is). */
function summary(doc: Doc | undefined): string {
  const body = doc?.body.trim() ?? '';
  const para = body.split(/\n\s*\n/)[0] ?? '';
  return para.replace(/\s*\n\s*/g, ' ').trim();
}

function marks(node: Command | Event): string {
  const out: string[] = [];
  if (isDeprecated(node)) out.push('**deprecated**');
  if (isUnstable(node)) out.push('**unstable**');
  if (node.doc?.since) out.push(`since ${node.doc.since}`);
  return out.length ? ` (${out.join(', ')})` : '';
}

/** A command that needs no arguments, for the usage example. */
function exampleCommand(commands: readonly Command[]): Command | undefined {
  const noArgs = (c: Command): boolean => !c.arguments || c.arguments.members.every((m) => m.optional);
  for (const preferred of ['query-status', 'query-version', 'guest-info', 'query-name']) {
    const c = commands.find((x) => x.name === preferred);
    if (c && noArgs(c)) return c;
  }
  return commands.find(noArgs);
}

export function renderReadme(r: ReadmeInput): string {
  const src = r.schema.source;
  const main = src.files[0] ? path.basename(src.files[0]) : '(unknown)';
  const more = src.files.length > 1 ? ` (and ${src.files.length - 1} included files)` : '';
  const example = exampleCommand(r.commands);
  const commandList = [...r.commands]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => {
      const text = summary(c.doc);
      return `- \`${c.name}\` — \`${r.methodName(c)}()\`${marks(c)}${text ? `: ${text}` : ''}\n`;
    });
  const eventList = [...r.events]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((e) => {
      const text = summary(e.doc);
      return `- \`${e.name}\`${marks(e)}${text ? `: ${text}` : ''}\n`;
    });
  return render('package-readme.md', {
    name: r.name,
    generator: r.generator,
    client: r.client,
    main,
    more,
    format: src.format,
    hash: src.hash,
    commandCount: r.commands.length,
    eventCount: r.events.length,
    runtimeNote: render(r.runtime === 'bundled' ? 'package-runtime-bundled.md' : 'package-runtime-dependency.md', { name: r.name }),
    exampleLine: example ? `console.log(await qmp.${r.methodName(example)}());\n` : '',
    commandList: commandList.join(''),
    eventList: eventList.join(''),
  });
}
