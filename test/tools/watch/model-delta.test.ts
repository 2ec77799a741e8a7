/**
 * watch/model-delta.ts: a doc edit keeps the shape and names the definitions whose docs
 * changed (an inline argument's description is the implicit argument type's); any
 * other change, moved lines included, changes the shape.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSchema } from '../../../generator/load.js';
import { modelDelta } from '../../../tools/watch/model-delta.js';

const dir = mkdtempSync(path.join(tmpdir(), 'qmp-ts-delta-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** The model of `text`, read from the same file name each time (the name is part of the shape). */
const model = (text: string) => {
  const file = path.join(dir, 'schema.json');
  writeFileSync(file, text);
  return loadSchema(file);
};

const SCHEMA = `##
# @Info:
#
# What there is.
#
# @name: its name
##
{ 'struct': 'Info', 'data': { 'name': 'str' } }

##
# @query-info:
#
# Tells.
#
# @verbose: say more
##
{ 'command': 'query-info', 'data': { '*verbose': 'bool' }, 'returns': 'Info' }
`;

describe('modelDelta', () => {
  it('finds no change between two reads of the same text', () => {
    expect(modelDelta(model(SCHEMA), model(SCHEMA))).toEqual({ sameShape: true, docsChanged: new Set() });
  });

  it('names the definition whose doc body or member description changed', () => {
    expect(modelDelta(model(SCHEMA), model(SCHEMA.replace('What there is.', 'What there is, edited.')))).toEqual({ sameShape: true, docsChanged: new Set(['Info']) });
    expect(modelDelta(model(SCHEMA), model(SCHEMA.replace('its name', 'its new name')))).toEqual({ sameShape: true, docsChanged: new Set(['Info']) });
  });

  it("puts an inline argument's description on the implicit argument type (its member's doc), not on the command", () => {
    expect(modelDelta(model(SCHEMA), model(SCHEMA.replace('say more', 'say much more')))).toEqual({
      sameShape: true,
      docsChanged: new Set(['q_obj_query-info-arg']),
    });
  });

  it('sees a changed shape: a new member, a changed type, a moved definition', () => {
    const prev = model(SCHEMA);
    for (const next of [
      SCHEMA.replace("'name': 'str'", "'name': 'str', '*size': 'int'"),
      SCHEMA.replace("'name': 'str'", "'name': 'int'"),
      SCHEMA.replace("# What there is.\n", '# What there is.\n# Over two lines.\n'),
    ]) {
      expect(modelDelta(prev, model(next))).toMatchObject({ sameShape: false });
    }
  });
});
