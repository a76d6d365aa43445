/**
 * Runs the code lock: a visitor waits at the locked door (postponed), the
 * code is typed, the door opens and lets the visitor in, then locks itself.
 *
 * @module
 */

import { System } from "../../mod.ts";
import { codeLock, stateMachine } from "./mod.ts";

const system = new System();
const lock = await system.startBehaviour(stateMachine(codeLock), { code: "1234", openMs: 50 });
const visitor = system.call(lock, "pass");
for (const digit of "1234") system.cast(lock, digit);
console.log("visitor:", await visitor); // welcome
await new Promise((resolve) => setTimeout(resolve, 100));
console.log("state:", await system.call(lock, "state")); // locked
console.log(system.formatState(lock));
await system.stopAll();
