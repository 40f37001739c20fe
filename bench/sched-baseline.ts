// The hand-written JavaScript baseline for the process benchmarks (bench/sched-bench.ts): the
// smallest generator-actor scheduler one would write by hand — a FIFO run queue, one array
// mailbox per process, processes as generators that `yield` when their mailbox has nothing for
// them. No reductions budget, links, monitors, timers, names or error isolation. Each shape does
// the same work as its Mesh program in bench/programs/sched/<shape>/main.mpl and returns the
// milliseconds from creating its first process to the run queue becoming empty.

type Gen = Generator<unknown, unknown, unknown>;
/** A process body: finishing it ends the process. */
type Body = Generator<unknown, void, unknown>;

export class BProc {
  gen: Body | Gen | null = null;
  /** Mailbox: messages from `head` on are unread (a selective receive may leave holes). */
  mb: unknown[] = [];
  head = 0;
  waiting = false;
  done = false;
}

export class BSched {
  private q: (BProc | undefined)[] = new Array<BProc | undefined>(1024).fill(undefined);
  private qh = 0;
  private qn = 0;

  private push(p: BProc): void {
    if (this.qn === this.q.length) {
      const old = this.q;
      const q = new Array<BProc | undefined>(old.length * 2).fill(undefined);
      for (let i = 0; i < this.qn; i++) q[i] = old[(this.qh + i) & (old.length - 1)];
      this.q = q;
      this.qh = 0;
    }
    this.q[(this.qh + this.qn) & (this.q.length - 1)] = p;
    this.qn++;
  }

  spawn<A extends unknown[]>(body: (me: BProc, ...args: A) => Body | Gen, ...args: A): BProc {
    const p = new BProc();
    p.gen = body(p, ...args);
    this.push(p);
    return p;
  }

  /** Puts the running process back at the end of the queue; it then does `yield 0`. */
  requeue(p: BProc): void {
    this.push(p);
  }

  send(p: BProc, m: unknown): void {
    if (p.done) return;
    p.mb.push(m);
    if (p.waiting) {
      p.waiting = false;
      this.push(p);
    }
  }

  /** Runs until no process is runnable. */
  run(): void {
    while (this.qn > 0) {
      const p = this.q[this.qh]!;
      this.q[this.qh] = undefined;
      this.qh = (this.qh + 1) & (this.q.length - 1);
      this.qn--;
      if (p.gen!.next().done === true) {
        p.done = true;
        p.gen = null;
        p.mb.length = 0;
      }
    }
  }
}

/** `const m = yield* recv(me)`: the oldest message, waiting for one if the mailbox is empty. */
export function* recv(me: BProc): Gen {
  while (me.head === me.mb.length) {
    me.waiting = true;
    yield 0;
  }
  const m = me.mb[me.head];
  me.mb[me.head++] = undefined;
  if (me.head === me.mb.length) {
    me.mb.length = 0;
    me.head = 0;
  }
  return m;
}

/** Selective receive: the oldest message accepted by `pred`; the others stay in order. */
export function* recvWhere(me: BProc, pred: (m: unknown) => boolean): Gen {
  let from = me.head;
  for (;;) {
    const mb = me.mb;
    for (let i = from; i < mb.length; i++) {
      const m = mb[i];
      if (pred(m)) {
        if (i === me.head) {
          mb[me.head++] = undefined;
          if (me.head === mb.length) {
            mb.length = 0;
            me.head = 0;
          }
        } else {
          mb.splice(i, 1);
        }
        return m;
      }
    }
    from = mb.length;
    me.waiting = true;
    yield 0;
  }
}

function timed(setup: (s: BSched) => void): number {
  const t0 = performance.now();
  const s = new BSched();
  setup(s);
  s.run();
  return performance.now() - t0;
}

// ---- shapes -------------------------------------------------------------------------------------

/**
 * `slice`: the parent goes to the back of the run queue after every `slice` spawns, as a Mesh
 * actor loop is preempted every 4000 reductions (Infinity: all spawns in one turn).
 */
export function spawnMany(n = 100_000, slice = Infinity): number {
  let got = 0;
  const ms = timed((s) => {
    function* child(_me: BProc, parent: BProc, i: number): Body {
      s.send(parent, i);
    }
    s.spawn(function* (me: BProc): Body {
      let k = 0;
      for (let i = n; i > 0; i--) {
        s.spawn(child, me, i);
        if (++k === slice) {
          k = 0;
          s.requeue(me);
          yield 0;
        }
      }
      for (let left = n; left > 0; left--) {
        yield* recv(me);
        got++;
      }
    });
  });
  if (got !== n) throw new Error(`baseline spawn: got ${got}`);
  return ms;
}

