/**
 * Connecting doc comments to what they document (QEMU's `QAPIDoc.connect_member`,
 * `connect_feature` and `check`), without mutating the parser's `ParsedDoc`s.
 *
 * A connected member gets its description text (`MemberEntity.docText`). Descriptions no
 * member connected to are QEMU's "documented member does not exist". Members a
 * `documentation-exceptions` pragma lets go undocumented get an empty stub description,
 * which QEMU appends to the doc's descriptions (they show in its test dump).
 */
import { docStyleFinding, QapiError, type DocStyleSink, type SourceInfo } from '../diagnostics.js';
import type { ParsedDoc, ParsedDocSection } from '../read/parsed.js';
import type { DocConnector, FeatureEntity, MemberEntity } from './entities.js';

/** A member description as the doc block ends up with it (written, or a stub). */
export interface ArgDoc {
  readonly name: string;
  readonly text: string;
}

interface Stub {
  readonly name: string;
  readonly info: SourceInfo;
  readonly text: '';
}

export class DocConnections implements DocConnector {
  /** Written descriptions some member or feature was connected to. */
  private readonly connected = new Set<ParsedDocSection>();
  /** Stub descriptions, per doc block that needed any (rare). */
  private readonly stubs = new Map<ParsedDoc, Map<string, Stub>>();

  /**
   * @param onUndocumented Not strict: receives "member 'x' lacks documentation" as a warning
   *   and the member gets an empty description (QEMU before 9.0 required none; 9.0 added the
   *   rule with the `documentation-exceptions` pragma as loophole). Undefined: an error.
   */
  constructor(
    private readonly documentationExceptions: ReadonlySet<string>,
    private readonly onUndocumented?: DocStyleSink,
  ) {}

  connectMember(doc: ParsedDoc, member: MemberEntity): void {
    const section = doc.args.get(member.name);
    if (section) {
      this.connected.add(section);
      member.docText = section.text;
      return;
    }
    let stubs = this.stubs.get(doc);
    if (stubs?.has(member.name)) {
      member.docText = '';
      return;
    }
    if (doc.symbol === undefined || !this.documentationExceptions.has(doc.symbol)) {
      docStyleFinding(this.onUndocumented, new QapiError(member.info, `${member.role} '${member.name}' lacks documentation`), doc.info);
    }
    if (!stubs) {
      stubs = new Map();
      this.stubs.set(doc, stubs);
    }
    stubs.set(member.name, { name: member.name, info: doc.info, text: '' });
    member.docText = '';
  }

  connectFeature(doc: ParsedDoc, feature: FeatureEntity): void {
    const section = doc.features.get(feature.name);
    if (!section) {
      throw new QapiError(feature.info, `feature '${feature.name}' lacks documentation`);
    }
    this.connected.add(section);
    feature.docText = section.text;
  }

  /** Drops what connecting `doc` recorded (it was replaced by an edited copy: docs-recheck.ts). */
  forget(doc: ParsedDoc): void {
    for (const s of doc.args.values()) this.connected.delete(s);
    for (const s of doc.features.values()) this.connected.delete(s);
    this.stubs.delete(doc);
  }

  /** The member descriptions of `doc`: the written ones, then QEMU's stubs. */
  args(doc: ParsedDoc): ArgDoc[] {
    const out: ArgDoc[] = [];
    for (const [name, s] of doc.args) out.push({ name, text: s.text });
    const stubs = this.stubs.get(doc);
    if (stubs) for (const s of stubs.values()) out.push({ name: s.name, text: s.text });
    return out;
  }

  /** QEMU's `QAPIDoc.check`: every described member and feature must exist. */
  check(doc: ParsedDoc): void {
    this.checkDescribed(doc.args, 'member');
    this.checkDescribed(doc.features, 'feature');
  }

  private checkDescribed(described: ReadonlyMap<string, ParsedDocSection>, what: string): void {
    let bogus: string[] | undefined;
    let first: ParsedDocSection | undefined;
    for (const [name, s] of described) {
      if (this.connected.has(s)) continue;
      (bogus ??= []).push(name);
      first ??= s;
    }
    if (!bogus || !first) return;
    const many = bogus.length > 1;
    throw new QapiError(
      first.info,
      `documented ${what}${many ? 's' : ''} '${bogus.join("', '")}' ${many ? 'do' : 'does'} not exist`,
    );
  }
}
