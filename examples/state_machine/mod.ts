/**
 * A gen_statem-style behaviour on beamlet's behaviour port, and a code lock
 * built with it. Run: `deno run examples/state_machine/main.ts`.
 *
 * @module
 */

export * from "./state_machine.ts";
export * from "./code_lock.ts";
