/**
 * Connects once to the Unix socket given as the argument and prints how it went, as one JSON
 * line: the connection tests run it as another user, since root may connect to any socket.
 */
import { QmpClient } from '../../runtime/index.js';

try {
  const client = await QmpClient.connect({ path: process.argv[2]! }, { connectTimeout: 5000 });
  await client.close();
  console.log(JSON.stringify({ connected: true }));
} catch (error) {
  const e = error as Error & { code?: unknown; target?: unknown };
  console.log(JSON.stringify({ name: e.name, code: e.code, target: e.target, message: e.message, cause: (e.cause as Error | undefined)?.message }));
}
