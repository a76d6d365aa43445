/**
 * Read-heavy state outside the mailbox: ETS-style tables and persistent
 * terms.
 *
 * A GenServer's state is read one message at a time; when many processes
 * read what one process writes, that process becomes the bottleneck. A
 * {@linkcode Table} holds rows that any process reads directly — a `lookup`
 * is a hash-map read, not a `call` — while its owner keeps the lifecycle:
 * the table goes when the owner exits, or passes to its heir.
 *
 * ## Tables
 *
 * - Types: `set`, `ordered_set` (sorted by key: `range`, walks in key
 *   order), `bag`, `duplicate_bag`. Rows are arrays (tuples) keyed by the
 *   element at `keyPos`.
 * - Keys compare by value: primitives by SameValueZero, arrays, plain objects
 *   and pids structurally (`["a", 1]` and `["a", 1]` are one key). An
 *   `ordered_set` takes numbers, strings and arrays of those, ordered numbers
 *   < strings < arrays (arrays element by element, a prefix first).
 * - Access: `public`, `protected` (default: only the owner writes), `private`
 *   (only the owner reads and writes).
 * - Owner and heir: the table is deleted inside its owner's exit clean-up,
 *   unless a live `heir` is set: the heir then owns it and receives a
 *   {@linkcode TableTransferMessage} in `handleInfo` (`giveAway` does the
 *   same on purpose).
 *
 * ### Who is the caller
 *
 * JavaScript has no `self()`: the caller a table checks is the process whose
 * callback is running synchronously when the operation is made. Code outside
 * any process — and the part of an async callback that runs after an
 * `await` — acts from outside, as the host does with `system.exit`, and is not
 * checked. Async code that wants its access checked says who it is:
 * `table.as(ctx)` is the same table, with every operation checked against
 * `ctx`'s process wherever it runs.
 *
 * ## Consistency
 *
 * beamlet runs every process on one thread, so each table operation is
 * atomic with respect to every other process: `insertMany`,
 * `updateCounter` with several updates, `selectDelete` and the rest happen
 * entirely or (when they throw) not at all, and a reader never sees half of
 * a write. A row is frozen when inserted and never changed in place — an
 * update stores a new row — so a row a reader holds stays as it was read.
 * Between two operations, of course, other processes may write.
 *
 * Walks see the table as it is at each step: `first` / `next` on an
 * `ordered_set` go to the next key greater than the last one, present or
 * not, so they never lose their place; on the hash types they follow the
 * order keys first came in, and a key deleted during the walk still leads to
 * the next one (a key deleted and inserted again keeps its place). A row
 * inserted during a walk may or may not be seen; none is seen twice.
 * `select`, `match` and `toArray` read the whole table in one operation.
 *
 * ETS differs: with `read_concurrency` / `write_concurrency`, several
 * schedulers touch one table at once, and only single-object operations are
 * atomic and isolated — a `select` or `tab2list` concurrent with writes may
 * see some of them and not others (a "dirty" read), and a walk of an unfixed
 * `set` fails when its key is deleted (hence `safe_fixtable`). beamlet's
 * single-threaded tables give the stronger guarantee for free; the design
 * below keeps it per operation when schedulers multiply.
 *
 * ## Several schedulers
 *
 * When processes run on several schedulers (Workers sharing one
 * `WebAssembly.Memory`), a table lives on its owner's scheduler and the API
 * stays as it is: every operation is synchronous, takes and returns plain
 * data (frozen rows), and names the table by its value (`id` / `name`), so
 * another implementation can serve it:
 *
 * - Reads from another scheduler go to a versioned snapshot: the owner's
 *   scheduler publishes the table's rows, encoded with the binary codec of
 *   inter-scheduler messages, under a version number in shared memory; a
 *   reader decodes a snapshot once per version and serves `lookup` from its
 *   local copy, checking the version (one `Atomics.load`) per read.
 *   Readers see whole operations, never half of one, and may lag the writer
 *   by one publication — the same guarantee as ETS's concurrent reads.
 * - Writes from another scheduler (a `public` table) travel as messages to
 *   the owner's scheduler and apply there in arrival order, keeping each
 *   operation atomic; the call returns when it is applied.
 * - `select`, `selectCount` and `match` run on the reader's scheduler,
 *   against its snapshot: predicates never cross a thread, patterns are
 *   data. A table object itself stays on its scheduler; another one reaches
 *   it by name (`Table.whereis`), as ETS's named tables.
 * - Counters (`updateCounter` on numbers) are the case worth sharing memory
 *   for: a column of numbers in a `SharedArrayBuffer`, updated with
 *   `Atomics.add` (integers) or a compare-and-swap loop (floats, thresholds),
 *   is exact and wait-free from every scheduler. It is not built yet: rows
 *   are frozen values handed out without copying, so a row whose counter
 *   lives in shared memory would have to be assembled on every read — the
 *   cost the single-thread `lookup` avoids — and there is no second
 *   scheduler yet to share it with.
 *
 * ## Persistent terms
 *
 * {@linkcode persistentTerm} is Erlang's `:persistent_term`: a store of
 * terms read with no copy and no lookup cost beyond a property read, for
 * values read everywhere and written rarely (configuration, routing tables,
 * compiled patterns). A `put` copies the store's key table and bumps a
 * version that caches may watch: it costs O(number of terms), so keep
 * writes rare — the cost model, with measurements, is in
 * `docs/persistent_term.md`.
 *
 * @example A named table, a walk and a counter
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { Table } from "@beamlet/beamlet/tables";
 *
 * const system = new System();
 * const owner = await system.start({ init: () => ok(null) });
 * const scores = new Table<[string, number]>(system, { owner, name: "scores", type: "ordered_set" });
 * scores.insertMany([["bob", 3], ["ada", 5]]);
 * scores.updateCounter("ada", 2);
 * console.log(scores.toArray()); // [["ada", 7], ["bob", 3]]
 * console.log(Table.whereis(system, "scores") === scores); // true
 * system.exit(owner, "kill");
 * console.log(scores.deleted); // true
 * ```
 *
 * @module
 */

export {
  type CounterUpdate,
  type ElementUpdates,
  type RangeQuery,
  Table,
} from "./src/tables/table.ts";
export type { TableAccess, TableOptions, TableType } from "./src/tables/options.ts";
export type { TableInfo } from "./src/tables/table_info.ts";
export { TableTransferMessage } from "./src/tables/transfer.ts";
export { ANY, type MatchPattern, type PatternOf } from "./src/tables/match.ts";
export {
  TableAccessError,
  TableDeletedError,
  TableError,
  TableKeyError,
  TableNameTakenError,
  TableOwnerError,
  TableTypeError,
  TableValueError,
} from "./src/tables/errors.ts";
export { type PersistentTerm, persistentTerm } from "./src/persistent_term/persistent_term.ts";
export {
  PersistentTermKeyError,
  PersistentTermNotFoundError,
  PersistentTermValueError,
} from "./src/persistent_term/errors.ts";
export type {
  PersistentTermChange,
  PersistentTermListener,
  PersistentTermListenerOptions,
} from "./src/persistent_term/events.ts";
export type { PersistentTermInfo } from "./src/persistent_term/info.ts";
export type { PersistentTermKey } from "./src/persistent_term/key.ts";
