/**
 * `formatState`: what inspection shows of a process's state, as a bounded
 * preview — `:sys.get_status/1` with `format_status/1`.
 *
 * @module
 */

import { formatsState } from "../_gen_server_behaviour.ts";
import type { System, Target } from "../system.ts";
import { hasState, liveProcess } from "./_live_process.ts";
import { previewBounds, renderPreview, thrownText } from "./_preview.ts";
import type { StatePreview, StatePreviewOptions } from "./state_preview.ts";

/** The text of a preview whose `formatStatus` failed: the raw state is never shown instead. */
const FAILED = "[formatStatus failed]";

/**
 * A bounded, deterministic preview of the state of the process `target`
 * names (a pid, a registered name or `{ via, key }`): the text of what its
 * `formatStatus(state)` returns, or of the state itself when it defines
 * none (see {@linkcode StatePreview} for the format and
 * {@linkcode StatePreviewOptions} for the bounds). Supervisors, stages,
 * pipelines and batchers show a summary of their own.
 *
 * `formatStatus` runs here, synchronously, on the state of the process's
 * last finished callback. When it throws — or returns a Promise, which it
 * must not — the preview says `"[formatStatus failed]"` with the error,
 * never the raw state. Whatever the state holds (cycles, Proxies, throwing
 * getters, BigInts, huge arrays) the preview never throws and never
 * exceeds `maxChars` plus one `…`. Redacting secrets is the server's job:
 * define `formatStatus`.
 *
 * Throws a {@linkcode NoProcError} when no such process is alive, a
 * `TypeError` for a target that is not a pid, a name or `{ via, key }`, and
 * a `TypeError` / `RangeError` for bad options.
 *
 * @example A server that hides its token
 * ```ts
 * import { type GenServer, ok, System } from "@beamlet/beamlet";
 * import { formatState } from "@beamlet/beamlet/introspection";
 *
 * const client: GenServer<{ token: string; sent: number }> = {
 *   init: () => ok({ token: "s3cr3t", sent: 2 }),
 *   formatStatus: (state) => ({ ...state, token: "[redacted]" }),
 * };
 * const system = new System();
 * await system.start(client, undefined, { name: "client" });
 * const preview = formatState(system, "client");
 * console.log(preview.formatted, preview.text); // true {"token":"[redacted]","sent":2}
 * system.shutdown();
 * ```
 */
export function formatState(
  system: System,
  target: Target,
  options?: StatePreviewOptions,
): StatePreview {
  const bounds = previewBounds("formatState", options);
  const process = liveProcess(system, target);
  const pid = String(process.pid);
  if (!hasState(process)) {
    return { pid, formatted: false, text: "[starting]", truncated: false, error: null };
  }
  let formatted = true;
  let shown: unknown;
  try {
    formatted = formatsState(process.behaviour);
    shown = process.behaviour.formatState(process.state);
  } catch (error) {
    return { pid, formatted: true, text: FAILED, truncated: false, error: thrownText(error) };
  }
  if (isPromise(shown)) {
    ignoreRejection(shown);
    const error = "formatStatus returned a Promise: it must return what to show";
    return { pid, formatted: true, text: FAILED, truncated: false, error };
  }
  const { text, truncated } = renderPreview(shown, bounds);
  return { pid, formatted, text, truncated, error: null };
}

/** Whether `value` is a Promise (false for a Proxy whose prototype trap throws). Never throws. */
function isPromise(value: unknown): value is Promise<unknown> {
  try {
    return value instanceof Promise;
  } catch {
    return false;
  }
}

/** Its rejection must not become an unhandled one (a species getter that throws is ignored too). */
function ignoreRejection(promise: Promise<unknown>): void {
  try {
    Promise.prototype.then.call(promise, undefined, () => {});
  } catch {
    // nothing more to do: it is not shown either way
  }
}
