// Micro-benchmark shapes for the process runtime (runtime/sched): hand-written generator
// processes driving the public API the way generated code will. Run after building:
//   node dist/runtime/sched/bench-shapes.js [shape…]
// Shapes: ring, pingpong, calls, casts, spawn, idle. Each prints one line with its figure.
import {
  budget,
  PREEMPT,
  receive,
  Scheduler,
  send,
  self,
  serviceCall,
  serviceCast,
  setDefaultScheduler,
  spawn,
  startService,
  type Pid,
  type ServiceDef,
} from "./index.js";

type Gen<T = unknown> = Generator<unknown, T, unknown>;

const anyMsg = (m: unknown): unknown => m;

/** Runs `main` on a fresh real-clock scheduler; resolves with elapsed ms when `done` is called. */
function run(main: (done: () => void) => Gen): Promise<number> {
  return new Promise((resolve) => {
    const s = new Scheduler({ exit: () => {} });
    setDefaultScheduler(s);
    let t0 = 0;
    const done = (): void => resolve(performance.now() - t0);
    t0 = performance.now();
    s.spawn(main, [done]);
  });
}

/** Ring where the last node reports to the driver when the token reaches 0. */
export async function ring(n = 1000, laps = 1000): Promise<{ ms: number; rate: number }> {
  const total = n * laps;
  const ms = await run(function* (done) {
    const driver = self();
    function* node(): Gen {
      const next = (yield* receive(anyMsg, null)) as Pid;
      for (;;) {
        if (--budget.n < 0) yield PREEMPT;
        const m = (yield* receive(anyMsg, null)) as number;
        if (m === 0) {
          send(driver, "stop");
          return;
        }
        send(next, m - 1);
      }
    }
    const pids: Pid[] = [];
    for (let i = 0; i < n; i++) pids.push(spawn(node, []));
    for (let i = 0; i < n; i++) send(pids[i]!, pids[(i + 1) % n]!);
    send(pids[0]!, total);
    yield* receive((m) => (m === "stop" ? m : undefined), null);
    done();
  });
  return { ms, rate: total / (ms / 1000) };
}

export async function pingpong(rounds = 2_000_000): Promise<{ ms: number; rate: number }> {
  const ms = await run(function* (done) {
    function* ponger(): Gen {
      for (;;) {
        if (--budget.n < 0) yield PREEMPT;
        const from = (yield* receive(anyMsg, null)) as Pid | null;
        if (from === null) return;
        send(from, 1);
      }
    }
    const p = spawn(ponger, []);
    const me = self();
    for (let i = 0; i < rounds; i++) {
      if (--budget.n < 0) yield PREEMPT;
      send(p, me);
      yield* receive(anyMsg, null);
    }
    send(p, null);
    done();
  });
  return { ms, rate: rounds / (ms / 1000) };
}

const Counter: ServiceDef = {
  name: "Counter",
  init: (n: number) => n,
  calls: {
    Get: (s: number) => [s, s],
    Add: (s: number, k: number) => [s + k, s + k],
  },
  casts: {
    Bump: (s: number, k: number) => s + k,
  },
};

export async function calls(n = 1_000_000): Promise<{ ms: number; rate: number }> {
  let t = 0;
  const ms = await run(function* (done) {
    const svc = yield* startService(Counter, [0]);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      if (--budget.n < 0) yield PREEMPT;
      yield* serviceCall(svc, "Counter", "Add", [1]);
    }
    t = performance.now() - t0;
    done();
  });
  void ms;
  return { ms: t, rate: n / (t / 1000) };
}

export async function casts(n = 2_000_000): Promise<{ ms: number; rate: number }> {
  let t = 0;
  await run(function* (done) {
    const svc = yield* startService(Counter, [0]);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      if (--budget.n < 0) yield PREEMPT;
      serviceCast(svc, "Counter", "Bump", [1]);
    }
    const total = yield* serviceCall(svc, "Counter", "Get", []);
    t = performance.now() - t0;
    if (total !== n) throw new Error(`casts lost: ${String(total)}`);
    done();
  });
  return { ms: t, rate: n / (t / 1000) };
}

export async function spawnMany(n = 100_000): Promise<{ ms: number }> {
  const ms = await run(function* (done) {
    const parent = self();
    function* child(i: number): Gen<void> {
      send(parent, i);
    }
    for (let i = 0; i < n; i++) {
      if (--budget.n < 0) yield PREEMPT;
      spawn(child, [i]);
    }
    for (let i = 0; i < n; i++) {
      if (--budget.n < 0) yield PREEMPT;
      yield* receive(anyMsg, null);
    }
    done();
  });
  return { ms };
}

export async function idle(n = 100_000): Promise<{ rssMb: number; heapMb: number; baseRssMb: number }> {
  const g = globalThis as { gc?: () => void };
  g.gc?.();
  const base = process.memoryUsage().rss;
  const pids: Pid[] = [];
  await run(function* (done) {
    function* waiter(tag: number): Gen {
      const m = yield* receive((x) => (x === tag ? x : undefined), null);
      return m;
    }
    for (let i = 0; i < n; i++) {
      if (--budget.n < 0) yield PREEMPT;
      pids.push(spawn(waiter, [i]));
    }
    // let every process reach its receive
    yield* receive(anyMsg, 1);
    done();
  });
  g.gc?.();
  const mu = process.memoryUsage();
  const out = { rssMb: mu.rss / 2 ** 20, heapMb: mu.heapUsed / 2 ** 20, baseRssMb: base / 2 ** 20 };
  for (const p of pids) send(p, p.serial - 1);
  return out;
}

// ---- baseline: the smallest hand-written generator scheduler (no links, timers, budget) ------

