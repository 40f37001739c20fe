import { describe, expect, it } from "vitest";
import {
  demonitor,
  monitor,
  panic,
  receive,
  register,
  send,
  self,
  sleep,
  spawn,
  SysDown,
  TIMEOUT,
  whereis,
  type Pid,
} from "../../../runtime/sched/index.js";
import { harness, isDown, user, type G } from "./helpers.js";

describe("monitors", () => {
  it("A07: normal, noproc, demonitor", () => {
    const h = harness();
    const { s, log } = h;
    function* shortLived(): G {
      yield* receive((m) => (m === "fire" ? m : undefined), null);
      log("short lived running");
    }
    function* watcher(target: Pid, tag: string): G {
      const r = monitor(target);
      const d = (yield* receive(isDown, null)) as SysDown;
      log(`${tag}: ref ok ${d._0 === r}, reason ${d._2}`);
    }
    function* quietWatcher(target: Pid): G {
      const r = monitor(target);
      const removed = demonitor(r);
      const d = yield* receive(isDown, 100);
      log(d === TIMEOUT ? `quiet: demonitor ${removed}, no down` : "quiet: unexpected down");
    }
    s.runMain(function* () {
      const sl = spawn(shortLived, [], { kind: "actor", name: "short_lived" });
      spawn(watcher, [sl, "early"]);
      spawn(quietWatcher, [sl]);
      yield* sleep(10);
      send(sl, "fire");
      yield* sleep(10);
      spawn(watcher, [sl, "late"]);
    });
    s.settle();
    expect(h.out).toEqual([
      "short lived running",
      "early: ref ok true, reason normal",
      "late: ref ok true, reason noproc",
      "quiet: demonitor 0, no down",
    ]);
  });

  it("refs count from 1, monitors stack, Downs come in monitor creation order", () => {
    const h = harness();
    const seen: unknown[] = [];
    let target: Pid | null = null;
    h.s.spawn(function* () {
      target = spawn(function* (): G {
        yield* receive(user, null);
        panic("bye");
      });
      const r1 = monitor(target);
      const r2 = monitor(target);
      seen.push(r1, r2);
      const other = spawn(function* (): G {
        const r3 = monitor(target!);
        seen.push(r3);
        const d = (yield* receive(isDown, null)) as SysDown;
        seen.push(`other ${d._0}`);
      });
      void other;
      yield* sleep(1);
      send(target, "x");
      for (let i = 0; i < 2; i++) {
        const d = (yield* receive(isDown, null)) as SysDown;
        seen.push(`main ${d._0} ${d._2}`);
      }
    });
    h.s.settle();
    expect(seen).toEqual([1, 2, 3, "main 1 bye", "main 2 bye", "other 3"]);
  });

  it("demonitor of an unknown or fired ref returns 1; self-monitor never fires", () => {
    const h = harness();
    const seen: unknown[] = [];
    h.s.spawn(function* () {
      seen.push(demonitor(999));
      const me = monitor(self());
      const dead = spawn(() => {});
      yield* sleep(1);
      const r = monitor(dead); // noproc, delivered at once
      seen.push(demonitor(r));
      const d = (yield* receive(isDown, 0)) as SysDown;
      seen.push(d._2);
      seen.push(demonitor(me));
    });
    h.s.settle();
    expect(seen).toEqual([1, 1, "noproc", 0]);
  });

  it("monitor of the null pid gives Down noproc", () => {
    const h = harness();
    const seen: unknown[] = [];
    h.s.spawn(function* () {
      const r = monitor(whereis("nobody"));
      const d = (yield* receive(isDown, 0)) as SysDown;
      seen.push(d._0 === r, `${d._1}`, d._2);
    });
    h.s.flush();
    expect(seen).toEqual([true, "<0.0>", "noproc"]);
  });

  it("names are removed before monitors are notified (a restart can re-register)", () => {
    const h = harness();
    const seen: unknown[] = [];
    h.s.spawn(function* () {
      const a = spawn(function* (): G {
        yield* receive(user, null);
      });
      register("svc", a);
      monitor(a);
      send(a, "stop");
      yield* receive(isDown, null);
      seen.push(whereis("svc").isNull());
      seen.push(register("svc", self()));
    });
    h.s.flush();
    expect(seen).toEqual([true, 0]);
  });

  it("a watcher that exits first leaves nothing behind in the target", () => {
    const h = harness();
    const t = h.s.spawn(function* (): G {
      yield* receive(user, null);
    });
    for (let i = 0; i < 100; i++) {
      h.s.spawn(function* (): G {
        monitor(t);
      });
    }
    h.s.flush();
    const proc = t.proc!;
    expect(proc.ext?.monFirst ?? null).toBe(null);
  });
});
