/**
 * The callbacks behind a producer stage definition (internal): the
 * pipeline runs its producer's callbacks inside its own producer stage
 * (rate limit, partition keys, labels, counting), as Broadway's
 * ProducerStage runs the producer module. A definition made by
 * {@linkcode definePipelineProducer} (MemoryProducer's) is known here.
 *
 * @module
 */

import type { ProducerCallbacks } from "../stages/callbacks.ts";
import { defineStage, type StageDefinition } from "../stages/define_stage.ts";

/** A producer's callbacks, loosely typed. */
// deno-lint-ignore no-explicit-any
export type AnyProducerCallbacks = ProducerCallbacks<any, any, any>;

const known = new WeakMap<object, AnyProducerCallbacks>();

/** `defineStage(callbacks)`, remembered so a pipeline can run the callbacks itself. */
export function definePipelineProducer<A>(callbacks: AnyProducerCallbacks): StageDefinition<A> {
  const definition = defineStage(callbacks) as StageDefinition<A>;
  known.set(definition, callbacks);
  return definition;
}

/** The callbacks of a producer definition, or `undefined` if they cannot be found. */
export function producerCallbacksOf(definition: unknown): AnyProducerCallbacks | undefined {
  if (typeof definition !== "object" || definition === null) return undefined;
  const found = known.get(definition);
  if (found !== undefined) return found;
  // Raw callbacks `{ type: "producer", init, handleDemand }` are accepted as they are.
  const raw = definition as Partial<AnyProducerCallbacks>;
  if (
    raw.type === "producer" && typeof raw.init === "function" &&
    typeof raw.handleDemand === "function"
  ) {
    return raw as AnyProducerCallbacks;
  }
  return undefined;
}
