/**
 * The actions besides kill: suspend / resume (`mutations.suspend`) and
 * restart a supervisor's child (`mutations.restart`). Each answers POST
 * only, behind auth, the switch and the origin check; answers `{ id, pid,
 * action, ok: true, by }`; 404 for a dead or unknown process (or child),
 * 409 for a process that cannot do it; and logs what was carried out,
 * with who asked, through the system logger (topic "actions") — refused
 * requests log nothing.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type GenServer, ok } from "../../../src/gen_server.ts";
import type { Report } from "../../../src/logger.ts";
import { DynamicSupervisor } from "../../../src/supervisor/dynamic_supervisor.ts";
import { Supervisor } from "../../../src/supervisor/supervisor.ts";
import { System } from "../../../src/system.ts";
import { echo, type Fixture, fixture, type FixtureOptions, json } from "../_fixtures.ts";

const SAME_ORIGIN = { Origin: "http://localhost" } as const;

/** A fixture over a system whose reports are kept. */
function logged(options: FixtureOptions): { f: Fixture; reports: Report[] } {
  const reports: Report[] = [];
  const system = new System({ logger: { report: (r) => reports.push(r) } });
  return { f: fixture(options, system), reports };
}

/** The notices of topic "actions". */
function actions(reports: Report[]): string[] {
  return reports.flatMap((r) => r.kind === "notice" && r.topic === "actions" ? [r.message] : []);
}

function post(f: Fixture, path: string, headers: Record<string, string> = SAME_ORIGIN) {
  return f.get(path, { method: "POST", headers });
}

const ALL = { kill: true, suspend: true, restart: true } as const;

describe("POST /processes/:id/suspend and /resume", () => {
  it("suspends and resumes, answers who did it, and logs both", async () => {
    const { f, reports } = logged({ mutations: { suspend: true } });
    try {
      const pid = (await f.system.start(echo, undefined, { name: "counter" }))!;
      const suspended = await post(f, `/processes/${pid.serial}/suspend`);
      assert.equal(suspended.status, 200);
      assert.equal(suspended.headers.get("cache-control"), "no-store");
      assert.deepEqual(await json(suspended), {
        id: String(pid.serial),
        pid: String(pid),
        action: "suspend",
        ok: true,
        by: "token",
        suspended: true,
      });
      f.system.cast(pid, "one");
      await f.system.runUntilIdle();
      assert.equal(f.system.processSummary(pid)?.status, "suspended");
      const resumed = await post(f, `/processes/${pid.serial}/resume`);
      assert.equal(resumed.status, 200);
      assert.deepEqual(await json(resumed), {
        id: String(pid.serial),
        pid: String(pid),
        action: "resume",
        ok: true,
        by: "token",
        suspended: false,
      });
      assert.notEqual(f.system.processSummary(pid)?.status, "suspended");
      assert.deepEqual(actions(reports), [
        `token suspended ${pid} (counter) from the telemetry app`,
        `token resumed ${pid} (counter) from the telemetry app`,
      ]);
    } finally {
      f.close();
    }
  });

  it("is idempotent: suspending twice or resuming a running process answers ok", async () => {
    const f = fixture({ mutations: { suspend: true } });
    try {
      const pid = (await f.system.start(echo))!;
      assert.equal((await post(f, `/processes/${pid.serial}/resume`)).status, 200);
      assert.equal((await post(f, `/processes/${pid.serial}/suspend`)).status, 200);
      assert.equal((await post(f, `/processes/${pid.serial}/suspend`)).status, 200);
      assert.equal((await post(f, `/processes/${pid.serial}/resume`)).status, 200);
    } finally {
      f.close();
    }
  });

  it("answers 404 JSON for a dead or unknown process and 400 for a malformed id, logging nothing", async () => {
    const { f, reports } = logged({ mutations: { suspend: true } });
    try {
      const pid = (await f.system.start(echo))!;
      await f.system.stop(pid);
      for (const action of ["suspend", "resume"]) {
        const dead = await post(f, `/processes/${pid.serial}/${action}`);
        assert.equal(dead.status, 404, action);
        assert.deepEqual(await json(dead), { error: "no such process" });
        assert.equal((await post(f, `/processes/999999/${action}`)).status, 404);
        assert.equal((await post(f, `/processes/x/${action}`)).status, 400);
      }
      assert.deepEqual(actions(reports), []);
    } finally {
      f.close();
    }
  });
});