interface BProc {
  gen: Generator<unknown, unknown, unknown>;
  mb: unknown[];
  head: number;
  waiting: boolean;
}

function baselineRun(setup: (spawnB: (g: (self: BProc) => Gen) => BProc, q: BProc[]) => void): number {
  const q: BProc[] = [];
  let qh = 0;
  const spawnB = (g: (self: BProc) => Gen): BProc => {
    const p: BProc = { gen: undefined as unknown as Gen, mb: [], head: 0, waiting: false };
    p.gen = g(p);
    q.push(p);
    return p;
  };
  setup(spawnB, q);
  const t0 = performance.now();
  while (qh < q.length) {
    const p = q[qh++]!;
    if (qh > 4096 && qh * 2 > q.length) {
      q.splice(0, qh);
      qh = 0;
    }
    p.gen.next();
  }
  return performance.now() - t0;
}

function bSend(q: BProc[], p: BProc, m: unknown): void {
  p.mb.push(m);
  if (p.waiting) {
    p.waiting = false;
    q.push(p);
  }
}

function* bReceive(p: BProc): Gen {
  for (;;) {
    if (p.head < p.mb.length) {
      const m = p.mb[p.head];
      p.mb[p.head++] = undefined;
      if (p.head === p.mb.length) {
        p.mb.length = 0;
        p.head = 0;
      }
      return m;
    }
    p.waiting = true;
    yield 0;
  }
}

export function baselineRing(n = 1000, laps = 1000): { ms: number; rate: number } {
  const total = n * laps;
  const ms = baselineRun((spawnB, q) => {
    const ps: BProc[] = [];
    for (let i = 0; i < n; i++)
      ps.push(
        spawnB(function* (me): Gen {
          const next = (yield* bReceive(me)) as BProc;
          for (;;) {
            const m = (yield* bReceive(me)) as number;
            if (m === 0) return;
            bSend(q, next, m - 1);
          }
        }),
      );
    for (let i = 0; i < n; i++) bSend(q, ps[i]!, ps[(i + 1) % n]);
    bSend(q, ps[0]!, total);
  });
  return { ms, rate: total / (ms / 1000) };
}

export function baselinePingPong(rounds = 2_000_000): { ms: number; rate: number } {
  const ms = baselineRun((spawnB, q) => {
    const ponger = spawnB(function* (me): Gen {
      for (;;) {
        const from = (yield* bReceive(me)) as BProc | null;
        if (from === null) return;
        bSend(q, from, 1);
      }
    });
    spawnB(function* (me): Gen {
      for (let i = 0; i < rounds; i++) {
        bSend(q, ponger, me);
        yield* bReceive(me);
      }
      bSend(q, ponger, null);
      return undefined;
    });
  });
  return { ms, rate: rounds / (ms / 1000) };
}

/** Runs `f` and returns its result with the CPU milliseconds it used (robust on a busy machine). */
async function cpu<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const c0 = process.cpuUsage();
  const r = await f();
  const c = process.cpuUsage(c0);
  return [r, (c.user + c.system) / 1000];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const want = (s: string): boolean => args.length === 0 || args.includes(s);
  const f = (x: number): string => (x / 1e6).toFixed(2) + "M";
  if (want("ring")) {
    await ring(1000, 100); // warm-up
    baselineRing(1000, 100);
    const [r, c] = await cpu(() => ring(1000, 1000));
    const [, cb] = await cpu(() => baselineRing(1000, 1000));
    console.log(
      `ring 1000x1000: ${r.ms.toFixed(0)} ms wall, ${f(r.rate)} msgs/s; by CPU time ${f(1e6 / (c / 1000))} msgs/s` +
        ` (baseline ${f(1e6 / (cb / 1000))}, ratio ${(cb / c).toFixed(2)})`,
    );
  }
  if (want("pingpong")) {
    await pingpong(200_000);
    baselinePingPong(200_000);
    const [r, c] = await cpu(() => pingpong(2_000_000));
    const [, cb] = await cpu(() => baselinePingPong(2_000_000));
    console.log(
      `ping-pong: ${r.ms.toFixed(0)} ms wall, ${f(r.rate)} round trips/s; by CPU time ${f(2e6 / (c / 1000))}/s` +
        ` (baseline ${f(2e6 / (cb / 1000))}, ratio ${(cb / c).toFixed(2)})`,
    );
  }
  if (want("calls")) {
    await calls(200_000);
    const [r, c] = await cpu(() => calls(1_000_000));
    console.log(`service calls: ${r.ms.toFixed(0)} ms wall, ${f(r.rate)} calls/s; by CPU time ${f(1e6 / (c / 1000))}/s`);
  }
  if (want("casts")) {
    await casts(200_000);
    const [r, c] = await cpu(() => casts(2_000_000));
    console.log(`service casts: ${r.ms.toFixed(0)} ms wall, ${f(r.rate)} casts/s; by CPU time ${f(2e6 / (c / 1000))}/s`);
  }
  if (want("spawn")) {
    await spawnMany(20_000);
    const [r, c] = await cpu(() => spawnMany(100_000));
    console.log(`spawn 100k + message parent: ${r.ms.toFixed(0)} ms wall, ${c.toFixed(0)} ms CPU`);
  }
  if (want("idle")) {
    const r = await idle(100_000);
    console.log(
      `100k idle in receive: rss ${r.rssMb.toFixed(0)} MB (before ${r.baseRssMb.toFixed(0)} MB), heap ${r.heapMb.toFixed(0)} MB`,
    );
  }
}

const isEntry = process.argv[1] !== undefined && /bench-shapes\.(js|ts)$/.test(process.argv[1]);
if (isEntry) {
  void main();
}
