// Suspending a Mesh process until the distribution layer has an answer (Node.start/connect/spawn):
// a wait object the network side settles, which keeps the program alive meanwhile (§1.12 rule 3).
import { BLOCK, type Process } from "../sched/process.js";

export class Waiter<T> {
  done = false;
  value: T;
  private release: (() => void) | null;

  constructor(
    readonly proc: Process,
    initial: T,
  ) {
    this.value = initial;
    this.release = proc.sched.holdAlive();
  }

  settle(v: T): void {
    if (this.done) return;
    this.done = true;
    this.value = v;
    this.drop();
    const p = this.proc;
    if (p.waitObj === this) {
      p.waitObj = null;
      p.sched.enqueue(p);
    }
  }

  /** Stops keeping the program alive (the waiting process exited). */
  drop(): void {
    const r = this.release;
    this.release = null;
    r?.();
  }
}

/** `yield* waitFor(w)`: suspends the running process (w.proc) until `w.settle`. */
export function* waitFor<T>(w: Waiter<T>): Generator<unknown, T, unknown> {
  if (!w.done) {
    const p = w.proc;
    p.sched.startWait(p, w, -1);
    try {
      yield BLOCK;
    } finally {
      if (!w.done) w.drop();
    }
  }
  return w.value;
}
