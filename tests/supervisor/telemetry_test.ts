/** Supervisors emit child start / exit / restart and intensity-exceeded telemetry, and report through the system logger. */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Report, System } from "../../mod.ts";
import { Supervisor } from "../../src/supervisor/supervisor.ts";
import { crash, spec } from "./_fixtures.ts";

describe("supervisor telemetry", () => {
  it("child start, exit, restart, then intensity exceeded", async () => {
    const reports: Report[] = [];
    const system = new System({ logger: { report: (r) => void reports.push(r) } });
    const events: string[] = [];
    const child = ["beamlet", "supervisor", "child"];
    system.telemetry.attachMany(
      "test",
      [
        [...child, "start"],
        [...child, "exit"],
        [...child, "restart"],
        [...child, "restart_failed"],
        ["beamlet", "supervisor", "intensity_exceeded"],
      ],
      (event, measurements, metadata) => {
        assert.equal(measurements.count, 1);
        events.push(`${event.join(".")} ${String(metadata.childId)}`);
      },
    );
    const log: string[] = [];
    const sup = await Supervisor.start(system, [spec("a", log)], { intensity: 1, period: 60_000 });
    const [first] = await Supervisor.whichChildren(system, sup);
    await crash(system, first.pid);
    for (let i = 0; i < 100 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 1));
    const [second] = await Supervisor.whichChildren(system, sup);
    assert.notEqual(second.pid, first.pid);
    const exited = system.whenExited(sup);
    await crash(system, second.pid);
    assert.equal(await exited, "shutdown");
    assert.deepEqual(events, [
      "beamlet.supervisor.child.start a",
      "beamlet.supervisor.child.exit a",
      "beamlet.supervisor.child.restart a",
      "beamlet.supervisor.child.start a",
      "beamlet.supervisor.child.exit a",
      "beamlet.supervisor.intensity_exceeded a",
    ]);
    const supervisorReports = reports.filter((r) => r.kind === "supervisor");
    assert.deepEqual(supervisorReports.map((r) => r.kind === "supervisor" && r.event), [
      "restart",
      "give_up",
    ]);
    system.shutdown();
  });
});