describe("POST /processes/:id/children/:childId/restart", () => {
  async function tree(f: Fixture) {
    return await Supervisor.start(f.system, [
      { id: "worker", start: { server: echo } },
      { id: "temp", start: { server: echo }, restart: "temporary" },
    ], { name: "root" });
  }

  it("stops the child and starts it again: a new pid, the answer and the log say so", async () => {
    const { f, reports } = logged({ mutations: { restart: true } });
    try {
      const sup = await tree(f);
      const [before] = await Supervisor.whichChildren(f.system, sup);
      const response = await post(f, `/processes/${sup.serial}/children/worker/restart`);
      assert.equal(response.status, 200);
      const body = await json(response);
      const [after] = await Supervisor.whichChildren(f.system, sup);
      assert.notEqual(String(after.pid), String(before.pid));
      assert.equal(f.system.isAlive(before.pid!), false);
      assert.deepEqual(body, {
        id: String(sup.serial),
        pid: String(sup),
        action: "restart",
        ok: true,
        by: "token",
        child: "worker",
        previousPid: String(before.pid),
        childPid: String(after.pid),
      });
      assert.deepEqual(actions(reports), [
        `token restarted child "worker" of ${sup} (root) from the telemetry app`,
      ]);
    } finally {
      f.close();
    }
  });

  it("decodes the child id from the path", async () => {
    const f = fixture({ mutations: { restart: true } });
    try {
      const sup = await Supervisor.start(f.system, [
        { id: "partition 0/é", start: { server: echo } },
      ]);
      const path = `/processes/${sup.serial}/children/${
        encodeURIComponent("partition 0/é")
      }/restart`;
      const response = await post(f, path);
      assert.equal(response.status, 200);
      assert.equal((await json(response)).child, "partition 0/é");
    } finally {
      f.close();
    }
  });

  it("answers 404 for an unknown child or supervisor, 409 for what cannot be restarted", async () => {
    const { f, reports } = logged({ mutations: { restart: true } });
    try {
      const sup = await tree(f);
      const worker = (await f.system.start(echo))!;
      const dynamic = await DynamicSupervisor.start(f.system);
      const cases: [string, number, string][] = [
        [`/processes/${sup.serial}/children/nope/restart`, 404, "unknown child"],
        [`/processes/999999/children/worker/restart`, 404, "no such process"],
        [
          `/processes/${sup.serial}/children/temp/restart`,
          409,
          "a temporary child is never restarted",
        ],
        [`/processes/${worker.serial}/children/worker/restart`, 409, "not a supervisor"],
      ];
      for (const [path, status, error] of cases) {
        const response = await post(f, path);
        assert.equal(response.status, status, path);
        assert.deepEqual(await json(response), { error }, path);
      }
      const onDynamic = await post(f, `/processes/${dynamic.serial}/children/worker/restart`);
      assert.equal(onDynamic.status, 409);
      const long = await post(f, `/processes/${sup.serial}/children/${"x".repeat(300)}/restart`);
      assert.equal(long.status, 400);
      f.system.suspend(sup);
      const suspended = await post(f, `/processes/${sup.serial}/children/worker/restart`);
      assert.equal(suspended.status, 409);
      assert.deepEqual(await json(suspended), {
        error: "the supervisor is suspended: resume it first",
      });
      f.system.resume(sup);
      const temp = (await Supervisor.whichChildren(f.system, sup)).find((c) => c.id === "temp");
      assert.equal(f.system.isAlive(temp!.pid!), true); // a refused restart touched nothing
      await f.system.stop(sup);
      const dead = await post(f, `/processes/${sup.serial}/children/worker/restart`);
      assert.equal(dead.status, 404);
      assert.deepEqual(actions(reports), []);
    } finally {
      f.close();
    }
  });

  it("a child whose init fails on the restart: 409, stopped, and the log says so", async () => {
    const { f, reports } = logged({ mutations: { restart: true } });
    try {
      let starts = 0;
      const flaky: GenServer<number, undefined> = {
        init: () => {
          if (starts++ > 0) throw new Error("no more");
          return ok(0);
        },
      };
      const sup = await Supervisor.start(f.system, [{ id: "flaky", start: { server: flaky } }], {
        name: "once",
      });
      const response = await post(f, `/processes/${sup.serial}/children/flaky/restart`);
      assert.equal(response.status, 409);
      assert.deepEqual(await json(response), { error: "the child failed to start again" });
      const [child] = await Supervisor.whichChildren(f.system, sup);
      assert.equal(child.pid, undefined);
      assert.equal(actions(reports).length, 1);
      assert.match(
        actions(reports)[0],
        /^token stopped child "flaky" of .* \(once\) \(its restart failed/,
      );
    } finally {
      f.close();
    }
  });
});

describe("every action is refused without its switch, without auth, or cross-origin", () => {
  async function targets(f: Fixture) {
    const sup = await Supervisor.start(f.system, [{ id: "worker", start: { server: echo } }]);
    const pid = (await f.system.start(echo))!;
    return [
      `/processes/${pid.serial}/kill`,
      `/processes/${pid.serial}/suspend`,
      `/processes/${pid.serial}/resume`,
      `/processes/${sup.serial}/children/worker/restart`,
    ];
  }

  it("403 mutation disabled when its switch is off (the others on)", async () => {
    const switches = [
      { mutations: { suspend: true, restart: true } },
      { mutations: { kill: true, restart: true } },
      { mutations: { kill: true, restart: true } },
      { mutations: { kill: true, suspend: true } },
    ];
    for (let i = 0; i < switches.length; i++) {
      const { f, reports } = logged(switches[i]);
      try {
        const path = (await targets(f))[i];
        const response = await post(f, path);
        assert.equal(response.status, 403, path);
        assert.deepEqual(await json(response), { error: "mutation disabled" });
        assert.deepEqual(actions(reports), []);
      } finally {
        f.close();
      }
    }
  });

  it("401 without auth or with a wrong token, 403 cross-origin, 405 for another method", async () => {
    const { f, reports } = logged({ mutations: ALL });
    try {
      for (const path of await targets(f)) {
        const anonymous = await f.app.request(path, { method: "POST", headers: SAME_ORIGIN });
        assert.equal(anonymous.status, 401, path);
        assert.deepEqual(await json(anonymous), { error: "unauthorized" });
        const wrong = await f.app.request(path, {
          method: "POST",
          headers: { ...SAME_ORIGIN, Authorization: "Bearer wrong-token-0123456789" },
        });
        assert.equal(wrong.status, 401, path);
        const crossOrigin: Record<string, string>[] = [{ Origin: "https://evil.example" }, {}];
        for (const headers of crossOrigin) {
          const cross = await post(f, path, headers);
          assert.equal(cross.status, 403, path);
          assert.deepEqual(await json(cross), { error: "cross-origin request" });
        }
        for (const method of ["GET", "PUT", "DELETE", "OPTIONS"]) {
          const response = await f.get(path, { method, headers: SAME_ORIGIN });
          assert.equal(response.status, 405, `${method} ${path}`);
          assert.equal(response.headers.get("allow"), "POST");
        }
      }
      assert.deepEqual(actions(reports), []);
    } finally {
      f.close();
    }
  });
});
