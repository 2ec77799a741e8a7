/**
 * `JSON.stringify` that writes `bigint`s as exact digits: what the lossless codec
 * (bigint-json.ts) sends, and what the transcript writer (transcript.ts) writes. Its own
 * module, so the client's up-front code carries the serialiser without the lossless parser
 * (which the client loads only for `integers: 'bigint'`).
 */

/** `JSON.stringify` that writes `bigint` as exact integer digits. Throws on unserialisable values. */
export function stringifyJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, '');
  if (parts.length === 0) throw new TypeError(`cannot serialise ${typeof value} as JSON`);
  return parts.join('');
}

// ---------------------------------------------------------------------------------------
// Serialiser: JSON.stringify's rules (toJSON, undefined/function members dropped, undefined
// array elements as null), plus bigint.
// ---------------------------------------------------------------------------------------

function write(value: unknown, out: string[], key: string): boolean {
  let v = value;
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON(k: string): unknown }).toJSON(key);
  }
  switch (typeof v) {
    case 'bigint': out.push(v.toString()); return true;
    case 'string': out.push(JSON.stringify(v)); return true;
    case 'number': out.push(Number.isFinite(v) ? String(v) : 'null'); return true;
    case 'boolean': out.push(v ? 'true' : 'false'); return true;
    case 'object': {
      if (v === null) { out.push('null'); return true; }
      if (Array.isArray(v)) {
        out.push('[');
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out.push(',');
          if (!write(v[i], out, String(i))) out.push('null');
        }
        out.push(']');
        return true;
      }
      out.push('{');
      let first = true;
      for (const k of Object.keys(v)) {
        const mark = out.length;
        out.push(first ? '' : ',', JSON.stringify(k), ':');
        if (write((v as Record<string, unknown>)[k], out, k)) first = false;
        else out.length = mark;
      }
      out.push('}');
      return true;
    }
    default: return false; // undefined, function, symbol: left out, as JSON.stringify does
  }
}
