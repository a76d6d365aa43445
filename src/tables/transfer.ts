/**
 * The message a process receives when a table is handed to it.
 *
 * @module
 */

import type { Pid } from "../pid.ts";

/**
 * A table was handed to this process — by `giveAway`, or because its owner
 * exited and this process is its heir (ETS's `{'ETS-TRANSFER', Tab,
 * FromPid, HeirData}`). It arrives in `handleInfo`; from then on the
 * receiver owns the table.
 *
 * @example Inheriting a cache when its owner crashes
 * ```ts
 * import { noreply } from "@beamlet/beamlet";
 * import { TableTransferMessage } from "@beamlet/beamlet/tables";
 *
 * const handleInfo = (message: unknown, state: number) => {
 *   if (message instanceof TableTransferMessage) {
 *     console.log(`now own ${message.table.name} from ${message.from}`, message.data);
 *   }
 *   return noreply(state);
 * };
 * ```
 */
export class TableTransferMessage<T = unknown> {
  /** Always `"ETS-TRANSFER"`. */
  readonly type = "ETS-TRANSFER" as const;
  /** The table, now owned by the receiver. */
  readonly table: T;
  /** Its previous owner. */
  readonly from: Pid;
  /** The `heirData` of the table, or the `data` given to `giveAway`. */
  readonly data: unknown;

  /** Built by the table. */
  constructor(table: T, from: Pid, data: unknown) {
    this.table = table;
    this.from = from;
    this.data = data;
  }
}
