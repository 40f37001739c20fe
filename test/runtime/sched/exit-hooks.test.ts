// Exit hooks for host resources (onExit) and closing the generators of a process that exits while
// suspended, so `finally` blocks of host code run at once (README.md, "Exit hooks").
import { describe, expect, it } from "vitest";
import {
  awaitPromise,
  budget,
  deepCall,
  exit,
  isAlive,
  link,
  monitor,
  onExit,
  panic,
  PREEMPT,
  receive,
  register,
  self,
  send,
  serviceCall,
  sleep,
  spawn,
  startService,
  SysDown,
  whereis,
  type Pid,
  type ServiceDef,
} from "../../../runtime/sched/index.js";
import { harness, isDown, user, type G } from "./helpers.js";

describe("onExit", () => {
  it("runs once per exit reason, after the exit steps", () => {
    const h = harness();
    const { s, log } = h;
    const seen: string[] = [];
    function* normal(): G {
      register("n", self());
      onExit(null, (r) => seen.push(`normal: ${r}, alive ${isAlive(self())}, name ${whereis("n").isNull() ? "gone" : "kept"}`));
      yield* receive(user, null);
    }
    function* crash(): G {
      onExit(null, (r) => seen.push(`crash: ${r}`));
      yield* receive(user, null);
      panic("boom");
    }
    function* waiter(): G {
      onExit(null, (r) => seen.push(`killed: ${r}`));
      onExit(null, (r) => seen.push(`killed second hook: ${r}`));
      yield* receive(user, null);
    }
    function* linked(to: Pid): G {
      link(to);
      onExit(null, (r) => seen.push(`linked: ${r}`));
      yield* receive(user, null);
    }
    s.runMain(function* (): G {
      const n = spawn(normal, []);
      const c = spawn(crash, []);
      const w = spawn(waiter, []);
      spawn(linked, [c]);
      yield* sleep(1);
      const ref = monitor(n);
      onExit(n, (r) => seen.push(`watcher had Down before the hook: ${r}`));
      send(n, "go");
      const d = (yield* receive(isDown, null)) as SysDown;
      log(`down ${d._0 === ref} ${d._2}`);
      send(c, "go");
      exit(w, "kill");
      exit(w, "kill");
      yield* sleep(1);
    });
    s.settle();
    expect(seen).toEqual([
      "normal: normal, alive false, name gone",
      "watcher had Down before the hook: normal",
      "crash: boom",
      "killed: killed",
      "killed second hook: killed",
      "linked: boom",
    ]);
    expect(h.out).toEqual(["down true normal"]);
    expect(h.exits).toEqual([0]);
  });

  it("registers on another pid from host code; null for dead pids; cancel", () => {
    const h = harness();
    const seen: string[] = [];
    const pid = h.s.spawn(function* (): G {
      yield* receive(user, null);
    });
    const hook = onExit(pid, (r) => seen.push(`hook ${r}`));
    const dropped = onExit(pid, (r) => seen.push(`cancelled ${r}`));
    expect(hook).not.toBe(null);
    expect(dropped!.cancel()).toBe(true);
    expect(dropped!.cancel()).toBe(false);
    h.s.flush();
    send(pid, "stop");
    h.s.flush();
    expect(seen).toEqual(["hook normal"]);
    expect(hook!.cancel()).toBe(false);
    expect(onExit(pid, () => seen.push("never"))).toBe(null);
    expect(() => onExit(null, () => {})).toThrow(/inside a Mesh process/);
  });

  it("a hook registered before the first turn runs when the process is killed unstarted", () => {
    const h = harness();
    const seen: string[] = [];
    let started = false;
    const pid = h.s.spawn(function* (): G {
      started = true;
      try {
        yield* receive(user, null);
      } finally {
        seen.push("finally");
      }
    });
    onExit(pid, (r) => seen.push(`hook ${r}`));
    h.s.exit(null, pid, "kill");
    h.s.flush();
    expect(started).toBe(false);
    expect(seen).toEqual(["hook killed"]);
  });

  it("a throwing hook is reported and the others still run", () => {
    const h = harness();
    const seen: string[] = [];
    h.s.spawn(function* (): G {
      onExit(null, () => {
        throw new Error("hook broke");
      });
      onExit(null, (r) => seen.push(r));
    });
    h.s.flush();
    expect(seen).toEqual(["normal"]);
    expect(h.err).toEqual([expect.stringMatching(/^\[mesh\] exit hook of <0\.1> failed: hook broke$/)]);
  });

  it("a connection checked out and in many times keeps no hooks behind", () => {
    const h = harness();
    let released = 0;
    const pid = h.s.spawn(function* (): G {
      for (let i = 0; i < 10_000; i++) {
        if (--budget.n < 0) yield PREEMPT;
        const hk = onExit(null, () => released++);
        hk!.cancel();
      }
      onExit(null, () => released++);
      yield* receive(user, null);
    });
    h.s.flush();
    expect(pid.proc!.ext!.exitHooks!.length).toBe(1);
    h.s.exit(null, pid, "shutdown");
    h.s.flush();
    expect(released).toBe(1);
  });
});

