import { describe, expect, it } from "vitest";
import {
  budget,
  exit,
  isAlive,
  link,
  monitor,
  panic,
  PREEMPT,
  receive,
  self,
  send,
  setActorArgs,
  sleep,
  spawn,
  SysDown,
  SysExit,
  trapExit,
  unlink,
  type Pid,
} from "../../../runtime/sched/index.js";
import { harness, isDown, isExit, user, type G } from "./helpers.js";

describe("links and exit signals", () => {
  it("A06: crash propagation, trapping, terminate on a linked crash", () => {
    const h = harness();
    const { s, log } = h;
    function* fragile(): G {
      yield* receive((m) => (m === "boom" ? m : undefined), null);
      panic("fragile broke");
    }
    function* partner(victim: Pid): G {
      link(victim);
      yield* receive(user, null);
      log("partner: unexpected");
    }
    function* guardian(victim: Pid): G {
      trapExit(true);
      link(victim);
      const m = (yield* receive(isExit, null)) as SysExit;
      log(`guardian saw exit: ${m._1}`);
    }
    s.runMain(function* () {
      const f = spawn(fragile, [], { kind: "actor", name: "fragile" });
      spawn(partner, [f], { kind: "actor", name: "partner", terminate: () => log("partner terminating") });
      spawn(guardian, [f], { kind: "actor", name: "guardian" });
      yield* sleep(10);
      send(f, "boom");
    });
    s.settle();
    expect(h.out).toEqual(["partner terminating", "guardian saw exit: fragile broke"]);
    expect(h.err).toEqual(["[mesh] actor fragile <0.2> crashed: fragile broke"]);
    expect(h.exits).toEqual([0]);
  });

  it("A08: Process.exit, trapping, kill, and when terminate runs", () => {
    const h = harness();
    const { s, log } = h;
    function* sleeper(): G {
      yield* receive(user, null);
      log("sleeper: unexpected");
    }
    function* trapper(): G {
      trapExit(true);
      const m = (yield* receive(isExit, null)) as SysExit;
      log(`trapper got exit: ${m._1}`);
      yield* receive(user, null);
      log("trapper: unexpected");
    }
    function* finisher(): G {
      log("finisher ran");
    }
    function* observer(a: Pid, b: Pid): G {
      monitor(a);
      monitor(b);
      log(`down: ${((yield* receive(isDown, null)) as SysDown)._2}`);
      log(`down: ${((yield* receive(isDown, null)) as SysDown)._2}`);
    }
    s.runMain(function* () {
      const sl = spawn(sleeper, [], { kind: "actor", name: "sleeper", terminate: () => log("sleeper cleaned up") });
      const t = spawn(trapper, [], { kind: "actor", name: "trapper", terminate: () => log("trapper cleaned up") });
      spawn(observer, [sl, t], { kind: "actor", name: "observer" });
      spawn(finisher, [], { kind: "actor", name: "finisher", terminate: () => log("finisher cleaned up") });
      yield* sleep(10);
      exit(sl, "shutdown");
      yield* sleep(10);
      exit(t, "shutdown");
      yield* sleep(10);
      exit(t, "kill");
    });
    s.settle();
    expect(h.out).toEqual([
      "finisher ran",
      "finisher cleaned up",
      "sleeper cleaned up",
      "down: shutdown",
      "trapper got exit: shutdown",
      "down: killed",
    ]);
    expect(h.err).toEqual([]);
  });

  it("normal exits do not kill linked processes; trapping ones get Exit(pid, normal)", () => {
    const h = harness();
    const seen: string[] = [];
    h.s.spawn(function* () {
      trapExit(true);
      const me = self();
      const quiet = spawn(function* (): G {
        link(me);
        yield* receive(user, null);
        seen.push("quiet got message");
      });
      const child = spawn(function* (): G {
        link(quiet);
      });
      const m = (yield* receive(isExit, 50)) as SysExit;
      seen.push(`main trap: ${m instanceof SysExit ? m._1 : "timeout"}`);
      void child;
      send(quiet, "hi");
      yield* sleep(1);
      seen.push(`quiet alive: ${isAlive(quiet)}`);
    });
    h.s.settle();
    expect(seen).toEqual(["main trap: timeout", "quiet got message", "quiet alive: false"]);
  });

  it("exit signals propagate along link chains; killed becomes trappable `killed`", () => {
    const h = harness();
    const seen: string[] = [];
    h.s.spawn(function* () {
      trapExit(true);
      const me = self();
      const mid = spawn(function* (): G {
        link(me);
        yield* receive(user, null);
      });
      const leaf = spawn(function* (): G {
        link(mid);
        yield* receive(user, null);
      });
      yield* sleep(1);
      exit(leaf, "kill");
      const m = (yield* receive(isExit, null)) as SysExit;
      seen.push(`${m._0 === mid} ${m._1}`);
    });
    h.s.settle();
    expect(seen).toEqual(["true killed"]);
  });

  it("link to a dead or null pid: noproc exit, or Exit(pid, noproc) when trapping", () => {
    const h = harness();
    const seen: string[] = [];
    const dead = h.s.spawn(() => {});
    h.s.flush();
    const victim = h.s.spawn(
      function* (): G {
        yield* sleep(1);
        link(dead);
        seen.push("not reached");
      },
      [],
      { kind: "actor", name: "v", terminate: () => seen.push("terminate ran") },
    );
    const watcher = h.s.spawn(function* (): G {
      monitor(victim);
      const d = (yield* receive(isDown, null)) as SysDown;
      seen.push(`victim down: ${d._2}`);
    });
    h.s.spawn(function* (): G {
      trapExit(true);
      link(dead);
      const m = (yield* receive(isExit, 0)) as SysExit;
      seen.push(`trapped: ${m._0 === dead} ${m._1}`);
    });
    void watcher;
    h.s.settle();
    expect(seen).toEqual(["trapped: true noproc", "terminate ran", "victim down: noproc"]);
    expect(h.err).toEqual([]);
  });

  it("unlink removes the link in both directions; link is idempotent and ignores self", () => {
    const h = harness();
    const seen: string[] = [];
    h.s.spawn(function* () {
      const me = self();
      link(me);
      const a = spawn(function* (): G {
        link(me);
        link(me);
        unlink(me);
        yield* receive(user, null);
        panic("a dies");
      });
      yield* sleep(1);
      send(a, "go");
      yield* sleep(1);
      seen.push(`survived, a alive ${isAlive(a)}`);
    });
    h.s.settle();
    expect(seen).toEqual(["survived, a alive false"]);
  });

  it("exit(self, r) exits at once; normal for non-trapping self; trapping self gets a message", () => {
    const h = harness();
    const seen: string[] = [];
    const a = h.s.spawn(function* (): G {
      yield* sleep(1);
      exit(self(), "custom");
      seen.push("not reached");
    });
    const b = h.s.spawn(function* (): G {
      yield* sleep(2);
      trapExit(true);
      exit(self(), "normal");
      const m = (yield* receive(isExit, 0)) as SysExit;
      seen.push(`b got ${m._1} from self ${m._0 === self()}`);
      exit(self(), "kill");
      seen.push("not reached");
    });
    h.s.spawn(function* (): G {
      monitor(a);
      monitor(b);
      seen.push(((yield* receive(isDown, null)) as SysDown)._2);
      seen.push(((yield* receive(isDown, null)) as SysDown)._2);
    });
    h.s.settle();
    expect(seen).toEqual(["custom", "b got normal from self true", "killed"]);
    expect(h.err).toEqual([]);
  });

  it("exit(pid, normal) is ignored by a non-trapping target", () => {
    const h = harness();
    const p = h.s.spawn(function* (): G {
      yield* receive(user, null);
    });
    h.s.flush();
    exit(p, "normal");
    h.s.flush();
    expect(isAlive(p)).toBe(true);
  });

  it("terminate sees the latest continuation arguments and may block", () => {
    const h = harness();
    const { s, log } = h;
    function* counter(n: number): G {
      for (;;) {
        if (--budget.n < 0) yield PREEMPT;
        setActorArgs([n]);
        yield* receive(user, null);
        n++;
      }
    }
    const p = s.spawn(counter, [0], {
      kind: "actor",
      name: "counter",
      terminate: function* (args: unknown[]): G {
        yield* sleep(5);
        log(`terminate saw ${String(args[0])}`);
      },
    });
    s.flush();
    send(p, 1);
    send(p, 2);
    send(p, 3);
    s.flush();
    exit(p, "shutdown");
    s.flush();
    expect(isAlive(p)).toBe(true); // still running its terminate clause
    s.advance(5);
    expect(h.out).toEqual(["terminate saw 3"]);
    expect(isAlive(p)).toBe(false);
  });

  it("a crash inside terminate is reported and the original reason stands", () => {
    const h = harness();
    const seen: string[] = [];
    const p = h.s.spawn(
      function* (): G {
        yield* receive(user, null);
        panic("first");
      },
      [],
      {
        kind: "actor",
        name: "twice",
        terminate: () => {
          panic("second");
        },
      },
    );
    h.s.spawn(function* (): G {
      monitor(p);
      seen.push(((yield* receive(isDown, null)) as SysDown)._2);
    });
    h.s.flush();
    send(p, "x");
    h.s.flush();
    expect(h.err).toEqual(["[mesh] actor twice <0.1> crashed: first", "[mesh] actor twice <0.1> crashed: second"]);
    expect(seen).toEqual(["first"]);
  });

  it("kill interrupts a terminate clause that blocks", () => {
    const h = harness();
    const seen: string[] = [];
    const p = h.s.spawn(
      function* (): G {
        yield* receive(user, null);
      },
      [],
      {
        kind: "actor",
        name: "slow",
        terminate: function* (): G {
          yield* sleep(1000);
          seen.push("not reached");
        },
      },
    );
    h.s.spawn(function* (): G {
      monitor(p);
      seen.push(((yield* receive(isDown, null)) as SysDown)._2);
    });
    h.s.flush();
    exit(p, "shutdown");
    h.s.advance(10);
    exit(p, "kill");
    h.s.settle();
    expect(seen).toEqual(["killed"]);
  });

  it("a dead process's messages arrive before its Down and Exit", () => {
    const h = harness();
    const seen: unknown[] = [];
    h.s.spawn(function* () {
      trapExit(true);
      const me = self();
      const c = spawn(function* (): G {
        send(me, "last words");
        panic("gone");
      });
      link(c);
      monitor(c);
      yield* sleep(1);
      for (let i = 0; i < 3; i++) {
        const m = yield* receive((x) => x, 0);
        seen.push(m instanceof SysExit ? "Exit" : m instanceof SysDown ? "Down" : m);
      }
    });
    h.s.settle();
    expect(seen).toEqual(["last words", "Exit", "Down"]);
  });
});

