import { describe, expect, it } from "vitest";
import {
  NULL_PID,
  Pid,
  TIMEOUT,
  budget,
  PREEMPT,
  isGen,
  receive,
  register,
  self,
  send,
  sleep,
  spawn,
  whereis,
  lookup,
  unregister,
  isAlive,
  exit,
} from "../../../runtime/sched/index.js";
import { any, harness, num } from "./helpers.js";

describe("pids and spawn", () => {
  it("numbers main <0.1> and later processes in creation order; null pid <0.0>", () => {
    const h = harness();
    const { s, log } = h;
    function* echoOnce(): Generator<unknown, void, unknown> {
      const n = yield* receive(num, null);
      log(`echo got ${n}`);
      log(`echo is ${self()}`);
    }
    s.runMain(function* () {
      log(`main is ${self()}`);
      const p = spawn(echoOnce, [], { kind: "actor", name: "echo_once" });
      log(`spawned ${p}`);
      log(`register: ${register("echo", p)} then ${register("echo", p)}`);
      send(whereis("echo"), 7);
      const nobody = whereis("nobody");
      log(`null pid ${nobody}, is null: ${nobody.equals(NULL_PID)}`);
      yield* sleep(10);
      log(`name gone after exit: ${whereis("echo").isNull()}`);
      log(`re-register: ${register("echo", self())}`);
    });
    s.settle();
    expect(h.out).toEqual([
      "main is <0.1>",
      "spawned <0.2>",
      "register: 0 then 1",
      "null pid <0.0>, is null: true",
      "echo got 7",
      "echo is <0.2>",
      "name gone after exit: true",
      "re-register: 0",
    ]);
    expect(h.exits).toEqual([0]);
  });

  it("detects generator functions", () => {
    expect(isGen(function* () {})).toBe(true);
    expect(isGen(() => 1)).toBe(false);
    expect(isGen(async function () {})).toBe(false);
  });

  it("a spawned process never runs before the spawner's turn ends", () => {
    const h = harness();
    const order: string[] = [];
    h.s.spawn(function* () {
      spawn(() => order.push("child"));
      order.push("parent 1");
      order.push("parent 2");
    });
    h.s.flush();
    expect(order).toEqual(["parent 1", "parent 2", "child"]);
  });

  it("pids compare by node and serial and hash consistently", () => {
    const h = harness();
    const a = h.s.spawn(() => {});
    const b = new Pid(a.node, a.serial);
    expect(a.equals(b)).toBe(true);
    expect(a.hashCode()).toBe(b.hashCode());
    expect(a.equals(NULL_PID)).toBe(false);
    expect(`${NULL_PID}`).toBe("<0.0>");
  });

  it("registry: lookup, unregister, dead pids, several names", () => {
    const h = harness();
    const res: unknown[] = [];
    h.s.spawn(function* () {
      const p = spawn(function* () {
        yield* receive(any, null);
      });
      res.push(register("", p), register("a", p), register("b", p), register("a", self()));
      res.push(lookup("a") === p, lookup("zz"));
      res.push(unregister("a"), unregister("a"), whereis("b") === p);
      register("c", p);
      send(p, 1);
      yield* sleep(1);
      res.push(whereis("b").isNull(), whereis("c").isNull(), register("d", p), isAlive(p));
    });
    h.s.settle();
    expect(res).toEqual([1, 0, 0, 1, true, null, 0, 1, true, true, true, 1, false]);
  });
});

