/**
 * The runtime's error guards go by name, so they hold for errors of another copy of the
 * runtime (each SDK `qmp-ts package` bundles carries one), where `instanceof` does not.
 */
import { describe, expect, it } from 'vitest';
import {
  ConnectionClosedError,
  QmpConnectionError,
  QmpError,
  QmpTimeoutError,
  isConnectionClosedError,
  isJobError,
  isMigrationError,
  isQmpConnectionError,
  isQmpError,
  isQmpLaunchError,
  isQmpProtocolError,
  isQmpTimeoutError,
  isQmpUsageError,
  isQmpValidationError,
} from '../../runtime/index.js';
import { reasonText, toError } from '../../runtime/internal.js';

/** An error class of "another copy of the runtime": same name, different class. */
function foreign(name: string): Error {
  const Copy = class extends Error {};
  const e = new Copy('from another copy');
  Object.defineProperty(e, 'name', { value: name });
  return e;
}

const guards = {
  QmpError: isQmpError,
  ConnectionClosedError: isConnectionClosedError,
  QmpConnectionError: isQmpConnectionError,
  QmpTimeoutError: isQmpTimeoutError,
  QmpUsageError: isQmpUsageError,
  QmpProtocolError: isQmpProtocolError,
  QmpValidationError: isQmpValidationError,
  QmpLaunchError: isQmpLaunchError,
  JobError: isJobError,
  MigrationError: isMigrationError,
} as const;

describe('error guards', () => {
  it('recognise their own class and a copy of it by name, and nothing else', () => {
    for (const [name, guard] of Object.entries(guards)) {
      expect(guard(foreign(name)), name).toBe(true);
      for (const other of Object.keys(guards)) if (other !== name) expect(guard(foreign(other)), `${name} vs ${other}`).toBe(false);
      expect(guard({ name, message: 'a plain object is no error' }), name).toBe(false);
      expect(guard(name), name).toBe(false);
    }
    const copy = foreign('QmpError');
    expect(copy instanceof QmpError).toBe(false); // what the guards are for
    expect(isQmpError(new QmpError('stop', 1, { class: 'GenericError', desc: 'no' }))).toBe(true);
    expect(isConnectionClosedError(new ConnectionClosedError('closed'))).toBe(true);
    expect(isQmpTimeoutError(new QmpTimeoutError('stop', 10))).toBe(true);
    expect(isQmpConnectionError(new QmpConnectionError('unix:/x', 'ENOENT', 'no such file or directory'))).toBe(true);
  });

  it('toError keeps errors and wraps anything else; reasonText reads both', () => {
    const e = new RangeError('r');
    expect(toError(e)).toBe(e);
    expect(toError('text')).toMatchObject({ name: 'Error', message: 'text' });
    expect(toError(42).message).toBe('42');
    expect(reasonText(e)).toBe('r');
    expect(reasonText(undefined)).toBe('undefined');
  });
});
