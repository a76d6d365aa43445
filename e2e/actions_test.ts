/**
 * The actions, the Metrics page's data and the history over real sockets
 * and real fetch: a served app with named tokens and every action enabled;
 * the dashboard login's cookie acts as its token's user; suspend, resume
 * and restart a supervisor's child from the loopback origin, each logged
 * with who asked; refused without auth (401), cross-origin (403), with
 * another method (405) or without the switch (403); /metrics/definitions,
 * /metrics/values and /overview/history answer JSON, /metrics stays text.
 */

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTelemetryApp, type TelemetryAppOptions } from "../hono.ts";
import { type Report, Supervisor, System } from "../mod.ts";
import { type RunningServer, serve } from "../examples/demo/_serve.ts";
import { noreply, ok, reply } from "../src/gen_server.ts";

const ALICE = "e2e-alice-token-0123456789";
const BOB = "e2e-bob-token-0123456789ab";

const counter = {
  init: () => ok(0),
  handleCall: (_request: unknown, _from: unknown, n: number) => reply(n, n),
  handleCast: (_message: unknown, n: number) => noreply(n + 1),
};

interface Served {
  system: System;
  base: string;
  reports: Report[];
  close(): Promise<void>;
}

async function serveNamed(options: Omit<TelemetryAppOptions, "auth" | "signal">): Promise<Served> {
  const reports: Report[] = [];
  const system = new System({ logger: { report: (r) => reports.push(r) } });
  const controller = new AbortController();
  const app = createTelemetryApp(system, {
    ...options,
    auth: { tokens: { alice: ALICE, bob: BOB } },
    signal: controller.signal,
  });
  const server: RunningServer = await serve((request, env) => app.fetch(request, env), {
    port: 0,
  });
  return {
    system,
    base: `http://${server.hostname}:${server.port}`,
    reports,
    async close() {
      controller.abort();
      await server.close();
      system.shutdown();
    },
  };
}

function actions(reports: Report[]): string[] {
  return reports.flatMap((r) => r.kind === "notice" && r.topic === "actions" ? [r.message] : []);
}

describe("actions over real sockets", () => {
  let served: Served | undefined;

  before(async () => {
    served = await serveNamed({ mutations: { kill: true, suspend: true, restart: true } });
  });

  after(async () => {
    await served?.close();
  });

  it("suspends, resumes and restarts a child, by the user of the token, logged", async () => {
    const { system, base, reports } = served!;
    const sup = await Supervisor.start(system, [{ id: "worker", start: { server: counter } }], {
      name: "workers",
    });
    const [worker] = await Supervisor.whichChildren(system, sup);
    const post = (path: string, headers: Record<string, string>) =>
      fetch(`${base}${path}`, { method: "POST", headers: { Origin: base, ...headers } });

    const suspend = await post(`/processes/${worker.pid!.serial}/suspend`, {
      Authorization: `Bearer ${ALICE}`,
    });
    assert.equal(suspend.status, 200);
    assert.deepEqual(await suspend.json(), {
      id: String(worker.pid!.serial),
      pid: String(worker.pid),
      action: "suspend",
      ok: true,
      by: "alice",
      suspended: true,
    });

    // Bob logs in to the dashboard: his cookie acts as bob.
    const login = await fetch(`${base}/dashboard?token=${BOB}`, { redirect: "manual" });
    assert.equal(login.status, 302);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const resume = await post(`/processes/${worker.pid!.serial}/resume`, { Cookie: cookie });
    assert.equal(resume.status, 200);
    assert.equal((await resume.json() as { by: string }).by, "bob");

    const restart = await post(`/processes/${sup.serial}/children/worker/restart`, {
      Authorization: `Bearer ${ALICE}`,
    });
    assert.equal(restart.status, 200);
    const body = await restart.json() as { previousPid: string; childPid: string };
    assert.equal(body.previousPid, String(worker.pid));
    assert.notEqual(body.childPid, body.previousPid);
    assert.equal(system.isAlive(worker.pid!), false);

    // A child without a registered name is shown by its child id once the tree was walked.
    const [suspended, resumed, restarted] = actions(reports);
    const who = String(worker.pid).replace(/[.<>]/g, (c) => `\\${c}`);
    assert.match(
      suspended,
      new RegExp(`^alice suspended ${who}( \\(worker\\))? from the telemetry app$`),
    );
    assert.match(
      resumed,
      new RegExp(`^bob resumed ${who}( \\(worker\\))? from the telemetry app$`),
    );
    assert.equal(
      restarted,
      `alice restarted child "worker" of ${sup} (workers) from the telemetry app`,
    );
  });

  it("refuses without auth, cross-origin, and with another method; logs nothing", async () => {
    const { system, base, reports } = served!;
    const before = actions(reports).length;
    const pid = (await system.start(counter))!;
    const path = `${base}/processes/${pid.serial}/suspend`;
    const anonymous = await fetch(path, { method: "POST", headers: { Origin: base } });
    assert.equal(anonymous.status, 401);
    assert.deepEqual(await anonymous.json(), { error: "unauthorized" });
    const cross = await fetch(path, {
      method: "POST",
      headers: { Origin: "https://evil.example", Authorization: `Bearer ${ALICE}` },
    });
    assert.equal(cross.status, 403);
    assert.deepEqual(await cross.json(), { error: "cross-origin request" });
    const get = await fetch(path, { headers: { Authorization: `Bearer ${ALICE}` } });
    assert.equal(get.status, 405);
    await get.body?.cancel();
    assert.notEqual(system.processSummary(pid)?.status, "suspended");
    assert.equal(actions(reports).length, before);
  });
});

