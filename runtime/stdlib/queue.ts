// Queue<T> (stdlib.md §8): a persistent FIFO. Like List, a queue is a window onto a backing
// array; `push` on the newest version appends in place (amortised O(1)), `pop` narrows the window.
import { eq } from "../core/equality.js";
import { hash } from "../core/hash.js";
import { panic } from "../core/panic.js";
import { text } from "../core/text.js";

export class Queue<T = unknown> {
  constructor(
    readonly arr: T[],
    readonly off: number,
    readonly size: number,
  ) {}
  static readonly empty: Queue<never> = new Queue<never>([], 0, 0);

  push(x: T): Queue<T> {
    const n = this.size;
    if (n === 0) return new Queue([x], 0, 1);
    const end = this.off + n;
    if (end === this.arr.length) {
      this.arr.push(x);
      return new Queue(this.arr, this.off, n + 1);
    }
    const a = this.arr.slice(this.off, end);
    a.push(x);
    return new Queue(a, 0, n + 1);
  }

  items(): T[] {
    return this.arr.slice(this.off, this.off + this.size);
  }

  $show(): string {
    return "Queue(" + this.items().map(text).join(", ") + ")";
  }
  $eq(o: unknown): boolean {
    if (!(o instanceof Queue) || o.size !== this.size) return false;
    for (let i = 0; i < this.size; i++) if (!eq(this.arr[this.off + i], o.arr[o.off + i])) return false;
    return true;
  }
  $hash(): number {
    let h = 0x2d358dcc ^ this.size;
    for (let i = 0; i < this.size; i++) h = (Math.imul(h, 31) + hash(this.arr[this.off + i])) | 0;
    return h;
  }
}

function pop<T>(q: Queue<T>): [T, Queue<T>] {
  if (q.size === 0) return panic("Queue.pop: empty queue");
  const rest = q.size === 1 ? (Queue.empty as Queue<T>) : new Queue(q.arr, q.off + 1, q.size - 1);
  return [q.arr[q.off], rest];
}

function peek<T>(q: Queue<T>): T {
  return q.size === 0 ? panic("Queue.peek: empty queue") : q.arr[q.off];
}

export const Queue_ = {
  new: <T>(): Queue<T> => Queue.empty as Queue<T>,
  push: <T>(q: Queue<T>, x: T): Queue<T> => q.push(x),
  pop,
  peek,
  size: <T>(q: Queue<T>): number => q.size,
  is_empty: <T>(q: Queue<T>): boolean => q.size === 0,
};
