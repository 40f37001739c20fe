// Remote pids over the in-memory transport (concurrency.md §4.6, §6.5–§6.7): send, links, exit
// signals, monitors, Process.exit across nodes, remote spawn by registry key, pids of a restarted
// node, and service calls/casts with replies, failures, timeouts and unsendable replies.
import { describe, expect, it } from "vitest";
import { Global, Node, registerSpawnOptions } from "../../../runtime/dist/index.js";
import {
  exit,
  isAlive,
  link,
  monitor,
  NULL_PID,
  receive,
  reasonOf,
  self,
  send,
  serviceCall,
  serviceCast,
  sendAfter,
  sleep,
  startService,
  SysDown,
  SysExit,
  SystemMessage,
  TIMEOUT,
  trapExit,
  type Pid,
  type ServiceDef,
} from "../../../runtime/sched/index.js";
import { registerFunctions } from "../../../runtime/core/ops.js";
import { List } from "../../../runtime/core/list.js";
import { cluster, type Cluster } from "./cluster.js";

type G<T = unknown> = Generator<unknown, T, unknown>;

const A = "a@h:1";
const B = "b@h:2";

const user = (m: unknown): unknown => (m instanceof SystemMessage ? undefined : m);
const isExit = (m: unknown): unknown => (m instanceof SysExit ? m : undefined);
const isDown = (m: unknown): unknown => (m instanceof SysDown ? m : undefined);

function* crasher(): G {
  yield* receive(user, null);
  throw new Error("remote failure");
}
function* echo(replyTo: Pid, tag: string): G {
  const m = yield* receive(user, null);
  send(replyTo, List.of(tag, m));
}
function* waiter(): G {
  yield* receive(user, null);
}
const onlyOnA = (): number => 1;
registerFunctions({ "DistTest.crasher/0": crasher, "DistTest.echo/2": echo, "DistTest.waiter/0": waiter, "DistTest.only_on_a/0": onlyOnA });

/** Two started, connected nodes; B does not know DistTest.only_on_a/0. */
function pair(): Cluster {
  const c = cluster(2, (i) => (i === 1 ? { lookupFunction: (k) => (k === "DistTest.only_on_a/0" ? undefined : { "DistTest.crasher/0": crasher, "DistTest.echo/2": echo, "DistTest.waiter/0": waiter }[k]) } : {}));
  c.nodes[0]!.s.spawn(function* (): G {
    yield* Node.start(A, "k");
  });
  c.nodes[1]!.s.spawn(function* (): G {
    yield* Node.start(B, "k");
  });
  c.settle();
  c.nodes[0]!.s.spawn(function* (): G {
    if ((yield* Node.connect(B)) !== 0) throw new Error("connect failed");
  });
  c.settle();
  return c;
}

function run(c: Cluster, i: number, body: () => G): void {
  c.nodes[i]!.s.spawn(body);
}