describe("selective receive", () => {
  it("A03: guards, leftovers in order, after 0 and after N", () => {
    const h = harness();
    const { s, log } = h;
    function* picky(phase: number): Generator<unknown, void, unknown> {
      for (;;) {
        if (--budget.n < 0) yield PREEMPT;
        if (phase === 0) {
          const big = yield* receive((m) => (typeof m === "number" && m > 10 ? m : undefined), null);
          log(`first big: ${big}`);
          phase = 1;
        } else {
          const more = yield* receive((m) => (typeof m === "number" ? m : undefined), 0);
          if (more === TIMEOUT) {
            log("mailbox empty");
            return;
          }
          log(`left over: ${more}`);
        }
      }
    }
    function* waiter(label: string): Generator<unknown, void, unknown> {
      const r = yield* receive(num, 30);
      log(`${label} ${r === TIMEOUT ? "timed out" : `got ${r}`}`);
    }
    s.runMain(function* () {
      const p = spawn(picky, [0]);
      send(p, 3);
      send(p, 50);
      send(p, 4);
      send(p, 70);
      spawn(waiter, ["a"]);
      const b = spawn(waiter, ["b"]);
      send(b, 9);
      log("main done");
    });
    s.settle();
    expect(h.out).toEqual([
      "main done",
      "first big: 50",
      "left over: 3",
      "left over: 4",
      "left over: 70",
      "mailbox empty",
      "b got 9",
      "a timed out",
    ]);
  });

  it("after N fires only at the deadline, not before", () => {
    const h = harness();
    const seen: unknown[] = [];
    h.s.spawn(function* () {
      seen.push(yield* receive(any, 100));
    });
    h.s.advance(99);
    expect(seen).toEqual([]);
    h.s.advance(1);
    expect(seen).toEqual([TIMEOUT]);
  });

  it("a message arriving in the same instant as the timeout wins", () => {
    const h = harness();
    const seen: unknown[] = [];
    let r: Pid = NULL_PID;
    h.s.spawn(function* () {
      yield* sleep(50);
      send(r, "msg");
    });
    r = h.s.spawn(function* () {
      seen.push(yield* receive(any, 50));
    });
    h.s.flush();
    // both timers are due at t=50: the sleeper's (created first) wakes it, it sends, and the
    // receiver, whose timer also fired, checks its mailbox once more before timing out
    h.s.advance(50);
    expect(seen).toEqual(["msg"]);
  });

  it("the timer firing after the receiver was woken by a non-matching message still times out", () => {
    const h = harness();
    const seen: unknown[] = [];
    const r = h.s.spawn(function* () {
      seen.push(yield* receive(num, 50));
    });
    h.s.spawn(function* () {
      yield* sleep(50);
      send(r, "not a number");
    });
    h.s.flush();
    h.s.advance(50);
    expect(seen).toEqual([TIMEOUT]);
  });

  it("after with no arms waits without consuming; negative waits forever", () => {
    const h = harness();
    const seen: unknown[] = [];
    const p = h.s.spawn(function* () {
      seen.push(yield* receive(() => undefined, 20));
      seen.push(yield* receive(any, 0));
      seen.push(yield* receive(any, -1));
    });
    h.s.flush();
    send(p, "kept");
    h.s.advance(20);
    expect(seen).toEqual([TIMEOUT, "kept"]);
    h.s.advance(1_000_000);
    expect(seen).toEqual([TIMEOUT, "kept"]);
    send(p, "late");
    h.s.flush();
    expect(seen).toEqual([TIMEOUT, "kept", "late"]);
  });

  it("a matcher that throws crashes the receiving process only", () => {
    const h = harness();
    const p = h.s.spawn(
      function* () {
        yield* receive(() => {
          throw new Error("guard exploded");
        }, null);
      },
      [],
      { kind: "actor", name: "g" },
    );
    h.s.flush();
    send(p, 1);
    h.s.flush();
    expect(h.err).toEqual(["[mesh] actor g <0.1> crashed: guard exploded"]);
    expect(isAlive(p)).toBe(false);
  });

  it("A04: per-sender FIFO and deterministic wake-up order", () => {
    const h = harness();
    const { s, log } = h;
    function* collector(left: number): Generator<unknown, void, unknown> {
      for (;;) {
        const n = yield* receive(num, null);
        log(`collected ${n}`);
        if (left > 1) left--;
        else return log("collector done");
      }
    }
    function* burst(target: Pid, base: number): Generator<unknown, void, unknown> {
      send(target, base + 1);
      send(target, base + 2);
      send(target, base + 3);
    }
    s.runMain(function* () {
      const c = spawn(collector, [6]);
      spawn(burst, [c, 10]);
      spawn(burst, [c, 20]);
    });
    s.settle();
    expect(h.out).toEqual([
      "collected 11",
      "collected 12",
      "collected 13",
      "collected 21",
      "collected 22",
      "collected 23",
      "collector done",
    ]);
  });

  it("A02: a continuation loop through a self-send runs 300000 hops; leftovers discarded", () => {
    const h = harness();
    const { s, log } = h;
    function* tally(total: number): Generator<unknown, void, unknown> {
      for (;;) {
        if (--budget.n < 0) yield PREEMPT;
        const m = (yield* receive(any, null)) as { add?: number };
        if (m.add !== undefined) total += m.add;
        else return log(`total=${total}`);
      }
    }
    function* relay(left: number, hops: number): Generator<unknown, void, unknown> {
      for (;;) {
        if (--budget.n < 0) yield PREEMPT;
        if (left === 0) return log(`hops: ${hops}`);
        send(self(), left - 1);
        left = (yield* receive(num, null)) as number;
        hops++;
      }
    }
    s.runMain(function* () {
      const t = spawn(tally, [100]);
      send(t, { add: 5 });
      send(t, { add: 20 });
      send(t, {});
      send(t, { add: 1 });
      spawn(relay, [300000, 0]);
      log("sent");
    });
    s.settle();
    expect(h.out).toEqual(["sent", "total=125", "hops: 300000"]);
    expect(h.exits).toEqual([0]);
  });
});

describe("exit from outside", () => {
  it("exit(pid, reason) from test code kills a waiting process", () => {
    const h = harness();
    const p = h.s.spawn(function* () {
      yield* receive(any, null);
    });
    h.s.flush();
    exit(p, "bye");
    h.s.flush();
    expect(isAlive(p)).toBe(false);
  });
});