describe("closing the generators of a process that exits while suspended", () => {
  // a service whose call handler takes a minute: its callers stay suspended in serviceCall
  const Slow: ServiceDef = {
    name: "Slow",
    init: () => 0,
    calls: {
      *Get(n: number): G {
        yield* sleep(60_000);
        return [n, n];
      },
    },
    casts: {},
  };

  it("runs host finally blocks on kill and exit signals, wherever the process waits", () => {
    const h = harness();
    const { s } = h;
    const seen: string[] = [];
    const never: Promise<number> = new Promise(() => {});
    function* guarded(tag: string, body: () => G): G {
      try {
        yield* body();
      } finally {
        seen.push(`${tag} finally`);
      }
    }
    s.runMain(function* (): G {
      const svc = yield* startService(Slow, []);
      const inReceive = spawn(guarded, ["receive", () => receive(user, null)]);
      const inSleep = spawn(guarded, ["sleep", () => sleep(60_000)]);
      const inPromise = spawn(guarded, ["promise", () => awaitPromise(never)]);
      const inCall = spawn(guarded, ["call", () => serviceCall(svc, "Slow", "Get", [])]);
      yield* sleep(1);
      exit(inReceive, "kill");
      exit(inSleep, "shutdown");
      exit(inPromise, "kill");
      exit(inCall, "kill");
      yield* sleep(1);
      seen.push(`alive ${[inReceive, inSleep, inPromise, inCall].map(isAlive).join(" ")}`);
      exit(svc, "kill");
    });
    s.settle();
    expect(seen.slice(0, 4).sort()).toEqual(["call finally", "promise finally", "receive finally", "sleep finally"]);
    expect(seen[4]).toBe("alive false false false false");
    expect(s.timers.size).toBe(0);
    expect(h.exits).toEqual([0]);
  });

  it("closes deepCall frames from the top down; runs before the exit steps and the hooks", () => {
    const h = harness();
    const seen: string[] = [];
    function* level(n: number): G {
      try {
        if (n === 0) {
          yield* receive(user, null);
          return 0;
        }
        return yield* deepCall(level, [n - 1]);
      } finally {
        seen.push(`level ${n}`);
      }
    }
    h.s.runMain(function* (): G {
      const pid = spawn(function* (): G {
        onExit(null, (r) => seen.push(`hook ${r}`));
        return yield* level(3);
      });
      const ref = monitor(pid);
      yield* sleep(1);
      exit(pid, "kill");
      const d = (yield* receive(isDown, null)) as SysDown;
      seen.push(`down ${d._0 === ref} ${d._2}`);
    });
    h.s.settle();
    expect(seen).toEqual(["level 0", "level 1", "level 2", "level 3", "hook killed", "down true killed"]);
  });

  it("cleanup that tries to wait is abandoned; preempting cleanup is finished", () => {
    const h = harness();
    const seen: string[] = [];
    const pid = h.s.spawn(function* (): G {
      try {
        try {
          yield* receive(user, null);
        } finally {
          seen.push("inner cleanup starts");
          yield* receive(user, 5_000); // cannot wait: abandoned here
          seen.push("never");
        }
      } finally {
        for (let i = 0; i < 3; i++) yield PREEMPT;
        send(self(), "late"); // the process is not waiting any more: nothing is woken
        seen.push("outer cleanup done");
      }
    });
    onExit(pid, (r) => seen.push(`hook ${r}`));
    h.s.flush();
    h.s.exit(null, pid, "kill");
    h.s.flush();
    expect(seen).toEqual(["inner cleanup starts", "outer cleanup done", "hook killed"]);
    expect(h.s.timers.size).toBe(0);
    expect(h.s.runnable).toBe(0);
    expect(h.s.live.size).toBe(0);
  });

  it("an actor hit by an exit signal: body finally, then terminate, then the hooks", () => {
    const h = harness();
    const seen: string[] = [];
    h.s.runMain(function* (): G {
      const a = spawn(
        function* (): G {
          onExit(null, (r) => seen.push(`hook ${r}`));
          try {
            yield* receive(user, null);
          } finally {
            seen.push("body finally");
          }
        },
        [],
        { kind: "actor", name: "A", terminate: () => void seen.push("terminate") },
      );
      yield* sleep(1);
      exit(a, "shutdown");
      yield* sleep(1);
    });
    h.s.settle();
    expect(seen).toEqual(["body finally", "terminate", "hook shutdown"]);
  });
});
