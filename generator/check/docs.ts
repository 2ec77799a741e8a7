/**
 * Connecting doc comments to what they document (QEMU's `QAPIDoc.connect_member`,
 * `connect_feature` and `check`), without mutating the parser's `ParsedDoc`s.
 *
 * Each doc block gets a `DocState`: its member and feature descriptions, plus the stub
 * descriptions QEMU adds for members a `documentation-exceptions` pragma lets go
 * undocumented (they show in QEMU's test dump), and which schema member each describes.
 */
import { QapiError, type SourceInfo } from '../diagnostics.js';
import type { ParsedDoc } from '../read/parsed.js';
import type { DocConnector, FeatureEntity, MemberEntity } from './entities.js';

export interface ArgDoc {
  readonly name: string;
  readonly info: SourceInfo;
  readonly text: string;
  /** Whether some schema member was connected to this description. */
  connected: boolean;
}

export interface DocState {
  readonly doc: ParsedDoc;
  readonly args: Map<string, ArgDoc>;
  readonly features: Map<string, ArgDoc>;
}

function argDocs(src: ParsedDoc['args']): Map<string, ArgDoc> {
  const out = new Map<string, ArgDoc>();
  for (const [name, s] of src) out.set(name, { name, info: s.info, text: s.text, connected: false });
  return out;
}

export class DocConnections implements DocConnector {
  private readonly states = new Map<ParsedDoc, DocState>();

  /**
   * @param onUndocumented Not strict: receives "member 'x' lacks documentation" as a warning
   *   and the member gets an empty description (QEMU before 9.0 required none; 9.0 added the
   *   rule with the `documentation-exceptions` pragma as loophole). Undefined: an error.
   */
  constructor(
    private readonly documentationExceptions: ReadonlySet<string>,
    private readonly onUndocumented?: (warning: QapiError) => void,
  ) {}

  state(doc: ParsedDoc): DocState {
    let s = this.states.get(doc);
    if (!s) {
      s = { doc, args: argDocs(doc.args), features: argDocs(doc.features) };
      this.states.set(doc, s);
    }
    return s;
  }

  connectMember(doc: ParsedDoc, member: MemberEntity): void {
    const s = this.state(doc);
    let arg = s.args.get(member.name);
    if (!arg) {
      if (doc.symbol === undefined || !this.documentationExceptions.has(doc.symbol)) {
        const err = new QapiError(member.info, `${member.role} '${member.name}' lacks documentation`);
        if (!this.onUndocumented) throw err;
        this.onUndocumented(err);
      }
      arg = { name: member.name, info: doc.info, text: '', connected: false };
      s.args.set(member.name, arg);
    }
    arg.connected = true;
    member.docText = arg.text;
  }

  connectFeature(doc: ParsedDoc, feature: FeatureEntity): void {
    const s = this.state(doc);
    const f = s.features.get(feature.name);
    if (!f) {
      throw new QapiError(feature.info, `feature '${feature.name}' lacks documentation`);
    }
    f.connected = true;
    feature.docText = f.text;
  }

  /** QEMU's `QAPIDoc.check`: every described member and feature must exist. */
  check(doc: ParsedDoc): void {
    const s = this.state(doc);
    checkArgsSection(s.args, 'member');
    checkArgsSection(s.features, 'feature');
  }
}

function checkArgsSection(args: Map<string, ArgDoc>, what: string): void {
  const bogus = [...args.values()].filter((a) => !a.connected);
  if (bogus.length === 0) return;
  const many = bogus.length > 1;
  throw new QapiError(
    bogus[0]!.info,
    `documented ${what}${many ? 's' : ''} '${bogus.map((b) => b.name).join("', '")}' ${many ? 'do' : 'does'} not exist`,
  );
}
