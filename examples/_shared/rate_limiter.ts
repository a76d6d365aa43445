/**
 * The rate limiter the Deno and Node examples both run — the same program
 * on two runtimes; only how each serves HTTP differs (their `main.ts`).
 *
 * @module
 */

import { defineName, type From, noreply, ok, reply, Supervisor, type System } from "../../mod.ts";

/** Requests each client has made in the current window. */
interface Limits {
  readonly perClient: number;
  readonly used: ReadonlyMap<string, number>;
}

/** A fixed-window rate limiter: `take` answers whether a client may go on. */
const rateLimiter = {
  init: (perClient: number) => ok<Limits>({ perClient, used: new Map() }),
  handleCall: (request: { take: string }, _from: From<boolean>, limits: Limits) => {
    if (request.take === "") throw new TypeError("take: a client id is required");
    const used = limits.used.get(request.take) ?? 0;
    if (used >= limits.perClient) return reply(false, limits);
    return reply(true, { ...limits, used: new Map(limits.used).set(request.take, used + 1) });
  },
  handleCast: (_request: "refill", limits: Limits) => noreply({ ...limits, used: new Map() }),
};
const LIMITER = defineName<typeof rateLimiter>("rate_limiter");

/**
 * Starts the limiter under a supervisor (2 requests per client), calls and
 * casts to it, crashes it with a bad request and uses the fresh one its
 * supervisor started, printing each step.
 *
 * @example
 * ```ts
 * import { System } from "../../mod.ts";
 * import { rateLimiterTour } from "./rate_limiter.ts";
 *
 * const system = new System();
 * await rateLimiterTour(system);
 * await system.stopAll();
 * ```
 */
export async function rateLimiterTour(system: System): Promise<void> {
  const supervisor = await Supervisor.start(system, [
    { id: "rate_limiter", start: { server: rateLimiter, arg: 2, options: { name: LIMITER } } },
  ], { strategy: "one_for_one" });

  // Typed: `take` needs { take: string } and answers a boolean; a cast takes only "refill".
  const answers: boolean[] = [];
  for (let i = 0; i < 3; i++) answers.push(await system.call(LIMITER, { take: "alice" }));
  console.log(`alice: ${answers.join(", ")}`); // true, true, false
  system.cast(LIMITER, "refill");
  console.log(`alice after refill: ${await system.call(LIMITER, { take: "alice" })}`); // true

  // A bad request crashes the limiter; its supervisor starts a fresh one.
  const [before] = await Supervisor.whichChildren(system, supervisor);
  await system.call(LIMITER, { take: "" }).catch((error) => console.log(`call failed: ${error}`));
  const [after] = await Supervisor.whichChildren(system, supervisor);
  console.log(`restarted: ${before.pid} -> ${after.pid}`);
  console.log(`bob: ${await system.call(LIMITER, { take: "bob" })}`); // true
}
