/**
 * The app `dashboard_detail_test.ts` drives (private: not a test file): a
 * system with the user's own metrics (a counter, a distribution and a last
 * value over `shop.*` events, tagged by region), a server whose
 * `formatStatus` redacts a secret, one whose `formatStatus` throws, one
 * with a huge cyclic raw state, a
 * supervisor with two permanent children and a temporary one, a process to
 * kill and one to suspend — served with every action and state inspection
 * enabled.
 *
 * @module
 */

import { noreply, ok, reply, stop, Supervisor, System } from "../mod.ts";
import type { Pid } from "../mod.ts";
import { beamletMetrics, counter, distribution, lastValue, Metrics } from "../metrics.ts";
import type { TelemetryAppOptions } from "../hono.ts";
import { serveApp, type ServedApp } from "./_served_app.ts";

/** The secret the vault holds, which its `formatStatus` never shows. */
export const SECRET = "hunter2-do-not-show";
/** Markup the vault's state holds, which the page must show as text. */
export const HOSTILE = "<img src=x onerror=window.__xss=1>";

/** The served app and the processes the test acts on. */
export interface DetailApp {
  readonly served: ServedApp;
  readonly metrics: Metrics;
  readonly vault: Pid;
  readonly broken: Pid;
  readonly hoard: Pid;
  readonly victim: Pid;
  readonly sleeper: Pid;
  readonly supervisor: Pid;
  /** Emits a round of `shop.*` events (eu and us). */
  emit(): void;
  /** Stops the app. */
  close(): Promise<void>;
}

/** The routes' process id of a pid: `#PID<node.12.0>` → `"12"`. */
export function routeId(pid: Pid): string {
  const match = /\.(\d+)(?:\.\d+)?>$/.exec(String(pid));
  if (!match) throw new Error(`cannot read a serial from ${String(pid)}`);
  return match[1];
}

interface VaultState {
  readonly user: string;
  readonly password: string;
  readonly note: string;
  readonly calls: number;
}

const vault = {
  init: (): ReturnType<typeof ok<VaultState>> =>
    ok({ user: "alice", password: SECRET, note: HOSTILE, calls: 0 }),
  handleCall: (_request: "ping", _from: unknown, s: VaultState) =>
    reply("pong", { ...s, calls: s.calls + 1 }),
  formatStatus: (s: VaultState) => ({ user: s.user, password: "[redacted]", note: s.note }),
};

const broken = {
  init: () => ok({ token: SECRET }),
  formatStatus: (): unknown => {
    throw new Error("cannot summarise this state");
  },
};

/** A raw state (no formatStatus) too big to show whole, and cyclic. */
const hoard = {
  init: () => {
    const state: Record<string, unknown> = {
      items: Array.from({ length: 5000 }, (_, i) => `item-${i}`),
    };
    state.self = state;
    return ok(state);
  },
};

const idle = {
  init: () => ok(0),
  handleCast: (_msg: unknown, n: number) => noreply(n + 1),
};

/** A child that starts once: its restart fails (the app answers 409). */
function fragileChild() {
  let starts = 0;
  return { init: () => (starts++ === 0 ? ok(0) : stop("cannot start twice")) };
}

/** Starts the app on a real socket with `options` over the defaults (every switch on). */
export async function startDetailApp(
  options: Omit<TelemetryAppOptions, "auth" | "signal"> = {},
): Promise<DetailApp> {
  const system = new System({ logger: null });
  const metrics = new Metrics(system, [
    ...beamletMetrics(),
    counter("shop.checkout.count", {
      tags: ["region"],
      description: "Checkouts, by region",
    }),
    distribution("shop.checkout.duration", {
      unit: "millisecond",
      tags: ["region"],
      description: "How long a checkout took",
    }),
    lastValue("shop.cart.size", { description: "Items in the last cart" }),
  ]);
  const vaultPid = await system.start(vault, undefined, { name: "vault" });
  const brokenPid = await system.start(broken, undefined, { name: "broken" });
  const hoardPid = await system.start(hoard, undefined, { name: "hoard" });
  const victim = await system.start(idle, undefined, { name: "victim" });
  const sleeper = await system.start(idle, undefined, { name: "sleeper" });
  const supervisor = await Supervisor.start(system, [
    { id: "worker_a", start: { server: idle } },
    { id: "worker_b", start: { server: idle } },
    { id: "scratch", restart: "temporary", start: { server: idle } },
    { id: "fragile", start: { server: fragileChild() } },
  ], { strategy: "one_for_one", name: "shop_sup" });
  const served = await serveApp({
    metrics,
    mutations: { kill: true, suspend: true, restart: true },
    inspection: { state: true },
    ...options,
  } as Omit<TelemetryAppOptions, "auth" | "signal">, system);
  let round = 0;
  return {
    served,
    metrics,
    vault: vaultPid,
    broken: brokenPid,
    hoard: hoardPid,
    victim,
    sleeper,
    supervisor,
    emit() {
      round++;
      system.telemetry.execute(["shop", "checkout"], { duration: 10 + (round % 7) }, {
        region: "eu",
      });
      system.telemetry.execute(["shop", "checkout"], { duration: 40 + (round % 5) }, {
        region: "eu",
      });
      system.telemetry.execute(["shop", "checkout"], { duration: 90 }, { region: "us" });
      system.telemetry.execute(["shop", "cart"], { size: 3 + (round % 4) }, {});
      system.call(vaultPid, "ping").catch(() => {});
    },
    async close() {
      await served.close();
      metrics.detach();
    },
  };
}