describe("remote processes", () => {
  it("send, spawn by key (unknown key → null pid), replies carrying pids", () => {
    const c = pair();
    const log: string[] = [];
    run(c, 0, function* () {
      const missing = yield* Node.spawn(B, onlyOnA);
      log.push(`missing null: ${missing.isNull()}`);
      const wrong = yield* Node.spawn(B, echo, self());
      log.push(`wrong arity null: ${wrong.isNull()}`);
      const p = yield* Node.spawn(B, echo, self(), "t1");
      log.push(`remote: ${!p.isNull() && !p.isLocal()}`);
      send(p, List.of(1, "two", self()));
      const m = (yield* receive(user, 1000)) as List;
      const [tag, inner] = m.toArray() as [string, List];
      const arr = inner.toArray();
      log.push(`${tag} ${arr[0]} ${arr[1]} back to me: ${(arr[2] as Pid).equals(self())}`);
    });
    c.advance(100);
    expect(log).toEqual(["missing null: true", "wrong arity null: true", "remote: true", "t1 1 two back to me: true"]);
    expect(c.nodes[1]!.err).toContain(`[mesh] dist: dropped message from ${A}: DistTest.echo/2 takes 2 arguments, got 1`);
  });

  it("spawn_link: a remote crash reaches the trapping caller; Process.exit kill across nodes", () => {
    const c = pair();
    const log: string[] = [];
    run(c, 0, function* () {
      trapExit(true);
      const f = yield* Node.spawn_link(B, crasher);
      send(f, "go");
      const e = (yield* receive(isExit, 1000)) as SysExit;
      log.push(`exit ${e._1} from remote ${e._0.equals(f)}`);
      const w = yield* Node.spawn(B, waiter);
      monitor(w);
      exit(w, "kill");
      const d = (yield* receive(isDown, 1000)) as SysDown;
      log.push(`down ${d._2}`);
    });
    c.advance(100);
    expect(log).toEqual(["exit remote failure from remote true", "down killed"]);
  });

  it("a local exit reaches a remote linked process; link to a missing remote pid gives noproc", () => {
    const c = pair();
    const log: string[] = [];
    let remotePid: Pid = NULL_PID;
    run(c, 1, function* () {
      trapExit(true);
      Global.register("watcher", self());
      const e = (yield* receive(isExit, 5000)) as SysExit;
      log.push(`b got exit ${e._1}`);
    });
    c.settle();
    run(c, 0, function* () {
      remotePid = Global.whereis("watcher");
      link(remotePid);
      yield* sleep(10);
      throw new Error("local crash");
    });
    c.advance(100);
    expect(log).toEqual(["b got exit local crash"]);
    run(c, 0, function* () {
      trapExit(true);
      link(remotePid); // the watcher exited: the peer answers noproc
      const e = (yield* receive(isExit, 1000)) as SysExit;
      log.push(`a got exit ${e._1}`);
    });
    c.advance(100);
    expect(log[1]).toBe("a got exit noproc");
  });

  it("monitors: normal exit, noproc for a dead pid, is_alive", () => {
    const c = pair();
    const log: string[] = [];
    run(c, 0, function* () {
      const w = yield* Node.spawn(B, waiter);
      log.push(`alive ${isAlive(w)}`);
      monitor(w);
      send(w, "stop");
      const d = (yield* receive(isDown, 1000)) as SysDown;
      log.push(`down ${d._2} ${d._1.equals(w)}`);
      monitor(w);
      const d2 = (yield* receive(isDown, 1000)) as SysDown;
      log.push(`again ${d2._2}`);
    });
    c.advance(100);
    expect(log).toEqual(["alive true", "down normal true", "again noproc"]);
  });

  it("pids of a restarted node are dead: sends dropped, monitors say noproc", () => {
    const c = cluster(3);
    const log: string[] = [];
    run(c, 0, function* () {
      yield* Node.start(A, "k");
    });
    run(c, 1, function* () {
      yield* Node.start(B, "k");
      Global.register("old", self());
      yield* receive(user, null);
    });
    c.settle();
    let old: Pid = NULL_PID;
    run(c, 0, function* () {
      yield* Node.connect(B);
      old = Global.whereis("old");
    });
    c.settle();
    // node B stops (BYE) and a new incarnation starts with the same name
    c.nodes[1]!.d.halt();
    c.settle();
    run(c, 2, function* () {
      log.push(`restart ${yield* Node.start(B, "k")}`);
    });
    c.settle();
    run(c, 0, function* () {
      log.push(`reconnect ${yield* Node.connect(B)}`);
      send(old, "hello?");
      monitor(old);
      const d = (yield* receive(isDown, 1000)) as SysDown;
      log.push(`old pid: ${d._2}, alive ${isAlive(old)}`);
    });
    c.advance(100);
    // the new incarnation itself sees its predecessor's pids as dead too
    run(c, 2, function* () {
      monitor(old);
      const d = (yield* receive(isDown, 1000)) as SysDown;
      log.push(`own old pid: ${d._2}`);
    });
    c.advance(100);
    expect(log).toEqual(["restart 0", "reconnect 0", "old pid: noproc, alive false", "own old pid: noproc"]);
    expect(c.nodes[0]!.d.creation).not.toBe(0);
  });
});

const counter: ServiceDef = {
  name: "Counter",
  init: (n: number) => n,
  calls: {
    Get: (st: number) => [st, st],
    Closure: (st: number) => [st, () => st],
    *Slow(st: number): G {
      yield* sleep(60_000);
      return [st, st];
    },
    Crash: () => {
      throw new Error("counter crashed");
    },
  },
  casts: { Add: (st: number, k: number) => st + k },
};

