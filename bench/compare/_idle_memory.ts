/**
 * Workload 7, memory of idle processes: `n` idle GenServers are started (a
 * number state, no message ever), the heap is collected before and after,
 * and the deltas are divided by `n`: JS heap used, external memory (where
 * WebAssembly memory and array buffers live) and RSS. Run in a fresh process
 * per side (bench/compare/main.ts does), so neither side's garbage or freed
 * pages count for the other.
 *
 * @module
 */

import process from "node:process";
import { ok, type Pid, reply, System } from "../../mod.ts";
import { type Actor, BaselineSystem } from "./_baseline.ts";

/** Bytes per idle process. */
export interface IdleMemory {
  n: number;
  heapBytes: number;
  externalBytes: number;
  rssBytes: number;
  /** Whether a full GC could be forced (else the numbers include garbage). */
  gc: boolean;
}

function collect(): boolean {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (g.Bun) g.Bun.gc(true);
  else if (g.gc) {
    g.gc();
    g.gc();
  } else return false;
  return true;
}

function snapshot() {
  const m = process.memoryUsage();
  // Bun's heapUsed includes ArrayBuffer and WebAssembly memory, which V8's
  // reports apart as external: subtract it so that "heap" means the same
  // JavaScript objects on every runtime.
  const heap = "Bun" in globalThis ? m.heapUsed - m.external : m.heapUsed;
  return { heap, external: m.external, rss: m.rss };
}

/** Starts `n` idle processes of `side` and measures what they take. */
export async function idleMemory(side: "beamlet" | "baseline", n: number): Promise<IdleMemory> {
  const gc = collect();
  const before = snapshot();
  const keep: (Pid | Actor<number>)[] = [];
  // The system stays reachable until the end: its processes are what is measured.
  let system: System | BaselineSystem;
  if (side === "beamlet") {
    const beamlet = system = new System({ logger: null });
    const server = {
      init: () => ok(0),
      handleCall: (_r: "get", _from: unknown, state: number) => reply(state, state),
    };
    for (let i = 0; i < n; i += 1000) {
      const chunk = [];
      for (let j = i; j < Math.min(n, i + 1000); j++) chunk.push(beamlet.start(server));
      keep.push(...await Promise.all(chunk));
    }
  } else {
    const baseline = system = new BaselineSystem();
    const spec = {
      init: () => 0,
      handleCall: (_r: unknown, _f: unknown, a: Actor<number>) => a.state,
    };
    for (let i = 0; i < n; i++) keep.push(baseline.spawn(spec));
  }
  collect();
  const after = snapshot();
  const alive = system instanceof System ? system.processes().length : system.actors.size;
  if (keep.length !== n || alive !== n) {
    throw new Error(`started ${keep.length} of ${n}, ${alive} alive`);
  }
  return {
    n,
    heapBytes: (after.heap - before.heap) / n,
    externalBytes: (after.external - before.external) / n,
    rssBytes: (after.rss - before.rss) / n,
    gc,
  };
}
