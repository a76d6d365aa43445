/**
 * The core header: every piece of core state is reachable from this one
 * struct in linear memory, so a later mode can place several cores (one per
 * Worker) in one shared `WebAssembly.Memory` by giving each its own header.
 * The only wasm global is `core`, the header's address.
 *
 * Its layout (offsets, sizes, the table drawn) is generated from
 * `core/layout.json` into `core/layout.ts`, with the codes and limits the
 * TypeScript contract shares.
 */

/** Alignment of the header and of every allocated block. */
export const ALIGN: usize = 16;

/** Address of the current core's header (set by `init`). */
export let core: usize = 0;

/** Places the header right after the static data. */
export function placeHeader(): void {
  core = (__heap_base + ALIGN - 1) & ~(ALIGN - 1);
}

// Tiny typed accessors: `hi32(ACTOR_LIVE)` reads, `seti32(ACTOR_LIVE, n)` writes.

// @ts-ignore: decorator
@inline export function hi32(offset: usize): i32 {
  return load<i32>(core + offset);
}
// @ts-ignore: decorator
@inline export function seti32(offset: usize, value: i32): void {
  store<i32>(core + offset, value);
}
// @ts-ignore: decorator
@inline export function hu32(offset: usize): u32 {
  return load<u32>(core + offset);
}
// @ts-ignore: decorator
@inline export function setu32(offset: usize, value: u32): void {
  store<u32>(core + offset, value);
}
// @ts-ignore: decorator
@inline export function hi64(offset: usize): i64 {
  return load<i64>(core + offset);
}
// @ts-ignore: decorator
@inline export function seti64(offset: usize, value: i64): void {
  store<i64>(core + offset, value);
}
// @ts-ignore: decorator
@inline export function hf64(offset: usize): f64 {
  return load<f64>(core + offset);
}
// @ts-ignore: decorator
@inline export function setf64(offset: usize, value: f64): void {
  store<f64>(core + offset, value);
}
