/**
 * Runs one containment property in this process and prints its verdict
 * (private: not a test file). `checkContainment` starts it under `bun test`:
 * `bun <this file> <entry point name>`.
 *
 * @module
 */

import process from "node:process";
import { ENTRY_POINTS } from "./_entry_points.ts";
import { checkHere, VERDICT } from "./_property.ts";

const name = process.argv[2];
const entry = ENTRY_POINTS.find((e) => e.name === name);
let verdict: { ok: boolean; message: string };
if (entry === undefined) {
  verdict = { ok: false, message: `no containment entry point is named ${JSON.stringify(name)}` };
} else {
  try {
    await checkHere(entry);
    verdict = { ok: true, message: "" };
  } catch (error) {
    let message: string;
    try {
      message = error instanceof Error ? error.message : String(error);
    } catch {
      message = "the property failed with an error that cannot be printed";
    }
    verdict = { ok: false, message };
  }
}
process.stdout.write(`${VERDICT} ${JSON.stringify(verdict)}\n`);
process.exit(0);