export function ring(n = 1000, laps = 1000): number {
  let finished = false;
  const ms = timed((s) => {
    function* node(me: BProc, driver: BProc): Body {
      const next = (yield* recv(me)) as BProc;
      for (;;) {
        const m = (yield* recv(me)) as number;
        if (m === 0) {
          s.send(driver, 0);
          return;
        }
        s.send(next, m - 1);
      }
    }
    s.spawn(function* (me: BProc): Body {
      const nodes: BProc[] = [];
      for (let i = 0; i < n; i++) nodes.push(s.spawn(node, me));
      for (let i = 0; i < n; i++) s.send(nodes[i]!, nodes[(i + 1) % n]);
      s.send(nodes[0]!, n * laps);
      yield* recv(me);
      finished = true;
    });
  });
  if (!finished) throw new Error("baseline ring did not finish");
  return ms;
}

export function pingPong(rounds = 1_000_000): number {
  let finished = false;
  const ms = timed((s) => {
    const ponger = s.spawn(function* (me: BProc): Body {
      for (;;) {
        const from = (yield* recv(me)) as BProc;
        s.send(from, 1);
      }
    });
    s.spawn(function* (me: BProc): Body {
      for (let left = rounds; left > 0; left--) {
        s.send(ponger, me);
        yield* recv(me);
      }
      finished = true;
    });
  });
  if (!finished) throw new Error("baseline ping-pong did not finish");
  return ms;
}

/** A request to the hand-written service: a call carries the caller and a reference. */
class Req {
  constructor(
    readonly call: boolean,
    readonly handler: number,
    readonly arg: number,
    readonly from: BProc | null,
    readonly ref: number,
  ) {}
}

class Reply {
  constructor(
    readonly ref: number,
    readonly value: number,
  ) {}
}

/** A counter service: handler 0 adds `arg` and replies with the sum, handler 1 replies with it. */
function* counterService(s: BSched, me: BProc, initial: number): Body {
  let state = initial;
  for (;;) {
    const r = (yield* recv(me)) as Req;
    if (r.handler === 0) state += r.arg;
    if (r.call) s.send(r.from!, new Reply(r.ref, state));
  }
}

function* call(s: BSched, me: BProc, svc: BProc, handler: number, arg: number, ref: number): Gen {
  s.send(svc, new Req(true, handler, arg, me, ref));
  const r = (yield* recvWhere(me, (m) => m instanceof Reply && m.ref === ref)) as Reply;
  return r.value;
}

export function calls(n = 1_000_000): number {
  let total = 0;
  const ms = timed((s) => {
    const svc = s.spawn((me: BProc) => counterService(s, me, 0));
    s.spawn(function* (me: BProc): Body {
      let ref = 0;
      for (let i = 0; i < n; i++) yield* call(s, me, svc, 0, 1, ++ref);
      total = (yield* call(s, me, svc, 0, 0, ++ref)) as number;
    });
  });
  if (total !== n) throw new Error(`baseline calls: total ${total}`);
  return ms;
}

/** `slice`: as for spawnMany, the client yields after every `slice` casts. */
export function casts(n = 1_000_000, slice = Infinity): number {
  let total = 0;
  const ms = timed((s) => {
    const svc = s.spawn((me: BProc) => counterService(s, me, 0));
    s.spawn(function* (me: BProc): Body {
      let k = 0;
      for (let i = 0; i < n; i++) {
        s.send(svc, new Req(false, 0, 1, null, 0));
        if (++k === slice) {
          k = 0;
          s.requeue(me);
          yield 0;
        }
      }
      total = (yield* call(s, me, svc, 1, 0, 1)) as number;
    });
  });
  if (total !== n) throw new Error(`baseline casts: total ${total}`);
  return ms;
}

/** Spawns `n` processes that block in a selective receive; returns them (kept reachable, as a
 * runtime's process table would). */
export function idle(n = 100_000): BProc[] {
  const s = new BSched();
  const all: BProc[] = [];
  function* waiter(me: BProc, tag: number): Gen {
    const m = yield* recvWhere(me, (x) => x === tag);
    return m;
  }
  s.spawn(function* (): Body {
    for (let i = n; i > 0; i--) all.push(s.spawn(waiter, i));
  });
  s.run();
  return all;
}
