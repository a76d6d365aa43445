/**
 * The callbacks behind each definition `defineStage` made (internal), so
 * code that runs a stage's callbacks inside a stage of its own — a
 * pipeline running any producer stage as its source — can read them back
 * from the definition. Kept in a WeakMap rather than on the definition: the
 * definition's own properties stay those of a GenServer definition, and a
 * spread of it copies nothing unexpected.
 *
 * @module
 */

import type { AnyStageCallbacks } from "./callbacks.ts";

const callbacksByDefinition = new WeakMap<object, AnyStageCallbacks>();

/** Records that `definition` was made from `callbacks`. */
export function rememberStageCallbacks(definition: object, callbacks: AnyStageCallbacks): void {
  callbacksByDefinition.set(definition, callbacks);
}

/** The callbacks `definition` was made from by `defineStage`, or `undefined`. */
export function stageCallbacksOf(definition: unknown): AnyStageCallbacks | undefined {
  if (typeof definition !== "object" || definition === null) return undefined;
  return callbacksByDefinition.get(definition);
}
