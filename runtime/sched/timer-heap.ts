// Binary min-heap of runtime timers (runtime/sched): ordered by deadline, then creation order;
// entries know their index so cancelling is O(log n) and a process can reuse one wait timer.
import type { Process } from "./process.js";

/** Wakes a process waiting with a timeout (receive … after, sleep, call, job await). */
export const T_WAIT = 0;
/** Timer.send_after: `a` is the target Pid, `b` the message. */
export const T_SEND = 1;
/** Timer.apply_after: `a` is the function to spawn. */
export const T_APPLY = 2;

export class TimerEntry {
  idx = -1;
  deadline = 0;
  seq = 0;
  /** T_WAIT: the timer fired for the current wait (the process has timed out). */
  fired = false;
  constructor(
    readonly kind: number,
    readonly proc: Process | null,
    public a: unknown,
    public b: unknown,
  ) {}
}

function before(x: TimerEntry, y: TimerEntry): boolean {
  return x.deadline < y.deadline || (x.deadline === y.deadline && x.seq < y.seq);
}

export class TimerHeap {
  private h: TimerEntry[] = [];
  private seq = 0;

  get size(): number {
    return this.h.length;
  }

  peek(): TimerEntry | undefined {
    return this.h[0];
  }

  push(e: TimerEntry, deadline: number): void {
    e.deadline = deadline;
    e.seq = this.seq++;
    const i = this.h.length;
    e.idx = i;
    this.h.push(e);
    this.up(i);
  }

  pop(): TimerEntry | undefined {
    const h = this.h;
    const top = h[0];
    if (top === undefined) return undefined;
    const last = h.pop()!;
    if (last !== top) {
      h[0] = last;
      last.idx = 0;
      this.down(0);
    }
    top.idx = -1;
    return top;
  }

  remove(e: TimerEntry): void {
    const i = e.idx;
    if (i < 0) return;
    const h = this.h;
    const last = h.pop()!;
    if (last !== e) {
      h[i] = last;
      last.idx = i;
      this.down(i);
      this.up(last.idx);
    }
    e.idx = -1;
  }

  clear(): void {
    for (const e of this.h) e.idx = -1;
    this.h = [];
  }

  private up(i: number): void {
    const h = this.h;
    const e = h[i]!;
    while (i > 0) {
      const pi = (i - 1) >> 1;
      const parent = h[pi]!;
      if (!before(e, parent)) break;
      h[i] = parent;
      parent.idx = i;
      i = pi;
    }
    h[i] = e;
    e.idx = i;
  }

  private down(i: number): void {
    const h = this.h;
    const n = h.length;
    const e = h[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && before(h[r]!, h[c]!)) c = r;
      const child = h[c]!;
      if (!before(child, e)) break;
      h[i] = child;
      child.idx = i;
      i = c;
    }
    h[i] = e;
    e.idx = i;
  }
}
