/**
 * Placing instances in one memory. A memory may hold several instances —
 * scheduler cores and histogram stores, from this module or the other one,
 * on one thread or one per Worker over a shared `WebAssembly.Memory` — and
 * none may ever touch another's bytes. So no instance owns a fixed address:
 * each claims *chunks* of the memory from a tiny directory every instance
 * shares, with one atomic compare-and-swap on the directory's top, and keeps
 * its header and every block it allocates inside its own chunks.
 *
 * ```
 *  linear memory (shared or not; at most 4 GiB)
 *  ┌──────┬───────────┬───┬───────────────┬─────────────┬───────────────┬─────┬───────────┐
 *  │ zero │ directory │   │ chunk (id 1)  │ chunk (id 2)│ chunk (id 1)  │ ... │ unclaimed │
 *  │      │           │   │ hdr│header│...│ hdr│header│ │ hdr│ blocks   │     │           │
 *  └──────┴───────────┴───┴───────────────┴─────────────┴───────────────┴─────┴───────────┘
 *  0      16          32  64 = HEAP_START                                DIR_TOP      memory.size()
 *
 *  directory (layout.ts: Directory)     chunk header (layout.ts: Chunk)
 *  DIR_MAGIC      set once, atomically  CHUNK_OWNER  instance id
 *  DIR_INSTANCES  atomic counter: ids   CHUNK_BYTES  chunk size, header included
 *  DIR_TOP        atomic bump pointer   CHUNK_NEXT   owner's previous chunk
 * ```
 *
 * An instance's first chunk holds its header (right after the chunk header);
 * its allocator (allocator.ts) bumps through its current chunk and claims the
 * next one when it runs out — of at least MIN_CHUNK bytes, about as much as
 * it already owns (so claims stay rare: O(log size)), at most MAX_CHUNK ahead
 * of need; a block larger than that gets a chunk of its own size. Chunks tile
 * `[HEAP_START, DIR_TOP)` in claim order, so the memory can be walked.
 *
 * A claim grows the memory *before* it moves the top: it reads the top,
 * grows the memory until it covers the new end (memory.grow is atomic, and a
 * memory never shrinks), then compare-and-swaps the top; a lost race only
 * retries. So a claimed chunk is always backed by memory, no claim is ever
 * rolled back, and a failed growth leaves nothing half-claimed.
 *
 * Limits: chunks are never given back (an instance's memory is its peak, as
 * WebAssembly memory never shrinks; a dropped instance's chunks stay claimed
 * until the memory itself is dropped); one instance must be driven by one
 * thread at a time (only the directory is shared); the memory must hold
 * nothing but beamlet instances (an instance refuses a memory whose
 * directory holds another magic number, and cannot detect one that was
 * scribbled on); all instances share the memory's maximum, so one instance's
 * growth can leave another OutOfMemory — never corrupt it.
 */

import {
  BAD_STATE, CHUNK_BYTES, CHUNK_HEADER_SIZE, CHUNK_NEXT, CHUNK_OWNER, CHUNKS, CLAIM_LIMIT,
  DIR_INSTANCES, DIR_MAGIC, DIR_TOP, DIRECTORY_BASE, HEAP_END, HEAP_START, HEAP_TOP, INSTANCE_ID,
  MAX_CHUNK, MEMORY_MAGIC, MIN_CHUNK, OK, OUT_OF_MEMORY, OWNED,
} from "./layout";
import { header, hu32, setHeader, setu32 } from "./header";

const PAGE_BITS: u64 = 16;
const PAGE_SIZE: u64 = 1 << PAGE_BITS;
/** Every chunk size and block is a multiple of this. */
export const ALIGN: usize = 16;

