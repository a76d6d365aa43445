/**
 * Reads the directory and the chunks of a memory holding WebAssembly cores
 * and histogram stores (internal; for tests and diagnostics). Meant for a
 * quiescent memory: a chunk another thread claimed a moment ago may not have
 * its header yet.
 *
 * @module
 */

import {
  CHUNK_BYTES,
  CHUNK_NEXT,
  CHUNK_OWNER,
  DIR_INSTANCES,
  DIR_MAGIC,
  DIR_TOP,
  DIRECTORY_BASE,
  HEAP_START,
} from "./_layout.ts";

/** One claimed chunk: `[start, start + bytes)`, its header included. */
export interface ChunkInfo {
  readonly owner: number;
  readonly start: number;
  readonly bytes: number;
  /** The owner's previous chunk (0: this is its first). */
  readonly previous: number;
}

/** What a memory's directory says, and its chunks in address order. */
export interface MemoryMap {
  readonly magic: number;
  readonly instances: number;
  /** End of the claimed area. */
  readonly top: number;
  readonly chunks: readonly ChunkInfo[];
}

/**
 * Walks `[HEAP_START, top)` chunk by chunk.
 *
 * @throws {Error} when a chunk header is impossible (zero size, past the top).
 */
export function memoryMap(memory: WebAssembly.Memory): MemoryMap {
  const view = new DataView(memory.buffer);
  const magic = view.getUint32(DIRECTORY_BASE + DIR_MAGIC, true);
  const instances = view.getUint32(DIRECTORY_BASE + DIR_INSTANCES, true);
  const rawTop = Number(view.getBigUint64(DIRECTORY_BASE + DIR_TOP, true));
  const top = rawTop === 0 ? HEAP_START : rawTop;
  const chunks: ChunkInfo[] = [];
  for (let at = HEAP_START; at < top;) {
    const bytes = view.getUint32(at + CHUNK_BYTES, true);
    if (bytes === 0 || at + bytes > top) {
      throw new Error(`memory map: chunk at ${at} claims ${bytes} bytes (top ${top})`);
    }
    chunks.push({
      owner: view.getUint32(at + CHUNK_OWNER, true),
      start: at,
      bytes,
      previous: view.getUint32(at + CHUNK_NEXT, true),
    });
    at += bytes;
  }
  return { magic, instances, top, chunks };
}

/** The chunks `owner` claimed, in address order. */
export function chunksOf(map: MemoryMap, owner: number): ChunkInfo[] {
  return map.chunks.filter((chunk) => chunk.owner === owner);
}
