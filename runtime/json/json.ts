/**
 * The one place the runtime turns wire text into values and back. The client only calls
 * `parse` and `stringify` through a {@link JsonCodec}, so a lossless 64-bit integer mode
 * (numbers beyond 2^53 read as `bigint`) can later be added here as another codec without
 * touching the client.
 */

export interface JsonCodec {
  /** Parses one line received from the server. Throws on invalid JSON. */
  parse(text: string): unknown;
  /**
   * Serialises a value to send: the client passes a command's `arguments` object (it writes
   * the envelope around it itself). Throws on unserialisable values.
   */
  stringify(value: unknown): string;
}

/** Plain `JSON.parse` / `JSON.stringify`: the default and the fastest. */
export const plainJson: JsonCodec = {
  parse: (text) => JSON.parse(text) as unknown,
  stringify: (value) => {
    const s = JSON.stringify(value) as string | undefined;
    if (s === undefined) throw new TypeError(`cannot serialise ${typeof value} as JSON`);
    return s;
  },
};