describe("actions without their switch, over real sockets", () => {
  it("answers 403 mutation disabled", async () => {
    const served = await serveNamed({});
    try {
      const pid = (await served.system.start(counter))!;
      for (const action of ["kill", "suspend", "resume"]) {
        const response = await fetch(`${served.base}/processes/${pid.serial}/${action}`, {
          method: "POST",
          headers: { Origin: served.base, Authorization: `Bearer ${ALICE}` },
        });
        assert.equal(response.status, 403, action);
        assert.deepEqual(await response.json(), { error: "mutation disabled" });
      }
      assert.equal(served.system.isAlive(pid), true);
    } finally {
      await served.close();
    }
  });
});

describe("the Metrics page's data and the history, over real sockets", () => {
  it("answers definitions, values and history as JSON; /metrics stays Prometheus text", async () => {
    const served = await serveNamed({});
    try {
      const headers = { Authorization: `Bearer ${BOB}` };
      const pid = (await served.system.start(counter, undefined, { name: "counted" }))!;
      for (let i = 0; i < 5; i++) await served.system.call(pid, i);
      const definitions = await fetch(`${served.base}/metrics/definitions`, { headers });
      assert.equal(definitions.status, 200);
      const { items } = await definitions.json() as { items: { name: string }[] };
      assert.ok(items.some((item) => item.name === "beamlet.call.stop.duration"));
      const values = await fetch(
        `${served.base}/metrics/values?name=beamlet.call.stop.duration`,
        { headers },
      );
      assert.equal(values.status, 200);
      const { series } = await values.json() as {
        series: { tags: { name: string }; count: number }[];
      };
      assert.deepEqual(series.map((s) => [s.tags.name, s.count]), [["counted", 5]]);
      const unknown = await fetch(`${served.base}/metrics/values?name=nope`, { headers });
      assert.equal(unknown.status, 404);
      assert.deepEqual(await unknown.json(), { error: 'unknown metric "nope"' });
      const history = await fetch(`${served.base}/overview/history`, { headers });
      assert.equal(history.status, 200);
      const { interval, points } = await history.json() as { interval: number; points: unknown[] };
      assert.equal(interval, 1000);
      assert.ok(points.length >= 1);
      const text = await fetch(`${served.base}/metrics`, { headers });
      assert.match(text.headers.get("content-type") ?? "", /^text\/plain/);
      assert.match(await text.text(), /# TYPE beamlet_call_stop_duration_seconds histogram/);
    } finally {
      await served.close();
    }
  });
});
