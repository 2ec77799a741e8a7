/**
 * `testing.ts`: a `FakeQemu` typed by the bindings (handlers per command, typed `emit`),
 * driven by their validator table and command table. Not re-exported by `index.ts`, so
 * application code never loads it; tests import it from `testing.js`.
 */
import type { StatementStructures } from './structures.js';
import { generatorDocs } from './docs.js';
import type { FileScope } from './scope.js';

export const TESTING_FILE = 'testing.ts';

export function testingFile(
  scope: FileScope,
  files: { commands: string; events: string; validators: string; table: string },
): StatementStructures[] {
  const { fixed } = scope.names;
  const base = scope.rt('FakeQemu');
  const options = scope.rt('FakeQemuOptions');
  const replayOptions = scope.rt('ReplayOptions');
  return [
    {
      kind: 'import',
      moduleSpecifier: files.commands,
      namedImports: [{ name: fixed.commandTable }, { name: fixed.commands, isTypeOnly: true }],
    },
    { kind: 'import', moduleSpecifier: files.events, isTypeOnly: true, namedImports: [{ name: fixed.events }] },
    { kind: 'import', moduleSpecifier: files.validators, namedImports: [{ name: files.table }] },
    {
      kind: 'const',
      name: 'schema',
      initializer: `{ table: ${files.table}, commands: ${fixed.commandTable} }`,
    },
    {
      kind: 'class',
      name: 'FakeQemu',
      isExported: true,
      extends: `${base}<${fixed.commands}, ${fixed.events}>`,
      docs: generatorDocs(
        'A QMP server for tests that speaks this schema: arguments checked as QEMU checks them (with its wording), ' +
          'handlers typed per command, replies and events checked against the schema.',
      ),
      methods: [
        {
          name: 'start',
          isStatic: true,
          docs: generatorDocs('Starts a fake on a private Unix socket (`.path`), TCP, or in memory (`listen`).'),
          parameters: [{ name: 'options', type: `${options}<${fixed.commands}>`, initializer: '{}' }],
          returnType: 'globalThis.Promise<FakeQemu>',
          statements: ['return new FakeQemu(schema, options).listen();'],
        },
        {
          name: 'replay',
          isStatic: true,
          docs: generatorDocs(
            "Serves a session recorded with the client option `record` (or the shell's `--transcript`): commands must come " +
              'in the recorded order with the recorded arguments; a difference is answered with an error showing it.',
          ),
          parameters: [
            { name: 'file', type: 'string' },
            { name: 'options', type: replayOptions, initializer: '{}' },
          ],
          returnType: 'globalThis.Promise<FakeQemu>',
          statements: ['return new FakeQemu(schema, { ...options, replay: file }).listen();'],
        },
      ],
    },
    // What a handler throws to answer with a QMP error, next to the fake that needs it.
    `export { ${scope.rt('QmpErrorReply')} as QmpErrorReply };`,
  ];
}
