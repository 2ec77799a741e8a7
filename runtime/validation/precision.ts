/**
 * The default (`integers: 'number'`) codec's precision-loss detector. `JSON.parse` reads the
 * value; a text with a run of 16 digits (2^53 has 16) may hold an integer it rounded, so
 * only such texts are scanned, and every integer that did not survive is reported (path,
 * wire text, rounded value), never rounded silently. Kept apart from bigint-json.ts (the
 * lossless parser of the opt-in bigint mode), which the client loads only when asked for.
 */
import { formatPath } from './issues.js';

/** An integer on the wire that a JS number cannot hold exactly. */
export interface PrecisionLoss {
  /** JSON path inside the parsed text (`return[3].size`, or `$` prefix when given none). */
  readonly path: string;
  /** The integer exactly as on the wire. */
  readonly text: string;
  /** What it became as a number. */
  readonly value: number;
}

export const MAYBE_UNSAFE = /\d{16}/;

/** `JSON.parse`, then `onLoss` for each integer it rounded (paths start at `root`). */
export function parseReportingLoss(text: string, root: string, onLoss: (loss: PrecisionLoss) => void): unknown {
  const value = JSON.parse(text) as unknown;
  if (MAYBE_UNSAFE.test(text)) scanIntegers(text, root, onLoss);
  return value;
}

/** Walks text that JSON.parse accepted, tracking the path, and checks each long integer. */
function scanIntegers(t: string, root: string, onLoss: (loss: PrecisionLoss) => void): void {
  const path: (string | number)[] = [];
  const inArray: boolean[] = [];
  let expectKey = false;
  for (let p = 0; p < t.length; ) {
    const c = t[p]!;
    if (c === '{' || c === '[') {
      inArray.push(c === '[');
      path.push(0);
      expectKey = c === '{';
      p++;
    } else if (c === '}' || c === ']') {
      inArray.pop();
      path.pop();
      expectKey = false; // after an empty object
      p++;
    } else if (c === ',') {
      if (inArray[inArray.length - 1]) (path[path.length - 1] as number)++;
      else expectKey = true;
      p++;
    } else if (c === '"') {
      let q = p + 1;
      let escaped = false;
      while (t[q] !== '"') q += t[q] === '\\' ? ((escaped = true), 2) : 1;
      if (expectKey) {
        path[path.length - 1] = escaped ? (JSON.parse(t.slice(p, q + 1)) as string) : t.slice(p + 1, q);
        expectKey = false;
      }
      p = q + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let q = p + 1;
      while (q < t.length && '0123456789.eE+-'.includes(t[q]!)) q++;
      const src = t.slice(p, q);
      const n = Number(src);
      // Not safe, but maybe still exact (e.g. 2^60 is a double): report only real losses.
      if (!Number.isSafeInteger(n) && /^-?\d+$/.test(src) && BigInt(n) !== BigInt(src)) {
        onLoss({ path: formatPath(root, path), text: src, value: n });
      }
      p = q;
    } else {
      p++; // whitespace, ':', and the letters of true, false, null
    }
  }
}
