/**
 * A start placed here from elsewhere (internal): from another scheduler of
 * this system or from another node of its cluster, a `defineBehaviour`
 * behaviour found by its name, linked to its parent there if asked.
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { Runtime } from "../kernel/state/runtime.ts";
import type { Behaviour } from "../kernel/state/behaviour.ts";
import { startFrom } from "../kernel/lifecycle/start.ts";
import { adoptRemoteParent } from "../kernel/lifecycle/remote_links.ts";
import { genServerBehaviour } from "../_gen_server_behaviour.ts";
import { UnknownBehaviourError } from "../errors.ts";
import { behaviourNamed } from "./define_behaviour.ts";

/**
 * Starts behaviour `name` here with `arg` and `options`; `UnknownBehaviourError`
 * (naming this scheduler, or this node when `node` is given) when this side
 * does not define it.
 */
export function spawnHere(
  rt: Runtime,
  name: string,
  arg: unknown,
  options: Record<string, unknown>,
  parent: Pid | undefined,
  link: boolean,
  node?: string,
): Promise<Pid | undefined> {
  const server = behaviourNamed(name);
  if (server === undefined) {
    return Promise.reject(
      new UnknownBehaviourError(name, rt.scheduler, node === undefined ? undefined : { node }),
    );
  }
  const serial = rt.nextSerial;
  const started = startFrom(
    rt,
    undefined,
    false,
    server,
    genServerBehaviour as (definition: unknown) => Behaviour,
    arg,
    options,
  );
  const process = rt.bySerial.get(serial);
  if (process !== undefined && link && parent !== undefined) {
    adoptRemoteParent(rt, process, parent);
  }
  return started;
}
