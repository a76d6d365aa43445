/**
 * The Cloudflare Workers example in workerd (miniflare, 127.0.0.1, no
 * account): one supervision tree per isolate shared by every request,
 * concurrent requests whose handlers await, the Hono adapter's `/health`
 * and `/metrics`, on the WebAssembly core from precompiled modules and on
 * the reference core; the oldest compatibility date it loads on; and wrong
 * modules failing with a named error.
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  bundleWorker,
  MIN_COMPATIBILITY_DATE,
  type RunningWorker,
  startWorker,
  type WorkerCore,
} from "./_workers.ts";
import { repoPath } from "./_repo.ts";

const TOKEN = "dev-token-change-me-0123456789";
const NOTICE = "cannot compile WebAssembly from bytes";
const TIMEOUT = { timeout: 300_000 }; // a safety net against a hang, not a speed check

async function json(worker: RunningWorker, path: string, init?: RequestInit): Promise<unknown> {
  const response = await worker.fetch(path, init);
  assert.equal(
    response.status,
    200,
    `${path}: ${response.status} ${await response.clone().text()}`,
  );
  return await response.json();
}

async function exercise(worker: RunningWorker, core: WorkerCore): Promise<void> {
  assert.deepEqual(await json(worker, "/"), { core });
  // 50 concurrent requests whose handler awaits, all on one process.
  const answers = await Promise.all(
    Array.from({ length: 50 }, (_, i) => json(worker, `/session/s${i % 5}`)),
  );
  const visits = (answers as { id: string; visits: number }[])
    .filter((a) => a.id === "s0").map((a) => a.visits).sort((a, b) => a - b);
  assert.deepEqual(visits, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // Still usable afterwards: sync calls, casts, a crash and its restart.
  assert.equal(await json(worker, "/count", { method: "POST" }), "ok");
  assert.equal(await json(worker, "/count"), 1);
  assert.deepEqual(await json(worker, "/crash", { method: "POST" }), {
    crashed: true,
    after: "pong",
  });
  assert.deepEqual(await json(worker, "/session/s0"), { id: "s0", visits: 11 });
  const health = await worker.fetch("/beamlet/health");
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: "ok" });
  const metrics = await worker.fetch("/beamlet/metrics", {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(metrics.status, 200);
  const text = await metrics.text();
  assert.match(text, /^beamlet_/m);
  assert.equal((await worker.fetch("/beamlet/metrics")).status, 401);
}

describe("examples/workers in workerd", TIMEOUT, () => {
  for (const core of ["wasm", "reference"] as const) {
    it(`serves concurrent requests on the ${core} core`, TIMEOUT, async () => {
      const worker = await startWorker(await bundleWorker(core), MIN_COMPATIBILITY_DATE);
      try {
        await exercise(worker, core);
        await exercise2(worker);
        // The reference core is said once, however many requests came.
        const notices = worker.output().split(NOTICE).length - 1;
        assert.equal(notices, core === "wasm" ? 0 : 1, worker.output());
      } finally {
        await worker.dispose();
      }
    });
  }

  it("loads and answers on a compatibility date before FinalizationRegistry", TIMEOUT, async () => {
    const worker = await startWorker(await bundleWorker("wasm"), "2022-01-01");
    try {
      assert.deepEqual(await json(worker, "/"), { core: "wasm" });
      assert.equal(await json(worker, "/count"), 0);
      assert.deepEqual(await json(worker, "/session/a"), { id: "a", visits: 1 });
    } finally {
      await worker.dispose();
    }
  });

  it(
    "refuses a module that is not this beamlet's scheduler with a named error",
    TIMEOUT,
    async () => {
      const wrong = readFileSync(repoPath("wasm", "histogram_store.wasm"));
      const worker = await startWorker(
        await bundleWorker("wasm", { scheduler: wrong }),
        MIN_COMPATIBILITY_DATE,
      );
      try {
        const response = await worker.fetch("/");
        assert.equal(response.status, 500);
        assert.match(
          await response.text(),
          /WasmModuleError: WasmCore: the module was built from other sources/,
        );
      } finally {
        await worker.dispose();
      }
    },
  );
});

/** The system stays usable: a second wave of concurrent requests, then one more. */
async function exercise2(worker: RunningWorker): Promise<void> {
  const answers = await Promise.all(
    Array.from({ length: 50 }, () => json(worker, "/count", { method: "POST" })),
  );
  assert.ok(answers.every((a) => a === "ok"));
  assert.equal(await json(worker, "/count"), 51);
}
