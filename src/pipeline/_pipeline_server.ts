/**
 * A pipeline's top process (internal): a supervisor (rest_for_one) whose
 * `init` first makes the pipeline's shared record and lists it in the
 * system's pipeline directory, then starts the topology. Being a
 * supervisor, it can be a child of any supervision tree.
 *
 * @module
 */

import type { GenServer } from "../gen_server.ts";
import { stop } from "../gen_server.ts";
import { type SupervisorArg, supervisorServer } from "../supervisor/_server.ts";
import { checkChildren, checkOptions } from "../supervisor/_config.ts";
import type { PipelineConfig } from "./_config.ts";
import { PipelineRuntime } from "./_pipeline_runtime.ts";
import { pipelineDirectoryOf } from "./_pipeline_directory.ts";
import { pipelineChildren } from "./_topology.ts";
import { PipelineExistsError } from "./errors.ts";

// deno-lint-ignore no-explicit-any
type AnyServer = GenServer<any, any, any, any>;

/** The pipeline's top supervisor, started with its checked settings. */
export const pipelineServer: GenServer<unknown, PipelineConfig> = {
  ...(supervisorServer as AnyServer),
  init(config, ctx) {
    const system = ctx.system;
    const directory = pipelineDirectoryOf(system);
    const rt = new PipelineRuntime(system, config);
    if (!directory.add(rt)) return stop(new PipelineExistsError(config.name));
    rt.supervisor = ctx.self;
    system.monitor(ctx.self, () => {
      rt.state = "stopped";
      directory.remove(rt);
    });
    const where = `pipeline ${config.name}`;
    const arg: SupervisorArg = {
      config: checkOptions({ strategy: "rest_for_one" }, where, false),
      specs: checkChildren(pipelineChildren(rt), where),
    };
    return supervisorServer.init(arg, ctx);
  },
};
