/**
 * FakeQemu (runtime/testing/fake-server.ts) speaking QEMU 7.2's schema, untyped, for the runtime's
 * tests of the raw QmpClient: a fresh fake per test, closed after it together with the
 * clients the test opened, and a test passes only if the fake saw nothing wrong.
 */
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { FakeQemu, type FakeQemuOptions, type FakeReceived, type FakeSchema, type UntypedCommands } from '../../runtime/index.js';
import { qmpCommandTable, qmpValidatorTable } from '../../generated/qemu-7.2/index.js';

/** QEMU 7.2's tables, for a fake whose handlers take and return plain JSON (the raw client's view). */
export const QEMU_72_SCHEMA: FakeSchema<UntypedCommands> = {
  table: qmpValidatorTable,
  commands: qmpCommandTable as unknown as FakeSchema<UntypedCommands>['commands'],
};

/** An untyped FakeQemu of QEMU 7.2, listening (on a private Unix socket unless `listen` says otherwise). */
export function startFakeQemu(options: FakeQemuOptions = {}): Promise<FakeQemu> {
  return new FakeQemu(QEMU_72_SCHEMA, options).listen();
}

/**
 * The end of a test against a fake (untyped or typed): the clients it opened close, then the
 * fake; the test passes only if the fake recorded no failure (a reply or event that broke the
 * schema, a replay mismatch).
 */
export async function endFakeTest(
  fake: { readonly failures: readonly unknown[]; close(): Promise<unknown> } | undefined,
  clients: { close(): Promise<unknown> }[],
): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  const failures = fake?.failures ?? [];
  await fake?.close();
  expect(failures).toEqual([]);
}

/**
 * A fresh FakeQemu (of `schema`, QEMU 7.2's by default) for each test of the calling file or
 * `describe` block. The test sets handlers with `fake.handle()`; after it, the clients it
 * pushed to `clients` and the fake are closed, and `fake.failures` must be empty.
 */
export function fakeQemuPerTest<C extends { close(): Promise<unknown> }>(
  options: FakeQemuOptions = {},
  schema: FakeSchema<UntypedCommands> = QEMU_72_SCHEMA,
): {
  readonly fake: FakeQemu;
  readonly clients: C[];
} {
  let current: FakeQemu | undefined;
  const clients: C[] = [];
  beforeEach(async () => {
    current = await new FakeQemu(schema, options).listen();
  });
  afterEach(async () => {
    const fake = current;
    current = undefined;
    await endFakeTest(fake, clients);
  });
  return {
    get fake(): FakeQemu {
      if (current === undefined) throw new Error('the fake exists only while a test runs');
      return current;
    },
    clients,
  };
}

/** Waits until the fake has received `count` command messages in all (negotiation included), and returns them. */
export async function receivedAtLeast(fake: FakeQemu, count: number): Promise<FakeReceived[]> {
  await vi.waitFor(() => expect(fake.received.length).toBeGreaterThanOrEqual(count), { timeout: 5000, interval: 2 });
  return fake.received;
}

/** A reply a handler holds until the test releases it. */
export function held<T>(): { readonly promise: Promise<T>; release(value: T): void } {
  let release!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (release = resolve));
  return { promise, release };
}
