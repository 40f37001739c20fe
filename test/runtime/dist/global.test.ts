// The global registry over the in-memory transport (concurrency.md §6.8): replication, sync on
// connect, first writer wins with the node-name tie rule (three nodes registering one name at
// once converge on one winner), removal announced on process exit, cleanup on node loss.
import { describe, expect, it } from "vitest";
import { Global, Node } from "../../../runtime/dist/index.js";
import { receive, self, send, SysDown, SystemMessage, monitor, type Pid } from "../../../runtime/sched/index.js";
import { cluster, type Cluster } from "./cluster.js";

type G<T = unknown> = Generator<unknown, T, unknown>;
const user = (m: unknown): unknown => (m instanceof SystemMessage ? undefined : m);
const isDown = (m: unknown): unknown => (m instanceof SysDown ? m : undefined);

const NAMES = ["a@h:1", "b@h:2", "c@h:3"];

/** Three started, unconnected nodes; node i's wall clock is `times[i]` (fixed). */
function three(times: number[]): Cluster {
  const c = cluster(3, (i) => ({ wallNow: () => times[i]! }));
  c.nodes.forEach((n, i) =>
    n.s.spawn(function* (): G {
      yield* Node.start(NAMES[i]!, "k");
    }),
  );
  c.settle();
  return c;
}

/** Registers `name` on node i for a fresh idle process there; returns its pid and the result. */
function registerOn(c: Cluster, i: number, name: string): { pid: Pid; rc: number } {
  const out = { pid: null as unknown as Pid, rc: -1 };
  c.nodes[i]!.s.spawn(function* (): G {
    out.pid = self();
    out.rc = Global.register(name, self());
    yield* receive(user, null);
  });
  c.settle();
  return out;
}

function connectAll(c: Cluster): void {
  c.nodes[0]!.s.spawn(function* (): G {
    yield* Node.connect(NAMES[1]!);
    yield* Node.connect(NAMES[2]!);
  });
  c.settle();
}

function view(c: Cluster, name: string): string[] {
  return c.nodes.map((n) => {
    const p = n.d.global.whereis(name);
    return p.isNull() ? "-" : `${p.node.name}/${p.serial}`;
  });
}

describe("Global registry", () => {
  it("three nodes register one name at once: the earliest registration wins everywhere", () => {
    const c = three([300, 100, 200]);
    const regs = [0, 1, 2].map((i) => registerOn(c, i, "leader"));
    expect(regs.map((r) => r.rc)).toEqual([0, 0, 0]);
    connectAll(c);
    const v = view(c, "leader");
    expect(v[0]).toBe(`b@h:2/${regs[1]!.pid.serial}`);
    expect(new Set(v).size).toBe(1);
  });

  it("equal registration times: the smaller node name wins everywhere", () => {
    const c = three([500, 500, 500]);
    const regs = [2, 1, 0].map((i) => registerOn(c, i, "leader"));
    connectAll(c);
    const v = view(c, "leader");
    expect(v).toEqual(Array(3).fill(`a@h:1/${regs[2]!.pid.serial}`));
  });

  it("convergence after a partition heals: same winner whichever side connects", () => {
    const c = three([100, 100, 50]);
    registerOn(c, 0, "x");
    c.nodes[0]!.s.spawn(function* (): G {
      yield* Node.connect(NAMES[1]!);
    });
    c.settle();
    expect(view(c, "x")[1]).toBe(view(c, "x")[0]);
    const late = registerOn(c, 2, "x"); // earlier time (50) on the partitioned node
    c.nodes[2]!.s.spawn(function* (): G {
      yield* Node.connect(NAMES[1]!);
    });
    c.settle();
    expect(view(c, "x")).toEqual(Array(3).fill(`c@h:3/${late.pid.serial}`));
  });

  it("register before Node.start is synced on connect; duplicates, empty names and dead pids give 1", () => {
    const c = cluster(2);
    let rcs: number[] = [];
    const dead = c.nodes[1]!.s.spawn(function* (): G {});
    c.settle();
    c.nodes[1]!.s.spawn(function* (): G {
      rcs = [Global.register("early", self()), Global.register("early", self()), Global.register("", self()), Global.register("d", dead)];
      yield* Node.start("b@h:2", "k");
      yield* receive(user, null);
    });
    c.settle();
    expect(rcs).toEqual([0, 1, 1, 1]);
    let seen = "";
    c.nodes[0]!.s.spawn(function* (): G {
      yield* Node.start("a@h:1", "k");
      yield* Node.connect("b@h:2");
      // visible as soon as connect returns
      seen = `${Global.whereis("early").node.name} ${Global.lookup("nope") !== null}`;
    });
    c.settle();
    expect(seen).toBe("b@h:2 true");
  });

  it("a process exit removes its names everywhere before its Down reaches a remote monitor", () => {
    const c = three([1, 2, 3]);
    connectAll(c);
    const r = registerOn(c, 1, "temp");
    c.settle();
    const log: string[] = [];
    c.nodes[0]!.s.spawn(function* (): G {
      const t = Global.whereis("temp");
      monitor(t);
      send(t, "stop");
      const d = (yield* receive(isDown, 1000)) as SysDown;
      log.push(`${d._2} name gone ${Global.whereis("temp").isNull()}`);
    });
    c.advance(100);
    expect(r.rc).toBe(0);
    expect(log).toEqual(["normal name gone true"]);
    expect(view(c, "temp")).toEqual(["-", "-", "-"]);
  });

  it("unregister is announced; a stale removal does not remove a newer binding; node loss drops names", () => {
    const c = three([1, 2, 3]);
    connectAll(c);
    registerOn(c, 1, "n1");
    let rc: number[] = [];
    c.nodes[2]!.s.spawn(function* (): G {
      rc = [Global.unregister("n1"), Global.unregister("n1")];
    });
    c.settle();
    expect(rc).toEqual([0, 1]);
    expect(view(c, "n1")).toEqual(["-", "-", "-"]);
    registerOn(c, 2, "n2");
    registerOn(c, 2, "n3");
    registerOn(c, 0, "n4");
    expect(view(c, "n2").every((x) => x.startsWith("c@h:3/"))).toBe(true);
    c.nodes[0]!.s.spawn(function* (): G {
      Node.disconnect(NAMES[2]!);
    });
    c.settle();
    // a lost c: a removes c's names; b still holds them (its session with c lives)
    expect(view(c, "n2")[0]).toBe("-");
    expect(view(c, "n2")[1]).not.toBe("-");
    expect(view(c, "n4")[2]).toBe("-");
  });
});
