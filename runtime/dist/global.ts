// The cluster-wide name table (concurrency.md §6.8): fully replicated, announced to every
// connected node, synced whole on connect, first writer wins by registration time with the
// bytewise node-name tie rule, cleanup when a local process exits or a node is lost.
import { NULL_PID, type Pid } from "../sched/pid.js";
import type { Scheduler } from "../sched/scheduler.js";
import type { WirePid } from "./wire.js";

export interface Binding {
  pid: Pid;
  /** wall-clock ms of the registration */
  time: number;
}

/** What the table needs from the node. */
export interface GlobalHost {
  readonly sched: Scheduler;
  wallNow(): number;
  /** A remote pid whose node is connected with that creation. */
  remoteAlive(pid: Pid): boolean;
  /** Sends to every connected node. */
  announce(f: { kind: "GLOBAL_REGISTER"; name: string; pid: Pid; time: number } | { kind: "GLOBAL_UNREGISTER"; name: string; pid: Pid }): void;
}

const enc = new TextEncoder();

function bytewiseLess(a: string, b: string): boolean {
  return Buffer.compare(enc.encode(a), enc.encode(b)) < 0;
}

/** Does binding `a` beat binding `b` (first writer wins; ties by node name, then serial)? */
export function beats(a: Binding, b: Binding): boolean {
  if (a.time !== b.time) return a.time < b.time;
  const an = a.pid.node.name;
  const bn = b.pid.node.name;
  if (an !== bn) return bytewiseLess(an, bn);
  return a.pid.serial < b.pid.serial;
}

export class GlobalRegistry {
  readonly table = new Map<string, Binding>();
  /** Names bound to each local process (by serial), so its exit removes them without a scan. */
  private readonly local = new Map<number, Set<string>>();

  constructor(private readonly host: GlobalHost) {}

  private alive(pid: Pid): boolean {
    if (pid.isNull()) return false;
    if (pid.node.local) return pid.proc !== null;
    return this.host.remoteAlive(pid);
  }

  register(name: string, pid: Pid): number {
    if (name === "" || this.table.has(name) || !this.alive(pid)) return 1;
    const b = { pid, time: this.host.wallNow() };
    this.bind(name, b);
    this.host.announce({ kind: "GLOBAL_REGISTER", name, pid, time: b.time });
    return 0;
  }

  whereis(name: string): Pid {
    return this.table.get(name)?.pid ?? NULL_PID;
  }

  unregister(name: string): number {
    const b = this.table.get(name);
    if (b === undefined) return 1;
    this.unbind(name, b);
    this.host.announce({ kind: "GLOBAL_UNREGISTER", name, pid: b.pid });
    return 0;
  }

  /** A binding learnt from another node (GLOBAL_REGISTER or GLOBAL_SYNC). */
  learn(name: string, pid: Pid, time: number): void {
    if (name === "" || pid.isNull()) return;
    if (pid.node.local && pid.proc === null) {
      // one of our processes that is gone (or another incarnation of this node): we own the
      // cleanup, so tell everyone
      this.host.announce({ kind: "GLOBAL_UNREGISTER", name, pid });
      return;
    }
    const cur = this.table.get(name);
    const b = { pid, time };
    if (cur === undefined) {
      this.bind(name, b);
      return;
    }
    if (cur.pid.equals(pid)) {
      if (time < cur.time) cur.time = time;
      return;
    }
    if (beats(b, cur)) {
      this.unbind(name, cur);
      this.bind(name, b);
    }
  }

  /** A removal learnt from another node: only if the name is still bound to that pid. */
  forget(name: string, pid: Pid): void {
    const cur = this.table.get(name);
    if (cur !== undefined && cur.pid.equals(pid)) this.unbind(name, cur);
  }

  /** A local process exited: its names go, and every node is told (before its Down notices). */
  processExited(pid: Pid): void {
    const names = this.local.get(pid.serial);
    if (names === undefined) return;
    this.local.delete(pid.serial);
    for (const name of names) {
      const cur = this.table.get(name);
      if (cur === undefined || !cur.pid.equals(pid)) continue;
      this.table.delete(name);
      this.host.announce({ kind: "GLOBAL_UNREGISTER", name, pid });
    }
  }

  /** Node loss (§6.6 step 1): names whose pid lives on `node` go, without announcements. */
  dropNode(node: string): void {
    for (const [name, b] of this.table) if (!b.pid.node.local && b.pid.node.name === node) this.table.delete(name);
  }

  snapshot(toWire: (p: Pid) => WirePid): { name: string; pid: WirePid; time: number }[] {
    const out: { name: string; pid: WirePid; time: number }[] = [];
    for (const [name, b] of this.table) out.push({ name, pid: toWire(b.pid), time: b.time });
    return out;
  }

  private bind(name: string, b: Binding): void {
    this.table.set(name, b);
    const pid = b.pid;
    if (!pid.node.local) return;
    let names = this.local.get(pid.serial);
    if (names === undefined) {
      names = new Set();
      this.local.set(pid.serial, names);
      const p = pid.proc;
      if (p !== null) this.host.sched.onExit(p, () => this.processExited(pid));
    }
    names.add(name);
  }

  private unbind(name: string, b: Binding): void {
    this.table.delete(name);
    if (b.pid.node.local) this.local.get(b.pid.serial)?.delete(name);
  }
}
