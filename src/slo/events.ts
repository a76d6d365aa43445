/**
 * The telemetry events an `SloMonitor` executes on `system.telemetry`,
 * under the names they had before the event catalog (`SLO_ALERT` and
 * `SLO_RESOLVE` there are the same declarations).
 *
 * Both carry measurements `{ burn_rate, value, threshold, samples }` and
 * metadata `{ slo, kind, window, state }` (`state`: the state entered).
 *
 * @module
 */

import { SLO_ALERT, SLO_RESOLVE } from "../telemetry/catalog/slo_events.ts";

/**
 * Executed once when an SLO goes from `"ok"` or `"no_data"` to `"breached"`;
 * not again while it stays breached.
 *
 * @example Paging on a breach
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { SLO_ALERT_EVENT } from "@beamlet/beamlet/slo";
 *
 * const system = new System();
 * system.telemetry.attach("pager", SLO_ALERT_EVENT, (_event, m, meta) => {
 *   console.log(`SLO ${String(meta.slo)} burning at ${m.burn_rate}x its budget`);
 * });
 * ```
 */
export const SLO_ALERT_EVENT: typeof SLO_ALERT = SLO_ALERT;

/**
 * Executed once when a breached SLO leaves `"breached"` (to `"ok"`, or to
 * `"no_data"` when its samples ran out).
 *
 * @example Clearing the page
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { SLO_RESOLVE_EVENT } from "@beamlet/beamlet/slo";
 *
 * const system = new System();
 * system.telemetry.attach("pager-resolve", SLO_RESOLVE_EVENT, (_event, _m, meta) => {
 *   console.log(`SLO ${String(meta.slo)} is ${String(meta.state)} again`);
 * });
 * ```
 */
export const SLO_RESOLVE_EVENT: typeof SLO_RESOLVE = SLO_RESOLVE;
