import { describe, expect, it } from "vitest";
import v8 from "node:v8";
import vm from "node:vm";
import {
  budget,
  callDepth,
  deepCall,
  monitor,
  PREEMPT,
  receive,
  send,
  sleep,
  spawn,
  SysDown,
  TIMEOUT,
  type Pid,
} from "../../../runtime/sched/index.js";
import { harness, isDown, type G } from "./helpers.js";

describe("preemption and fairness", () => {
  it("a process looping forever through the budget check does not stop others", () => {
    const h = harness();
    const seen: string[] = [];
    let spins = 0;
    const hog = h.s.spawn(function* (): G {
      for (;;) {
        if (--budget.n < 0) yield PREEMPT;
        spins++;
        const r = yield* receive((m) => (m === "halt" ? m : undefined), 0);
        if (r !== TIMEOUT) return seen.push(`hog stopped after ${spins}`);
      }
    });
    h.s.spawn(function* (): G {
      seen.push("stopper ran");
      send(hog, "halt");
    });
    h.s.flush(100);
    expect(seen).toEqual(["stopper ran", "hog stopped after 4001"]);
  });

  it("two busy processes alternate turn by turn", () => {
    const h = harness();
    const turns: string[] = [];
    const busy = (tag: string) =>
      function* (): G {
        let last = -1;
        for (let i = 0; i < 20_000; i++) {
          if (--budget.n < 0) {
            yield PREEMPT;
          }
          const turn = Math.floor(i / 4001);
          if (turn !== last) turns.push(`${tag}${turn}`), (last = turn);
        }
      };
    h.s.spawn(busy("a"));
    h.s.spawn(busy("b"));
    h.s.flush();
    expect(turns.slice(0, 6)).toEqual(["a0", "b0", "a1", "b1", "a2", "b2"]);
  });

  it("endurance: an actor sleeping in a loop a million times keeps memory bounded", () => {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const h = harness();
    let n = 0;
    h.s.spawn(function* (): G {
      for (;;) {
        if (--budget.n < 0) yield PREEMPT;
        yield* sleep(1);
        n++;
      }
    });
    h.s.advance(100_000);
    expect(n).toBe(100_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    h.s.advance(900_000);
    expect(n).toBe(1_000_000);
    gc();
    const after = process.memoryUsage().heapUsed;
    expect(h.s.timers.size).toBe(1);
    expect(after - before).toBeLessThan(2 * 1024 * 1024);
  });
});

describe("crashes", () => {
  it("crash report formats by kind", () => {
    const h = harness();
    const boom = (): never => {
      throw new Error("oops");
    };
    h.s.spawn(boom, [], { kind: "actor", name: "worker" });
    h.s.spawn(boom);
    h.s.spawn(boom, [], { kind: "job" });
    h.s.spawn(boom, [], { kind: "service", name: "Store" });
    h.s.spawn(() => {
      throw "not an error object";
    });
    h.s.flush();
    expect(h.err).toEqual([
      "[mesh] actor worker <0.1> crashed: oops",
      "[mesh] process <0.2> crashed: oops",
      "[mesh] job <0.3> crashed: oops",
      "[mesh] service Store <0.4> crashed: oops",
      "[mesh] process <0.5> crashed: not an error object",
    ]);
  });

  it("a JS stack overflow crashes only that process with reason `stack overflow`", () => {
    const h = harness();
    const seen: string[] = [];
    const rec = (n: number): number => rec(n + 1) + 1;
    h.s.spawn(function* () {
      const p = spawn(() => rec(0));
      monitor(p);
      const d = (yield* receive(isDown, null)) as SysDown;
      seen.push(d._2);
    });
    h.s.flush();
    expect(seen).toEqual(["stack overflow"]);
  });

  it("deepCall runs generator recursion far beyond the JS stack, with a cap (stack overflow)", () => {
    const h = harness();
    function* depth(n: number): G<number> {
      if (--budget.n < 0) yield PREEMPT;
      if (n === 0) return 0;
      let r: number;
      if (++callDepth.n > 500) r = (yield* deepCall(depth, [n - 1])) as number;
      else r = yield* depth(n - 1);
      callDepth.n--;
      return r + 1;
    }
    const seen: unknown[] = [];
    h.s.spawn(function* () {
      seen.push(yield* depth(50_000));
      const p = spawn(function* (): G {
        yield* depth(100_000_000);
      });
      monitor(p as Pid);
      seen.push(((yield* receive(isDown, null)) as SysDown)._2);
    });
    h.s.flush();
    expect(seen).toEqual([50_000, "stack overflow"]);
  });

  it("deepCall with a plain function returns its value directly", () => {
    const h = harness();
    const seen: unknown[] = [];
    h.s.spawn(function* () {
      seen.push(yield* deepCall((a: number, b: number) => a + b, [2, 3]));
    });
    h.s.flush();
    expect(seen).toEqual([5]);
  });
});
