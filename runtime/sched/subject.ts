// Subjects (stdlib.md "Subject", decision 76): a typed mailbox owned by the process that made it.
// Any process may send to it; only the owner takes from it, and it may wait from any function
// (unlike `receive`, which only an actor body may use). This is how a plain function, such as an
// HTTP handler, waits for a reply computed elsewhere: for example a batch that answers many callers.
import { BLOCK, EXITED, type Process, rt } from "./process.js";

export class Subject {
  /** Process-local: a subject names a process of this node and is refused by the dist codec. */
  static readonly localOnly = "Subject";
  private readonly queue: unknown[] = [];
  private head = 0;
  constructor(readonly owner: Process) {}

  /** Appends `v`; wakes the owner if it waits on this subject. Values for a dead owner are dropped. */
  put(v: unknown): void {
    const o = this.owner;
    if (o.status === EXITED) return;
    this.queue.push(v);
    o.sched.wake(o, this);
  }

  take(): { ok: true; value: unknown } | null {
    if (this.head >= this.queue.length) return null;
    const value = this.queue[this.head];
    this.queue[this.head++] = undefined;
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return { ok: true, value };
  }

  toString(): string {
    return `#Subject${this.owner.pid}`;
  }
}

function current(op: string): Process {
  const p = rt.cur;
  if (p === null) throw new Error(`${op} must be called inside a Mesh process`);
  return p;
}

/** Subject.new(): a subject owned by the caller. */
export function subjectNew(): Subject {
  return new Subject(current("Subject.new"));
}

/** Subject.send(s, v) */
export function subjectSend(s: Subject, v: unknown): void {
  s.put(v);
}

/**
 * Subject.await(s, ms): the oldest value, waiting up to `ms` (negative: forever, 0: no wait).
 * Errors are values: `"timeout"`, or `"not owner"` when another process asks.
 */
export function* subjectAwait(s: Subject, ms: number): Generator<unknown, { ok: true; value: unknown } | { ok: false; error: string }, unknown> {
  const me = current("Subject.await");
  if (s.owner !== me) return { ok: false, error: "not owner" };
  const got = s.take();
  if (got !== null) return got;
  if (ms === 0) return { ok: false, error: "timeout" };
  const sch = me.sched;
  sch.startWait(me, s, ms < 0 ? -1 : ms);
  yield BLOCK;
  sch.cancelWait(me);
  return s.take() ?? { ok: false, error: "timeout" };
}
