/** Runs `qmp-ts ARGS` in process and collects what it writes to stderr. */
import { main } from '../../cli/main.js';

export async function runCli(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const stderr: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string | Uint8Array) => (stderr.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stderr: stderr.join('') };
  } finally {
    process.stderr.write = write;
  }
}
