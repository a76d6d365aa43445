/**
 * Test Workers on every runtime (internal to the tests): a web `Worker`
 * where the host has one (Deno, Bun), else `node:worker_threads` (Node),
 * behind one small interface; and whether this host has shared memory.
 *
 * @module
 */

import { createCoreMemory } from "../../src/core/core_memory.ts";

/** Whether this host can make a shared WebAssembly memory (the Worker tests skip otherwise). */
export const sharedMemoryAvailable: boolean = (() => {
  try {
    return createCoreMemory({ shared: true, maximumPages: 1 }).buffer instanceof
      SharedArrayBuffer;
  } catch {
    return false;
  }
})();

/** A test Worker: its first message, its end, and how to talk to it. */
export interface TestWorker<R> {
  /** The first message it posts (its result), or its error. */
  readonly result: Promise<R>;
  /**
   * Settles once the Worker's thread has ended (Node's `exit` event, Bun's
   * `close`); undefined on Deno, whose Workers have no such event (and whose
   * `terminate()` takes effect only when the Worker returns to its event loop).
   */
  readonly exited: Promise<void> | undefined;
  post(job: unknown): void;
  terminate(): Promise<unknown> | void;
}

/**
 * Starts the Worker module `name` (without extension) next to `base`
 * (the caller's `import.meta.url`): `.ts` from source, `.js` in the npm
 * build, named the way the caller is.
 */
export async function startTestWorker<R>(name: string, base: string): Promise<TestWorker<R>> {
  const extension = base.endsWith(".ts") ? ".ts" : ".js";
  const url = new URL(`./${name}${extension}`, base);
  if (typeof Worker !== "undefined") {
    const worker = new Worker(url.href, { type: "module" });
    const exited = "Bun" in globalThis
      ? new Promise<void>((resolve) => worker.addEventListener("close", () => resolve()))
      : undefined;
    const result = new Promise<R>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<R>) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault?.();
        reject(new Error(`worker failed: ${event.message}`));
      };
    });
    return {
      result,
      exited,
      post: (job) => worker.postMessage(job),
      terminate: () => worker.terminate(),
    };
  }
  const { Worker: NodeWorker } = await import("node:worker_threads");
  const worker = new NodeWorker(url);
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const result = new Promise<R>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    result,
    exited,
    post: (job) => worker.postMessage(job),
    terminate: () => worker.terminate(),
  };
}
