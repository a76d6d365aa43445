/**
 * This instance's header. Every piece of an instance's state — a scheduler
 * core's or a histogram store's — is reachable from one struct in linear
 * memory, and the module's only global is that struct's address. So several
 * instances (each a WebAssembly.Instance with its own globals) can live in one
 * `WebAssembly.Memory`: each is placed by region.ts at an address of its own.
 *
 * The headers are laid out in `core/layout.ts` (generated from
 * `core/layout.json`, where the tables are drawn): the region part first
 * (what the allocator owns), then the scheduler's or the store's fields.
 */

/** Address of this instance's header; 0 until region.ts places the instance. */
export let header: usize = 0;

/** Records where this instance's header lives (region.ts, once). */
export function setHeader(address: usize): void {
  header = address;
}

// Tiny typed accessors: `hi32(ACTOR_LIVE)` reads, `seti32(ACTOR_LIVE, n)` writes.

// @ts-ignore: decorator
@inline export function hi32(offset: usize): i32 {
  return load<i32>(header + offset);
}
// @ts-ignore: decorator
@inline export function seti32(offset: usize, value: i32): void {
  store<i32>(header + offset, value);
}
// @ts-ignore: decorator
@inline export function hu32(offset: usize): u32 {
  return load<u32>(header + offset);
}
// @ts-ignore: decorator
@inline export function setu32(offset: usize, value: u32): void {
  store<u32>(header + offset, value);
}
// @ts-ignore: decorator
@inline export function hi64(offset: usize): i64 {
  return load<i64>(header + offset);
}
// @ts-ignore: decorator
@inline export function seti64(offset: usize, value: i64): void {
  store<i64>(header + offset, value);
}
// @ts-ignore: decorator
@inline export function hf64(offset: usize): f64 {
  return load<f64>(header + offset);
}
// @ts-ignore: decorator
@inline export function setf64(offset: usize, value: f64): void {
  store<f64>(header + offset, value);
}
