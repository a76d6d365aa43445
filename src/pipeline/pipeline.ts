/**
 * `Pipeline`: start a pipeline, stop it gracefully, read its numbers.
 *
 * @module
 */

import { ExitError } from "../errors.ts";
import type { Pid } from "../pid.ts";
import type { System } from "../system.ts";
import type { ChildSpec } from "../supervisor/child_spec.ts";
import { unwrapStartError } from "../supervisor/supervisor.ts";
import type { PipelineOptions } from "./options.ts";
import type { PipelineInfo } from "./pipeline_info.ts";
import { PipelineError, PipelineExistsError } from "./errors.ts";
import { pipelineConfigOf } from "./_config.ts";
import { existingPipelineDirectory, type PipelineRecord } from "./_pipeline_directory.ts";
import { pipelineServer } from "./_pipeline_server.ts";
import { supervisorName } from "./_names.ts";
import { describeValue } from "../_inspect.ts";

/**
 * A running pipeline: a producer stage, processors running
 * `handleMessage`, optional batchers and batch processors running
 * `handleBatch`, every message acked once — all under one supervisor.
 * See the module documentation of `@beamlet/beamlet/pipeline` for the
 * guarantees.
 *
 * @example Start, push, stop
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { MemoryProducer, Pipeline, putData } from "@beamlet/beamlet/pipeline";
 *
 * const source = new MemoryProducer<string>();
 * const system = new System();
 * const pipeline = await Pipeline.start(system, {
 *   name: "shout",
 *   producer: { stage: source.stage() },
 *   processors: { default: { concurrency: 2 } },
 *   handleMessage: (_processor, m) => putData(m, m.data.toUpperCase()),
 * });
 * source.push("a", "b");
 * await pipeline.stop();
 * console.log(source.acked().map((m) => m.data)); // ["A", "B"] (in some order)
 * ```
 */
export class Pipeline {
  /** The system it runs in. */
  readonly system: System;
  /** Its name. */
  readonly name: string;
  #last: PipelineRecord | undefined;

  private constructor(system: System, name: string) {
    this.system = system;
    this.name = name;
    this.#last = existingPipelineDirectory(system)?.get(name);
  }

