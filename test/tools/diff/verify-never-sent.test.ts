/**
 * `verify` treats what the bindings may receive but the target never sends alike, by what it
 * means for a client: optional output members, output-only enum values and union branches
 * are listed as "never sends", not counted as problems. Mandatory output members and
 * anything the client may send stay problems. QEMU 9.2's bindings against QEMU 7.2.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaToIntrospection, type BindingsRecord } from '../../../generator/emit/record.js';
import { loadSchema } from '../../../generator/load.js';
import type { Schema } from '../../../generator/model/types.js';
import { diffSchemas } from '../../../tools/diff/index.js';
import { formatVerifyText, problemCount, verifyBindings, type VerifyReport } from '../../../tools/diff/verify.js';
import { repoRoot as repo, vendoredQemu } from '../../support/paths.js';

const CAPTURE_72 = path.join(repo, 'schema/qemu-7.2-x86_64.introspection.json');

let bindings: Schema;
let target: Schema;
let report: VerifyReport;

beforeAll(() => {
  bindings = loadSchema(path.join(vendoredQemu, 'qemu-9.2/qapi/qapi-schema.json'));
  target = loadSchema(CAPTURE_72);
  const record = { generator: 'qmp-ts test', source: { format: 'qapi', files: [], hash: '' }, schema: schemaToIntrospection(bindings) } as unknown as BindingsRecord;
  report = verifyBindings('b92', record, bindings, target, '7.2');
});

describe('verify: what the target never sends', () => {
  it('lists optional output members, output-only enum values and branches the target lacks, none as a problem', () => {
    const subjects = new Set(report.neverSent.map((n) => n.subject));
    expect(subjects).toEqual(new Set(['member', 'enum-value', 'branch']));
    const problemPaths = new Set(report.mismatches.map((c) => c.path));
    for (const n of report.neverSent) expect(problemPaths.has(n.path), n.path).toBe(false);
    for (const n of report.neverSent.filter((x) => x.subject === 'member')) expect(n.message).toMatch(/^optional member /);
    const text = formatVerifyText(report);
    expect(text).toMatch(/What the bindings may receive that the target never sends \(\d+, not problems\):/);
    expect(text).toMatch(/optional members the target never sends \(\d+\):/);
    expect(text).toMatch(/enum values the target never sends \(\d+\):/);
  });

  it('every removal in received data only is accounted for: never sent when the client must do without it, else a problem', () => {
    const d = diffSchemas(bindings, target, { conditions: false });
    const outOnlyRemovals = d.changes.filter((c) => c.action === 'removed' && c.directions.length > 0 && c.directions.every((x) => x === 'out'));
    const never = new Set(report.neverSent.map((n) => n.path + n.message));
    for (const c of outOnlyRemovals) {
      const expectNever = c.subject === 'enum-value' || c.subject === 'branch' || (c.subject === 'member' && c.message.startsWith('optional '));
      expect(never.has(c.path + c.message), `${c.path}: ${c.message}`).toBe(expectNever);
    }
    // a mandatory output member the target lacks is still a problem
    const mandatory = outOnlyRemovals.filter((c) => c.subject === 'member' && c.message.startsWith('mandatory '));
    const problems = new Set(report.mismatches.map((c) => c.path + c.message));
    for (const c of mandatory) expect(problems.has(c.path + c.message), c.path).toBe(true);
    // and the problem count leaves the never-sent ones out
    expect(problemCount(report)).toBe(report.missingCommands.length + report.missingEvents.length + report.mismatches.length);
    expect(report.mismatches.some((c) => c.subject === 'member' && c.action === 'removed' && c.directions.every((x) => x === 'out') && c.message.startsWith('optional '))).toBe(false);
  });
});
