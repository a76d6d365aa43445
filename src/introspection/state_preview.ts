/**
 * What state inspection answers: a bounded, deterministic preview of a
 * process's state, and its bounds.
 *
 * @module
 */

/**
 * A process's state as inspection shows it (`formatState`, the telemetry
 * app's `GET /processes/:id/state`): the text of what its `formatStatus`
 * returned — or of the raw state when it defines none — printed as bounded,
 * JSON-like text.
 *
 * The text is deterministic (the same state prints the same text) and never
 * longer than `maxChars` plus one `…` marking the cut. Strings are quoted
 * and escaped as JSON escapes them; what JSON cannot hold is shown in a
 * readable form: `10n`, `Symbol(x)`, `[Function f]`, `undefined`, `NaN`,
 * `Map(2) {"a"=>1,"b"=>2}`, `Set(1) {1}`, `Uint8Array(3) [1,2,3]`,
 * `ClassName {…}` for a class instance, `[Circular]` for a cycle,
 * `[unreadable]` for a property whose getter throws, `{…}` beyond the depth
 * and `…N more` for entries beyond the count. An object with `toJSON` (a
 * Date, a Pid) shows what `toJSON` returns.
 *
 * Secrets are the server's to redact: the preview is bounded and escaped,
 * not scrubbed — define `formatStatus` on a server whose state holds a
 * token, a password or personal data.
 *
 * @example Reading a preview
 * ```ts
 * import type { StatePreview } from "@beamlet/beamlet/introspection";
 *
 * const describe = (p: StatePreview) =>
 *   p.error !== null ? `${p.pid}: formatStatus failed: ${p.error}` : `${p.pid}: ${p.text}`;
 * ```
 */
export interface StatePreview {
  /** The process, as text (`#PID<0.12.0>`). */
  readonly pid: string;
  /** Whether the server's `formatStatus` (or a behaviour's own formatting) made what is shown. */
  readonly formatted: boolean;
  /**
   * The preview: at most `maxChars` characters and a `…` where it was cut;
   * `"[formatStatus failed]"` when `formatStatus` threw; `"[starting]"` while
   * `init` has not returned.
   */
  readonly text: string;
  /** Whether anything was left out: the text was cut, or entries, depth or a string were elided. */
  readonly truncated: boolean;
  /** What `formatStatus` threw (its name and message, bounded), else `null`. */
  readonly error: string | null;
}

/**
 * Bounds of a {@linkcode StatePreview}.
 *
 * @example A short preview
 * ```ts
 * import type { StatePreviewOptions } from "@beamlet/beamlet/introspection";
 *
 * const brief: StatePreviewOptions = { maxChars: 256, maxDepth: 2, maxItems: 10 };
 * ```
 */
export interface StatePreviewOptions {
  /** Characters of text at most, before the `…` marking a cut (default 4096; an integer in 32..1048576). */
  readonly maxChars?: number;
  /** Containers nested deeper than this show as `{…}` / `[…]` (default 6; an integer in 0..32). */
  readonly maxDepth?: number;
  /** Entries shown per object, array, Map or Set (default 50; an integer in 1..10000). */
  readonly maxItems?: number;
}
