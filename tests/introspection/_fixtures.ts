/**
 * Fixtures of the introspection tests (private: not a test file).
 *
 * @module
 */

import { type GenServer, noreply, ok, reply } from "../../src/gen_server.ts";
import type { TestSystem } from "../../src/testing/test_system.ts";

/** A server that counts the casts it handles and answers calls with the count. */
export const counter: GenServer<number, undefined> = {
  init: () => ok(0),
  handleCast: (_message, n) => noreply(n + 1),
  handleCall: (_request, _from, n) => reply(n, n),
  handleInfo: (_message, n) => noreply(n),
};

/** A server that does nothing. */
export const idle: GenServer<null, unknown> = { init: () => ok(null) };

/**
 * Runs the test system until `promise` settles (a chain of calls needs
 * several rounds: each reply's continuation may issue the next call).
 */
export async function settle<T>(t: TestSystem, promise: Promise<T>): Promise<T> {
  let outcome: { value: T } | { error: unknown } | undefined;
  promise.then((value) => (outcome = { value }), (error) => (outcome = { error }));
  for (let round = 0; round < 50 && outcome === undefined; round++) {
    await t.runUntilIdle();
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  if (outcome === undefined) throw new Error("settle: still pending with the system idle");
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}

/** Whether `promise` has settled, after letting microtasks and one macrotask run. */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  return settled;
}