describe("service calls across nodes", () => {
  function withService(): Cluster {
    const c = pair();
    run(c, 1, function* () {
      const pid = yield* startService(counter, [10]);
      Global.register("counter", pid);
    });
    c.settle();
    return c;
  }

  function* attempt(pid: Pid, handler: string): G<string> {
    try {
      return `ok ${yield* serviceCall(pid, "Counter", handler, [])}`;
    } catch (e) {
      return reasonOf(e);
    }
  }

  it("call and cast; an unsendable reply fails the call and the service keeps running", () => {
    const c = withService();
    const log: string[] = [];
    run(c, 0, function* () {
      const pid = Global.whereis("counter");
      log.push(yield* attempt(pid, "Get"));
      serviceCast(pid, "Counter", "Add", [5]);
      log.push(yield* attempt(pid, "Get"));
      log.push(yield* attempt(pid, "Closure"));
      log.push(yield* attempt(pid, "Get"));
      try {
        yield* serviceCall(pid, "Other", "Get", []);
      } catch (e) {
        log.push(reasonOf(e));
      }
    });
    c.advance(100);
    expect(log).toEqual(["ok 10", "ok 15", "call failed: unsendable value: Fun", "ok 15", "call failed: wrong_service"]);
  });

  it("unsendable call arguments crash the caller with unsendable value: Fun", () => {
    const c = withService();
    const log: string[] = [];
    run(c, 0, function* () {
      const pid = Global.whereis("counter");
      const p = c.nodes[0]!.s.spawn(function* (): G {
        serviceCast(pid, "Counter", "Add", [() => 1]);
      });
      monitor(p);
      const d = (yield* receive(isDown, 1000)) as SysDown;
      log.push(d._2);
    });
    c.advance(100);
    expect(log).toEqual(["unsendable value: Fun"]);
  });

  it("the 5 s call timeout, a crashing service, and noconnection when the node goes", () => {
    const c = withService();
    const log: string[] = [];
    run(c, 0, function* () {
      const pid = Global.whereis("counter");
      log.push(yield* attempt(pid, "Slow"));
    });
    c.advance(4900, 100);
    expect(log).toEqual([]);
    c.advance(200, 100);
    expect(log).toEqual(["call failed: timeout"]);
    // the service is still busy with Slow; a second call waits behind it and the node goes away
    run(c, 0, function* () {
      const pid = Global.whereis("counter");
      log.push(yield* attempt(pid, "Get"));
    });
    c.advance(1000, 100);
    run(c, 1, function* () {
      Node.disconnect(A);
    });
    c.settle();
    expect(log).toEqual(["call failed: timeout", "call failed: noconnection"]);
  });

  it("a service crash during a remote call fails it with the exit reason; a later call says noproc", () => {
    const c = withService();
    const log: string[] = [];
    run(c, 0, function* () {
      const pid = Global.whereis("counter");
      log.push(yield* attempt(pid, "Crash"));
      log.push(yield* attempt(pid, "Get"));
    });
    c.advance(100);
    expect(log).toEqual(["call failed: counter crashed", "call failed: noproc"]);
  });
});

describe("actors spawned by key", () => {
  it("keep their kind, name and terminate clause on the remote node", () => {
    const c = pair();
    const seen: string[] = [];
    registerSpawnOptions({
      "DistTest.waiter/0": { kind: "actor", name: "waiter", terminate: (args: unknown[]) => void seen.push(`terminate ${args.length}`) },
    });
    run(c, 0, function* () {
      const w = yield* Node.spawn(B, waiter);
      monitor(w);
      exit(w, "shutdown");
      const d = (yield* receive(isDown, 1000)) as SysDown;
      seen.push(`down ${d._2}`);
      const x = yield* Node.spawn(B, crasher);
      send(x, "go");
    });
    c.advance(100);
    expect(seen).toEqual(["terminate 0", "down shutdown"]);
    expect(c.nodes[1]!.err.some((l) => /^\[mesh\] process <0\.\d+> crashed: remote failure$/.test(l))).toBe(true);
  });
});

describe("timers aimed at remote pids", () => {
  it("Timer.send_after delivers to a remote pid; an unsendable one is dropped with a log line", () => {
    const c = pair();
    const log: string[] = [];
    run(c, 1, function* () {
      Global.register("t", self());
      log.push(`got ${yield* receive(user, 5000)}`);
      log.push(`then ${String(yield* receive(user, 2000)) === String(TIMEOUT) ? "nothing" : "something"}`);
    });
    c.settle();
    run(c, 0, function* () {
      const t = Global.whereis("t");
      sendAfter(t, 100, "late hello");
      sendAfter(t, 200, () => 1);
    });
    c.advance(3000, 50);
    expect(log).toEqual(["got late hello", "then nothing"]);
    expect(c.nodes[0]!.err.some((l) => l.includes("dropped message to <b@h:2/") && l.endsWith("unsendable value: Fun"))).toBe(true);
  });
});

describe("stream splitting", () => {
  it("frames cut into 7-byte pieces (handshake included) and a 3 MiB message arrive intact", () => {
    const c = cluster(2);
    c.net.chunkSize = 7;
    const log: string[] = [];
    run(c, 1, function* () {
      yield* Node.start(B, "k");
      Global.register("sink", self());
      const m = (yield* receive(user, 60_000)) as string;
      log.push(`got ${m.length} ${m.slice(0, 3)}`);
    });
    c.settle();
    c.net.chunkSize = 7;
    run(c, 0, function* () {
      yield* Node.start(A, "k");
      log.push(`connect ${yield* Node.connect(B)}`);
      c.net.chunkSize = 65536;
      send(Global.whereis("sink"), "abc" + "é".repeat(3 << 19));
    });
    c.advance(100);
    expect(log).toEqual(["connect 0", `got ${3 + (3 << 19)} abc`]);
  });
});

describe("receive after timeouts keep working with remote traffic", () => {
  it("a process waiting with after 0 on remote messages sees TIMEOUT", () => {
    const c = pair();
    let r: unknown = null;
    run(c, 0, function* () {
      r = yield* receive(user, 0);
    });
    c.settle();
    expect(r).toBe(TIMEOUT);
  });
});