  /** The running pipeline's record, else the last one this handle saw. */
  #record(): PipelineRecord | undefined {
    const current = existingPipelineDirectory(this.system)?.get(this.name);
    if (current !== undefined) this.#last = current;
    return this.#last;
  }

  /**
   * Starts a pipeline and resolves once every stage runs. Rejects with a
   * `TypeError` / `RangeError` for bad options, a
   * {@linkcode PipelineExistsError} when the name is taken, or the error a
   * stage's start failed with.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { MemoryProducer, Pipeline } from "@beamlet/beamlet/pipeline";
   *
   * const system = new System();
   * const pipeline = await Pipeline.start(system, {
   *   name: "noop",
   *   producer: { stage: new MemoryProducer<number>().stage() },
   *   processors: { default: {} },
   *   handleMessage: (_processor, m) => m,
   * });
   * console.log(pipeline.stats().state); // "running"
   * await pipeline.stop();
   * ```
   */
  static async start<D, P = D>(
    system: System,
    options: PipelineOptions<D, P>,
  ): Promise<Pipeline> {
    if (typeof system !== "object" || system === null || typeof system.start !== "function") {
      throw new TypeError(`Pipeline.start: system must be a System, got ${describeValue(system)}`);
    }
    const config = pipelineConfigOf(options);
    if (existingPipelineDirectory(system)?.get(config.name) !== undefined) {
      throw new PipelineExistsError(config.name);
    }
    try {
      await system.start(pipelineServer, config, { name: supervisorName(config.name) });
    } catch (error) {
      const unwrapped = unwrapStartError(error);
      if (unwrapped instanceof ExitError && unwrapped.reason instanceof PipelineError) {
        throw unwrapped.reason;
      }
      throw unwrapped;
    }
    return new Pipeline(system, config.name);
  }

  /**
   * A child spec that runs the pipeline under your own supervisor (type
   * `"supervisor"`, id the pipeline's name unless `overrides` says
   * otherwise). Checks the options at once, as `start` would; get the
   * running pipeline with {@linkcode Pipeline.lookup}. Stopping the tree
   * (or `Supervisor.terminateChild`) drains it; `pipeline.stop()` on a
   * `permanent` child makes its supervisor start it again, as OTP's would.
   *
   * @example A pipeline in an application's tree
   * ```ts
   * import { Supervisor, System } from "@beamlet/beamlet";
   * import { MemoryProducer, Pipeline } from "@beamlet/beamlet/pipeline";
   *
   * const source = new MemoryProducer<number>();
   * const system = new System();
   * const app = await Supervisor.start(system, [
   *   Pipeline.childSpec({
   *     name: "numbers",
   *     producer: { stage: source.stage() },
   *     processors: { default: {} },
   *     handleMessage: (_processor, m) => m,
   *   }),
   * ]);
   * source.push(1, 2, 3);
   * await system.stop(app); // the pipeline drains first
   * console.log(source.ackedCount); // 3
   * ```
   */
  static childSpec<D, P = D>(
    options: PipelineOptions<D, P>,
    overrides: Partial<Omit<ChildSpec, "start">> = {},
  ): ChildSpec {
    const config = pipelineConfigOf(options);
    return {
      id: config.name,
      type: "supervisor",
      shutdown: "infinity",
      ...overrides,
      start: {
        server: pipelineServer,
        arg: config,
        options: { name: supervisorName(config.name) },
      },
    };
  }

  /**
   * The running pipeline named `name` in `system`, if any.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Pipeline } from "@beamlet/beamlet/pipeline";
   *
   * console.log(Pipeline.lookup(new System(), "orders")); // undefined
   * ```
   */
  static lookup(system: System, name: string): Pipeline | undefined {
    return existingPipelineDirectory(system)?.get(name) === undefined
      ? undefined
      : new Pipeline(system, name);
  }

  /**
   * Every running pipeline of `system`, as the observer sees them.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { Pipeline } from "@beamlet/beamlet/pipeline";
   *
   * for (const p of Pipeline.list(new System())) console.log(p.name, p.acked);
   * ```
   */
  static list(system: System): readonly PipelineInfo[] {
    return existingPipelineDirectory(system)?.list() ?? [];
  }

  /** Its top supervisor, while it runs. */
  get pid(): Pid | undefined {
    return existingPipelineDirectory(this.system)?.get(this.name)?.info().supervisor;
  }

  /**
   * Its numbers now: state, acked and failed (since it started), in
   * flight, batches handed out. Once stopped, its last numbers, with state
   * `"stopped"`.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { MemoryProducer, Pipeline } from "@beamlet/beamlet/pipeline";
   *
   * const system = new System();
   * const pipeline = await Pipeline.start(system, {
   *   name: "stats",
   *   producer: { stage: new MemoryProducer<number>().stage() },
   *   processors: { default: {} },
   *   handleMessage: (_processor, m) => m,
   * });
   * const { acked, failed, inFlight } = pipeline.stats();
   * await pipeline.stop();
   * ```
   */
  stats(): PipelineInfo {
    const info = this.#record()!.info();
    return this.system.isAlive(info.supervisor) ? info : { ...info, state: "stopped" };
  }

  /**
   * Stops the pipeline gracefully: its producers stop pulling (their
   * `prepareForDraining`), in-flight messages finish, batchers hand out
   * what they hold (trigger `"drain"`), everything taken is acked — then
   * its supervisor stops. Waits at most `shutdownTimeout` ms for the drain
   * (then kills what is left). Resolves at once if it is not running.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { MemoryProducer, Pipeline } from "@beamlet/beamlet/pipeline";
   *
   * const source = new MemoryProducer<number>();
   * const system = new System();
   * const pipeline = await Pipeline.start(system, {
   *   name: "drain",
   *   producer: { stage: source.stage() },
   *   processors: { default: {} },
   *   handleMessage: async (_processor, m) => m,
   * });
   * source.push(1, 2, 3);
   * await pipeline.stop();
   * console.log(source.ackedCount + source.queued); // 3: acked, or never taken
   * ```
   */
  async stop(): Promise<void> {
    const pid = this.pid;
    if (pid === undefined || !this.system.isAlive(pid)) return;
    try {
      await this.system.stop(pid, "shutdown");
    } catch (error) {
      if (this.system.isAlive(pid)) throw error;
    }
  }
}
