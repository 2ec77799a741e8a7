/** The QapiError a function throws; fails the test if it throws nothing or something else. */
import { QapiError } from '../../generator/diagnostics.js';

export function errorOf(fn: () => unknown): QapiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof QapiError) return e;
    throw e;
  }
  throw new Error('expected a QapiError');
}
