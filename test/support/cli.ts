/** Runs `qmp-ts ARGS` in process and collects what it writes. */
import { main } from '../../cli/main.js';

type Written = { code: number; stderr: string; stdout: string };

async function run(args: readonly string[], streams: readonly NodeJS.WriteStream[]): Promise<Written> {
  const written = new Map<NodeJS.WriteStream, string[]>(streams.map((s) => [s, []]));
  const originals = streams.map((s) => [s, s.write] as const);
  for (const [stream, text] of written) stream.write = ((s: string | Uint8Array) => (text.push(String(s)), true)) as typeof stream.write;
  try {
    const code = await main(args);
    return { code, stderr: written.get(process.stderr)?.join('') ?? '', stdout: written.get(process.stdout)?.join('') ?? '' };
  } finally {
    for (const [stream, write] of originals) stream.write = write;
  }
}

/** The exit code and what was written to stderr. */
export async function runCli(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await run(args, [process.stderr]);
  return { code, stderr };
}

/** The exit code and what was written to stderr and to stdout. */
export function runCliOutput(args: readonly string[]): Promise<Written> {
  return run(args, [process.stderr, process.stdout]);
}
