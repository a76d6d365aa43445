/**
 * A first-in first-out queue of items pushed in arrays (internal): a pushed
 * array is kept as it is (the queue owns it from then on), so pushing costs
 * one slot per array, not one per item, and taking copies each item once.
 * MemoryProducer keeps pushed data here and makes the messages only as they
 * are taken: the messages then live and die young, and the data a test
 * pushes by the hundred thousand is never copied item by item.
 *
 * @module
 */

/** A FIFO of items, stored in the arrays they were pushed in. */
export class ChunkQueue<T> {
  #chunks: T[][] = [];
  /** The index of the first chunk still holding items. */
  #first = 0;
  /** Items of the first chunk already taken. */
  #offset = 0;
  #length = 0;

  /** Items queued. */
  get length(): number {
    return this.#length;
  }

  /** Queues the items of `chunk` at the back; the queue owns `chunk` from now on. */
  pushChunk(chunk: T[]): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** Takes up to `n` items from the front, in order, into a new array. */
  take(n: number): T[] {
    const count = Math.min(n, this.#length);
    if (count <= 0) return [];
    const chunks = this.#chunks;
    const head = chunks[this.#first];
    let out: T[];
    if (this.#offset === 0 && head.length === count) {
      out = head;
    } else if (head.length - this.#offset >= count) {
      out = head.slice(this.#offset, this.#offset + count);
    } else {
      out = [];
      let at = 0;
      let index = this.#first;
      let offset = this.#offset;
      while (at < count) {
        const chunk = chunks[index];
        const end = Math.min(chunk.length, offset + count - at);
        for (let i = offset; i < end; i++) out.push(chunk[i]);
        at += end - offset;
        if (end === chunk.length) {
          chunks[index++] = undefined as unknown as T[];
          offset = 0;
        } else {
          offset = end;
        }
      }
      this.#first = index;
      this.#offset = offset;
      this.#settle(count);
      return out;
    }
    this.#offset += count;
    if (this.#offset === head.length) {
      chunks[this.#first++] = undefined as unknown as T[];
      this.#offset = 0;
    }
    this.#settle(count);
    return out;
  }

  /**
   * Takes up to `n` items from the front, in order, and returns `map` of
   * each (one pass: no intermediate array).
   */
  takeMapped<U>(n: number, map: (item: T) => U): U[] {
    const count = Math.min(n, this.#length);
    const out: U[] = [];
    if (count <= 0) return out;
    const chunks = this.#chunks;
    let index = this.#first;
    let offset = this.#offset;
    let left = count;
    while (left > 0) {
      const chunk = chunks[index];
      const end = Math.min(chunk.length, offset + left);
      for (let i = offset; i < end; i++) out.push(map(chunk[i]));
      left -= end - offset;
      if (end === chunk.length) {
        chunks[index++] = undefined as unknown as T[];
        offset = 0;
      } else {
        offset = end;
      }
    }
    this.#first = index;
    this.#offset = offset;
    this.#settle(count);
    return out;
  }

  #settle(taken: number): void {
    this.#length -= taken;
    if (this.#first === this.#chunks.length) {
      this.#chunks = [];
      this.#first = 0;
    } else if (this.#first > 1024 && this.#first * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#first);
      this.#first = 0;
    }
  }
}
