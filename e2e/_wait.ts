/**
 * Polling and ports for the end-to-end tests (private: not a test file).
 *
 * @module
 */

import { createServer } from "node:net";

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thrown by {@linkcode waitFor} when the condition did not hold in time. */
export class WaitTimeoutError extends Error {
  /** Builds the error, with the last failure seen if any. */
  constructor(what: string, ms: number, last: unknown) {
    super(`timed out after ${ms} ms waiting for ${what}` + (last ? `: ${last}` : ""));
    this.name = "WaitTimeoutError";
  }
}

/**
 * Calls `probe` every `everyMs` until it returns something other than
 * `undefined` (which it resolves with); a throwing probe counts as not yet.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 30_000, everyMs = 250 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new WaitTimeoutError(what, timeoutMs, last);
    await sleep(everyMs);
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