describe("exits cancel timers; remote pids without distribution", () => {
  it("killing a process that waits with a timeout cancels its timer", () => {
    const h = harness();
    h.s.runMain(function* () {
      const a = spawn(function* (): G {
        yield* receive(user, 60_000);
      });
      const b = spawn(function* (): G {
        yield* sleep(60_000);
      });
      yield* sleep(1);
      exit(a, "stop");
      exit(b, "stop");
    });
    h.s.advance(1);
    expect(h.s.timers.size).toBe(0);
    expect(h.exits).toEqual([0]);
    expect(h.clock.now()).toBe(1);
  });

  it("remote pids of an unconnected node: sends dropped, noconnection for link and monitor", async () => {
    const { NodeRef, Pid, isAlive: alive, serviceCall } = await import("../../../runtime/sched/index.js");
    const h = harness();
    const remote = new Pid(new NodeRef("b@127.0.0.1:9001", 7, false), 3);
    expect(`${remote}`).toBe("<b@127.0.0.1:9001/3>");
    const seen: unknown[] = [];
    h.s.spawn(function* () {
      send(remote, "dropped");
      seen.push(alive(remote));
      monitor(remote);
      seen.push(((yield* receive(isDown, 0)) as SysDown)._2);
      trapExit(true);
      link(remote);
      seen.push(((yield* receive(isExit, 0)) as SysExit)._1);
      const c = spawn(function* (): G {
        yield* serviceCall(remote, "S", "H", []);
      });
      monitor(c);
      seen.push(((yield* receive(isDown, null)) as SysDown)._2);
    });
    h.s.flush();
    expect(seen).toEqual([false, "noconnection", "noconnection", "call failed: noconnection"]);
  });

  it("links are keyed by pid identity: a remote pid decoded twice is one link, one exit signal, one unlink", async () => {
    const { NodeRef, Pid, PidSet } = await import("../../../runtime/sched/index.js");
    const h = harness();
    // the distribution layer's seam, recording what the runtime asks of it (fault-free fake peer)
    const calls: string[] = [];
    h.s.remote = {
      link: (from, to) => (calls.push(`link ${from.pid} ${to}`), true),
      unlink: (from, to) => void calls.push(`unlink ${from.pid} ${to}`),
      exitSignal: (from, to, reason) => void calls.push(`exit ${from} -> ${to} ${reason}`),
    };
    // two decodings of the same remote pid: distinct objects with distinct NodeRef objects
    const decode = () => new Pid(new NodeRef("b@127.0.0.1:9001", 7, false), 3);
    const a = decode();
    const b = decode();
    expect(a).not.toBe(b);
    h.s.spawn(function* () {
      link(a);
      link(b);
      unlink(b); // removes the link made through `a`
      link(a);
      link(b);
      panic("boom");
    });
    h.s.flush();
    expect(calls).toEqual([
      "link <0.1> <b@127.0.0.1:9001/3>",
      "unlink <0.1> <b@127.0.0.1:9001/3>",
      "link <0.1> <b@127.0.0.1:9001/3>",
      "exit <0.1> -> <b@127.0.0.1:9001/3> boom",
    ]);
    // another creation of that node is another pid
    const set = new PidSet();
    set.add(a);
    set.add(b);
    set.add(new Pid(new NodeRef("b@127.0.0.1:9001", 8, false), 3));
    expect(set.size).toBe(2);
    expect(set.get(b)).toBe(a);
    expect(set.delete(decode())).toBe(true);
    expect(set.size).toBe(1);
  });
});
