// Public entry of the distribution layer (concurrency.md §6–§7): the `Node` and `Global` library
// modules, one DistNode per scheduler (created on first use), and the seams tests use (in-memory
// transport, options). Everything else in runtime/dist is internal to the layer.
import { currentScheduler } from "../sched/ops.js";
import { NULL_PID, type Pid } from "../sched/pid.js";
import { rt, type Process } from "../sched/process.js";
import type { Scheduler } from "../sched/scheduler.js";
import { List } from "../core/list.js";
import { None, Some } from "../core/builtin-types.js";
import { panic } from "../core/panic.js";
import { DistNode, type DistOptions } from "./node.js";
import { spawnOptionsOf } from "./spawn-options.js";

export { DistNode, type DistOptions } from "./node.js";
export { MemoryNetwork } from "./memory-transport.js";
export { registerSpawnOptions } from "./remote.js";
export { parseNodeName } from "./handshake.js";

const nodes = new WeakMap<Scheduler, DistNode>();

/** The scheduler's node (created with `opts` on first use). */
export function distOf(s: Scheduler, opts?: DistOptions): DistNode {
  let d = nodes.get(s);
  if (d === undefined) {
    d = new DistNode(s, opts);
    nodes.set(s, d);
  }
  return d;
}

function here(): DistNode {
  return distOf(currentScheduler());
}

function me(op: string): Process {
  const p = rt.cur;
  if (p === null) panic(`${op} must be called inside a Mesh process`);
  return p;
}

function* spawnOn(link: boolean, node: string, f: Function, args: unknown[]): Generator<unknown, Pid, unknown> {
  const p = me(link ? "Node.spawn_link" : "Node.spawn");
  const d = distOf(p.sched);
  if (!d.started) return NULL_PID;
  if (node === d.name) {
    const pid = p.sched.spawn(f, args, spawnOptionsOf(f));
    if (link) p.sched.link(p, pid);
    return pid;
  }
  return yield* d.remote.spawn(p, node, f, args, link);
}

/** `lib.Node` (concurrency.md §6.1–§6.4, §6.7). */
export const Node = {
  *start(name: string, cookie: string): Generator<unknown, number, unknown> {
    const p = me("Node.start");
    return yield* distOf(p.sched).start(name, cookie, p);
  },
  *connect(target: string): Generator<unknown, number, unknown> {
    const p = me("Node.connect");
    return yield* distOf(p.sched).connect(target, p);
  },
  self(): string {
    return here().name;
  },
  list(): List<string> {
    return List.fromArray(here().list());
  },
  disconnect(name: string): number {
    return here().disconnect(name);
  },
  monitor(name: string): number {
    return here().monitorNode(me("Node.monitor"), name);
  },
  demonitor(name: string): number {
    return here().demonitorNode(me("Node.demonitor"), name);
  },
  *spawn(node: string, f: Function, ...args: unknown[]): Generator<unknown, Pid, unknown> {
    return yield* spawnOn(false, node, f, args);
  },
  *spawn_link(node: string, f: Function, ...args: unknown[]): Generator<unknown, Pid, unknown> {
    return yield* spawnOn(true, node, f, args);
  },
};

/** `lib.Global` (concurrency.md §6.8). */
export const Global = {
  register(name: string, pid: Pid): number {
    return here().global.register(name, pid);
  },
  whereis(name: string): Pid {
    return here().global.whereis(name);
  },
  lookup(name: string): unknown {
    const pid = here().global.whereis(name);
    return pid.isNull() ? None : new Some(pid);
  },
  unregister(name: string): number {
    return here().global.unregister(name);
  },
};
