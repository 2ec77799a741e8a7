/**
 * A line-per-difference rendering of two JSON values, for replay mismatches:
 *
 *   - arguments.node-name: "disk0"
 *   + arguments.node-name: "disk1"
 *
 * `-` is what the recording expected, `+` what was received; a member only on one side gets
 * only its line.
 */
import { stringifyJson } from './json-stringify.js';
import { formatPath } from '../validation/issues.js';

export function jsonDiff(expected: unknown, received: unknown, root: string): string[] {
  const lines: string[] = [];
  walk(expected, received, [], root, lines);
  return lines;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(a: unknown, b: unknown, path: (string | number)[], root: string, out: string[]): void {
  const here = (): string => formatPath(root, path);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const inA = Object.hasOwn(a, k);
      const inB = Object.hasOwn(b, k);
      path.push(k);
      if (inA && inB) walk(a[k], b[k], path, root, out);
      else if (inA) out.push(`- ${here()}: ${stringifyJson(a[k])}`);
      else out.push(`+ ${here()}: ${stringifyJson(b[k])}`);
      path.pop();
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => {
      path.push(i);
      walk(x, b[i], path, root, out);
      path.pop();
    });
    return;
  }
  const sa = stringifyJson(a);
  const sb = stringifyJson(b);
  if (sa !== sb) out.push(`- ${here()}: ${sa}`, `+ ${here()}: ${sb}`);
}
