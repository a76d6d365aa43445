/**
 * The callbacks behind a producer stage definition (internal): the
 * pipeline runs its producer's callbacks inside its own producer stage
 * (rate limit, partition keys, labels, counting), as Broadway's
 * ProducerStage runs the producer module. Any producer definition made by
 * `defineStage` (MemoryProducer's and JetStreamProducer's among them) carries
 * its callbacks, read back here.
 *
 * @module
 */

import type { ProducerCallbacks } from "../stages/callbacks.ts";
import { defineStage, type StageDefinition } from "../stages/define_stage.ts";
import { stageCallbacksOf } from "../stages/_definition_callbacks.ts";

/** A producer's callbacks, loosely typed. */
// deno-lint-ignore no-explicit-any
export type AnyProducerCallbacks = ProducerCallbacks<any, any, any>;

/** Callbacks known to emit only well-formed messages (their own, fresh arrays of them). */
const wellFormed = new WeakSet<object>();

/**
 * Marks `callbacks` as emitting only messages made by `createMessage` (or
 * its literal), in arrays of their own: the pipeline's producer then hands
 * their events on without checking each one. MemoryProducer's are.
 */
export function markWellFormed(callbacks: AnyProducerCallbacks): void {
  wellFormed.add(callbacks);
}

/** Whether `callbacks` were marked by {@linkcode markWellFormed}. */
export function emitsWellFormed(callbacks: AnyProducerCallbacks): boolean {
  return wellFormed.has(callbacks);
}

/** `defineStage(callbacks)`: a producer stage a pipeline can run as its source (kept for its users). */
export function definePipelineProducer<A>(callbacks: AnyProducerCallbacks): StageDefinition<A> {
  return defineStage(callbacks) as StageDefinition<A>;
}

/** The callbacks of a producer definition, or `undefined` if they cannot be found. */
export function producerCallbacksOf(definition: unknown): AnyProducerCallbacks | undefined {
  if (typeof definition !== "object" || definition === null) return undefined;
  const found = stageCallbacksOf(definition);
  if (found !== undefined) {
    return found.type === "producer" ? found as AnyProducerCallbacks : undefined;
  }
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
