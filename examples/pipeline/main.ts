/**
 * Runs the orders pipeline of `mod.ts` and prints every batch and ack:
 * `deno run examples/pipeline/main.ts`.
 *
 * @module
 */

import { System } from "../../mod.ts";
import { runOrders } from "./mod.ts";

const system = new System();
await runOrders(system, (line) => console.log(line));
system.shutdown();
