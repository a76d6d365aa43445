/**
 * The stages of one system (internal, read by observability): each live
 * stage by pid serial, removed by an exit hook inside its exit, so a killed
 * stage goes too.
 *
 * @module
 */

import type { System } from "../system.ts";
import { runtimeOf } from "../_runtime_access.ts";
import type { ExitHook } from "../kernel/state/ports.ts";
import type { Pid } from "../pid.ts";
import type { Stage } from "./_stage.ts";
import type { StageInfo } from "./stage_info.ts";
import { stageName } from "./_stage_name.ts";

/** The live stages of a system, as observability reads them. */
export interface StageDirectory {
  /** A snapshot of every live stage, oldest first. */
  list(): readonly StageInfo[];
}

/** The directory, with what stages themselves need. */
export class StageDirectoryImpl implements StageDirectory {
  readonly #stages = new Map<number, Stage>();

  constructor(system: System) {
    const rt = runtimeOf(system);
    const hook: ExitHook = {
      step: "stages",
      run: (_rt, process) => {
        if (this.#stages.size > 0) this.#stages.delete(process.pid.serial);
      },
    };
    rt.exitHooks.push(hook);
  }

  add(stage: Stage): void {
    this.#stages.set(stage.self.serial, stage);
  }

  /** The live stage `pid`, if it is one of this system's. */
  get(pid: Pid): Stage | undefined {
    const stage = this.#stages.get(pid.serial);
    return stage !== undefined && stage.self.node === pid.node ? stage : undefined;
  }

  list(): readonly StageInfo[] {
    return Array.from(this.#stages.values(), stageInfo);
  }
}

/** A stage's snapshot. */
export function stageInfo(stage: Stage): StageInfo {
  return {
    pid: stage.self,
    name: stageName(stage),
    type: stage.type,
    pipeline: stage.labels.pipeline,
    role: stage.labels.role,
    demand: stage.dispatcher?.demand() ?? 0,
    pendingAsk: stage.pendingAsk,
    buffered: stage.buffered,
    bufferSize: stage.buffer?.size ?? 0,
    eventsIn: stage.counters.eventsIn,
    eventsOut: stage.counters.eventsOut,
    dropped: stage.counters.dropped,
    subscribers: stage.consumers.size,
    subscriptions: stage.subscriptions,
  };
}

const directories = new WeakMap<System, StageDirectoryImpl>();

/** The stage directory of `system`, made on first use. */
export function stageDirectoryOf(system: System): StageDirectoryImpl {
  let directory = directories.get(system);
  if (directory === undefined) directories.set(system, directory = new StageDirectoryImpl(system));
  return directory;
}

/** The stage directory of `system`, if it ever had a stage. */
export function existingStageDirectory(system: System): StageDirectory | undefined {
  return directories.get(system);
}
