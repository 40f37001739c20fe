// Injectable clock for the process runtime (runtime/sched): the real one for programs, and a
// manual one whose `advance(ms)` fires host timers synchronously so runtime tests never sleep.

export interface Clock {
  /** Milliseconds on a monotonic scale (fractions allowed). */
  now(): number;
  /** Calls `cb` once after `ms` milliseconds; returns a handle for clearTimer. */
  setTimer(ms: number, cb: () => void): unknown;
  clearTimer(handle: unknown): void;
}

export class RealClock implements Clock {
  // process.hrtime, not performance.now(): the first use of the global `performance` loads ~10
  // internal modules of Node, a measurable part of a small program's start-up. Only differences
  // of these values are used.
  now(): number {
    const [s, ns] = process.hrtime();
    return s * 1e3 + ns / 1e6;
  }
  setTimer(ms: number, cb: () => void): unknown {
    return setTimeout(cb, ms);
  }
  clearTimer(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }
}

interface ManualTimer {
  at: number;
  seq: number;
  cb: () => void;
}

export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(ms: number, cb: () => void): unknown {
    const e: ManualTimer = { at: this.t + Math.max(0, ms), seq: this.seq++, cb };
    this.timers.push(e);
    return e;
  }

  clearTimer(handle: unknown): void {
    const i = this.timers.indexOf(handle as ManualTimer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Number of host timers armed (the scheduler keeps at most one). */
  pending(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by `ms`, stopping at every armed deadline on the way (in deadline order,
   * ties in creation order) to run its callback, so work scheduled by a callback at time T sees
   * now() === T.
   */
  advance(ms: number): void {
    const target = this.t + Math.max(0, ms);
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.timers.length; i++) {
        const e = this.timers[i]!;
        if (e.at > target) continue;
        if (best < 0) best = i;
        else {
          const b = this.timers[best]!;
          if (e.at < b.at || (e.at === b.at && e.seq < b.seq)) best = i;
        }
      }
      if (best < 0) break;
      const e = this.timers[best]!;
      this.timers.splice(best, 1);
      if (e.at > this.t) this.t = e.at;
      e.cb();
    }
    this.t = target;
  }
}