/** Grows memory until it holds `end` bytes, doubling when it can (amortized O(1) growth). */
function ensureMemory(end: u64): bool {
  while (true) {
    const pages = <u64>memory.size();
    const have = pages << PAGE_BITS;
    if (end <= have) return true;
    const needed = <i32>((end - have + PAGE_SIZE - 1) >> PAGE_BITS);
    if (memory.grow(max(needed, <i32>pages)) >= 0) continue;
    if (memory.grow(needed) >= 0) continue;
    // Another thread may have grown the memory meanwhile; else it is full.
    return (<u64>memory.size() << PAGE_BITS) >= end;
  }
}

/** Claims `bytes` (a multiple of ALIGN) from the directory: the chunk's address, or 0 (no room). */
function claim(bytes: u64): usize {
  const top = <usize>DIRECTORY_BASE + DIR_TOP;
  while (true) {
    const seen = atomic.load<u64>(top);
    const start = seen == 0 ? <u64>HEAP_START : seen;
    const end = start + bytes;
    if (end > <u64>CLAIM_LIMIT) return 0;
    if (!ensureMemory(end)) return 0;
    if (atomic.cmpxchg<u64>(top, seen, end) == seen) return <usize>start;
  }
}

/** Writes a chunk's header and links it into this instance's chunk list. */
function adopt(chunk: usize, bytes: u64): void {
  store<u32>(chunk + CHUNK_OWNER, hu32(INSTANCE_ID));
  store<u32>(chunk + CHUNK_BYTES, <u32>bytes);
  store<u32>(chunk + CHUNK_NEXT, hu32(CHUNKS));
  setu32(CHUNKS, <u32>chunk);
  setu32(OWNED, hu32(OWNED) + <u32>bytes);
}

/** The payload size of the next ordinary chunk: about what this instance owns, within bounds. */
export function nextChunkPayload(): u64 {
  const owned = <u64>hu32(OWNED);
  return owned < <u64>MIN_CHUNK ? <u64>MIN_CHUNK : owned > <u64>MAX_CHUNK ? <u64>MAX_CHUNK : owned;
}

/** Claims a chunk for `payload` bytes (a multiple of ALIGN): the payload's address, or 0. */
export function claimChunk(payload: u64): usize {
  const bytes = payload + <u64>CHUNK_HEADER_SIZE;
  const chunk = claim(bytes);
  if (chunk == 0) return 0;
  adopt(chunk, bytes);
  return chunk + CHUNK_HEADER_SIZE;
}

/**
 * Places this instance in the memory: claims its first chunk and puts a
 * zeroed header of `headerSize` bytes at its start. OK; BAD_STATE when
 * already placed or when the memory's directory is not beamlet's;
 * OUT_OF_MEMORY when the memory cannot hold the chunk.
 */
export function placeInstance(headerSize: usize): i32 {
  if (header != 0) return BAD_STATE;
  if (!ensureMemory(<u64>HEAP_START)) return OUT_OF_MEMORY;
  const magic = atomic.cmpxchg<u32>(<usize>DIRECTORY_BASE + DIR_MAGIC, 0, MEMORY_MAGIC);
  if (magic != 0 && magic != MEMORY_MAGIC) return BAD_STATE;
  const payload = <u64>max<u32>(MIN_CHUNK, <u32>((headerSize + ALIGN - 1) & ~(ALIGN - 1)));
  const bytes = payload + <u64>CHUNK_HEADER_SIZE;
  const chunk = claim(bytes);
  if (chunk == 0) return OUT_OF_MEMORY;
  const id = atomic.add<u32>(<usize>DIRECTORY_BASE + DIR_INSTANCES, 1) + 1;
  const base = chunk + CHUNK_HEADER_SIZE;
  memory.fill(base, 0, headerSize);
  setHeader(base);
  setu32(INSTANCE_ID, id);
  adopt(chunk, bytes);
  setu32(HEAP_TOP, <u32>((base + headerSize + ALIGN - 1) & ~(ALIGN - 1)));
  setu32(HEAP_END, <u32>(chunk + <usize>bytes));
  return OK;
}

/** This instance's id in its memory's directory (1, 2, ...), or 0 before it is placed. */
export function instanceId(): i32 {
  return header == 0 ? 0 : <i32>hu32(INSTANCE_ID);
}
