/**
 * The entry of a scheduler's Worker (internal): loads the modules every
 * scheduler loads (their `defineBehaviour` / `defineTask` calls fill this
 * thread's registry), builds this scheduler's System over the shared
 * memory, tells the owner where its inbound ring is, and then follows the
 * owner's control messages (the other rings, a lost scheduler, shutdown).
 *
 * @module
 */

import { hostWorkerPort } from "../_host.ts";
import { System } from "../system.ts";
import type { Control, WorkerSetup } from "./_protocol.ts";
import { withSchedulerSetup } from "./_scheduler_setup.ts";
import { schedulersOf } from "./_system_schedulers.ts";
import { Schedulers, STOP_ALL_TASK } from "./_schedulers.ts";
import { defineTask } from "./define_behaviour.ts";
import { stopRoots } from "../_stop_roots.ts";

const port = await hostWorkerPort();
const setup = port.data as WorkerSetup;
try {
  for (const module of setup.modules) await import(module);
  const system = withSchedulerSetup(
    { index: setup.index, count: setup.count, memory: setup.memory, control: setup.control },
    () => new System({ ...setup.options, node: setup.node }),
  );
  await system.ready;
  defineTask(
    STOP_ALL_TASK,
    (reason: unknown, timeout: number) => stopRoots(system, reason, timeout),
  );
  const schedulers = schedulersOf(system);
  if (!(schedulers instanceof Schedulers)) throw new Error("this Worker's scheduler did not start");
  port.onMessage((data) => {
    const control = data as Control;
    switch (control.type) {
      case "rings":
        schedulers.fabric.attach(control.rings, system.core);
        return;
      case "down":
        schedulers.lostPeer(control.index, control.stopped);
        return;
      case "stopped":
        schedulers.fabric.stopped(control.index);
        return;
      case "shutdown":
        system.shutdown();
        port.close();
        return;
    }
  });
  port.post({ type: "ready", ring: schedulers.ringAddress } satisfies Control);
} catch (error) {
  port.post(
    {
      type: "failed",
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    } satisfies Control,
  );
  port.close();
}
