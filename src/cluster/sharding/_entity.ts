/**
 * The GenServer a sharded entity really runs (internal): the user's
 * callbacks, plus two requests only its region sends — hand yourself off,
 * and passivate. Both are calls, so they are handled after every message the
 * entity already had (a cast taken before a hand-off is in the state handed
 * over), and the entity stops itself (`"normal"`) right after replying.
 *
 * @module
 */

import { type GenServer, stop } from "../../gen_server.ts";
import type { EntityInit, ShardKey } from "./options.ts";

/** "Give me your hand-off value and stop": what `handoff.begin` returned, or its error. */
export class HandoffRequest {
  constructor(readonly key: ShardKey) {}
}

/** "Stop, you are idle." */
export class PassivateRequest {}

/** The answer to a {@linkcode HandoffRequest}. */
export type HandoffAnswer = { readonly ok: true; readonly value: unknown } | {
  readonly ok: false;
  readonly error: unknown;
};

/** The entity server for `entity` (its callbacks already checked and bound). */
export function entityServer(
  entity: GenServer<unknown, EntityInit>,
  begin: (state: unknown, key: ShardKey) => unknown,
): GenServer<unknown, EntityInit> {
  const userCall = entity.handleCall;
  return {
    ...entity,
    handleCall(request, from, state, ctx) {
      if (request instanceof HandoffRequest) {
        let answer: HandoffAnswer;
        try {
          answer = { ok: true, value: begin(state, request.key) };
        } catch (error) {
          answer = { ok: false, error };
        }
        return stop("normal", state, answer);
      }
      if (request instanceof PassivateRequest) return stop("normal", state, true);
      if (userCall === undefined) {
        throw new TypeError("this sharded entity has no handleCall: it cannot be called");
      }
      return userCall(request, from, state, ctx);
    },
  };
}
