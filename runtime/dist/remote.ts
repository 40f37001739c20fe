// Remote pids over sessions (concurrency.md §6.5–§6.7, §4.6, §7.6): the scheduler's RemoteHooks
// (send, link, monitor, exit signals, calls, casts) turned into frames, and the frames that act
// on local processes (SEND … CALL_FAIL) turned back into scheduler operations. Remote spawn by
// function-registry key lives here too.
import { ExitNotice, signal } from "../sched/exits.js";
import { panic, reasonOf } from "../sched/errors.js";
import { SysDown, SysExit } from "../sched/messages.js";
import { NULL_PID, type Pid } from "../sched/pid.js";
import { EXITED, extOf, monAdd, monRemove, rt, RUNNING, type Process } from "../sched/process.js";
import type { RemoteHooks } from "../sched/scheduler.js";
import { CallReq, DONE, failCall, PENDING } from "../sched/entries.js";
import { serviceCall, serviceCast } from "../sched/service.js";
import { functionKey } from "../core/ops.js";
import { spawnOptionsOf } from "./spawn-options.js";
import { deliverRemoteBroadcast } from "../web/ws.js";
import type { Connection, OutFrame } from "./connection.js";
import type { DistNode } from "./node.js";
import { Waiter, waitFor } from "./wait.js";
import { UnsendableValue, type Frame, type WirePid, type WireTo } from "./wire.js";

/** A call to a remote service; the caller waits on it like on a local CallReq. */
class RemoteCall extends CallReq {
  constructor(
    service: string,
    handler: string,
    args: unknown[],
    caller: Process,
    ref: number,
    readonly conn: Connection,
  ) {
    // the "target" of a remote call is the caller itself: nothing local is monitored
    super(service, handler, args, caller, ref, caller);
  }
}

/** A remote process monitoring a local one: its exit sends DOWN. */
class RemoteMonitor extends ExitNotice {
  constructor(
    readonly side: RemoteSide,
    readonly conn: Connection,
    readonly watcher: WirePid,
    readonly ref: number,
    readonly target: Process,
  ) {
    super();
  }
  notify(pid: Pid, reason: string): void {
    this.side.monitorFired(this, pid, reason);
  }
}

interface PendingSpawn {
  conn: Connection;
  waiter: Waiter<Pid>;
  link: boolean;
}

/** Per-connection bookkeeping of remote.ts. */
class ConnState {
  readonly calls = new Map<number, RemoteCall>();
  readonly spawns = new Map<number, PendingSpawn>();
  /** incoming monitors by `${watcher id}:${ref}` */
  readonly monitors = new Map<string, RemoteMonitor>();
}

function unsendable(e: unknown): never {
  if (e instanceof UnsendableValue) panic(e.message);
  throw e;
}

export class RemoteSide {
  readonly hooks: RemoteHooks;
  private readonly state = new WeakMap<Connection, ConnState>();
  private nextRef = 1;

  constructor(private readonly node: DistNode) {
    this.hooks = {
      send: (to, msg) => this.send(to, msg),
      link: (from, to) => this.link(from, to),
      unlink: (from, to) => {
        const c = node.sessionFor(to);
        c?.send({ kind: "UNLINK", from: node.toWire(from.pid), to: node.wireTo(to) });
      },
      monitor: (from, to, ref) => this.monitor(from, to, ref),
      demonitor: (from, to, ref) => {
        const c = node.sessionFor(to);
        c?.send({ kind: "DEMONITOR", watcher: node.toWire(from.pid), to: node.wireTo(to), ref });
      },
      exitSignal: (from, to, reason, kill, viaExit) => this.exitSignal(from, to, reason, kill, viaExit === true),
      isAlive: (to) => node.sessionFor(to) !== null,
      keepAlive: () => node.keepAlive(),
      call: (caller, to, service, handler, args) => this.call(caller, to, service, handler, args),
      cast: (to, service, handler, args) => {
        const c = node.sessionFor(to);
        if (c === null) return;
        try {
          c.send({ kind: "CAST", to: node.wireTo(to), service, handler, args });
        } catch (e) {
          if (rt.cur !== null && rt.cur.status === RUNNING) unsendable(e);
          node.log(`dropped message to ${to}: ${reasonOf(e)}`);
        }
      },
      halt: () => node.halt(),
    };
  }

  private st(c: Connection): ConnState {
    let x = this.state.get(c);
    if (x === undefined) this.state.set(c, (x = new ConnState()));
    return x;
  }

  // ---- outgoing ---------------------------------------------------------------------------------

  private send(to: Pid, msg: unknown): void {
    const node = this.node;
    const c = node.sessionFor(to);
    if (c === null) return; // not connected, or a dead incarnation: dropped (§6.5)
    try {
      c.sendMessage(to.serial, to.node.creation, msg);
    } catch (e) {
      if (!(e instanceof UnsendableValue)) throw e;
      // the sender crashes; outside a process (a timer's message) the message is just dropped
      if (rt.cur !== null && rt.cur.status === RUNNING) panic(e.message);
      node.log(`dropped message to ${to}: ${e.message}`);
    }
  }

  /** A link or monitor to a pid of a dead incarnation of a connected node: answered noproc. */
  private deadIncarnation(to: Pid): boolean {
    // a pid of an earlier incarnation of this very node
    if (this.node.started && to.node.name === this.node.name) return true;
    const c = this.node.sessions.get(to.node.name);
    return c !== undefined && c.peerCreation !== to.node.creation;
  }

  private link(from: Process, to: Pid): boolean {
    const node = this.node;
    const c = node.sessionFor(to);
    if (c === null) {
      if (!this.deadIncarnation(to)) return false;
      // the link is recorded by the caller; the noproc exit follows as if the peer answered
      node.defer(() => this.onExit(from, to, "noproc", 0));
      return true;
    }
    c.send({ kind: "LINK", from: node.toWire(from.pid), to: node.wireTo(to) });
    return true;
  }

  private monitor(from: Process, to: Pid, ref: number): boolean {
    const node = this.node;
    const c = node.sessionFor(to);
    if (c === null) {
      if (!this.deadIncarnation(to)) return false;
      node.defer(() => this.onDown(from, ref, to, "noproc"));
      return true;
    }
    c.send({ kind: "MONITOR", watcher: node.toWire(from.pid), to: node.wireTo(to), ref });
    return true;
  }

  private exitSignal(from: Pid, to: Pid, reason: string, kill: boolean, viaExit: boolean): void {
    const node = this.node;
    const c = node.sessionFor(to);
    if (c === null) return;
    // an exiting process's global names are announced gone before its exit signals (§6.8)
    if (from.node.local && from.proc === null) node.global.processExited(from);
    c.send({
      kind: "EXIT",
      from: node.toWire(from),
      to: node.wireTo(to),
      origin: viaExit ? 1 : 0,
      reason: kill ? "kill" : reason,
    });
  }

  private call(caller: Process, to: Pid, service: string, handler: string, args: unknown[]): CallReq {
    const node = this.node;
    const c = node.sessionFor(to);
    if (c === null) panic(this.deadIncarnation(to) ? "call failed: noproc" : "call failed: noconnection");
    const ref = this.nextRef++;
    try {
      c.send({
        kind: "CALL",
        ref,
        caller: node.toWire(caller.pid),
        to: node.wireTo(to),
        service,
        handler,
        args,
      });
    } catch (e) {
      unsendable(e);
    }
    const req = new RemoteCall(service, handler, args, caller, ref, c);
    this.st(c).calls.set(ref, req);
    return req;
  }

  /** Node.spawn / Node.spawn_link to another node: suspends until SPAWN_REPLY or node loss. */
  *spawn(me: Process, target: string, f: Function, args: unknown[], link: boolean): Generator<unknown, Pid, unknown> {
    const node = this.node;
    const c = node.sessions.get(target);
    if (c === undefined) return NULL_PID;
    const key = functionKey(f);
    if (key === undefined) panic("Node.spawn: the function is not a top-level fn or actor");
    const req = this.nextRef++;
    try {
      c.send({ kind: "SPAWN", req, requester: node.toWire(me.pid), link, key, args });
    } catch (e) {
      unsendable(e);
    }
    const waiter = new Waiter<Pid>(me, NULL_PID);
    this.st(c).spawns.set(req, { conn: c, waiter, link });
    return yield* waitFor(waiter);
  }

  // ---- incoming ---------------------------------------------------------------------------------

  frame(c: Connection, f: Frame): void {
    const node = this.node;
    const s = node.sched;
    switch (f.kind) {
      case "SEND": {
        const q = node.localProc(f.to);
        if (q === null) return;
        if (!f.msg.ok) {
          node.log(`dropped message from ${c.peerName}: ${f.msg.error}`);
          return;
        }
        s.deliver(q, f.msg.value);
        return;
      }
      case "LINK": {
        const from = node.fromWire(f.from);
        const q = node.localProc(f.to);
        if (q === null) {
          c.send({ kind: "EXIT", from: this.ownWire(f.to), to: node.wireTo(from), origin: 0, reason: "noproc" });
          return;
        }
        const links = (extOf(q).links ??= new Set());
        for (const l of links) if (l.equals(from)) return;
        links.add(from);
        return;
      }
      case "UNLINK": {
        const q = node.localProc(f.to);
        if (q === null) return;
        removeLink(q, node.fromWire(f.from));
        return;
      }
      case "EXIT": {
        const q = node.localProc(f.to);
        if (q === null) return;
        this.onExit(q, node.fromWire(f.from), f.reason, f.origin);
        return;
      }
      case "MONITOR": {
        const q = node.localProc(f.to);
        if (q === null) {
          c.send({ kind: "DOWN", watched: this.ownWire(f.to), to: { id: f.watcher.id, creation: f.watcher.creation }, ref: f.ref, reason: "noproc" });
          return;
        }
        const m = new RemoteMonitor(this, c, f.watcher, f.ref, q);
        this.st(c).monitors.set(`${f.watcher.id}:${f.ref}`, m);
        monAdd(q, m);
        return;
      }
      case "DEMONITOR": {
        const st = this.st(c);
        const key = `${f.watcher.id}:${f.ref}`;
        const m = st.monitors.get(key);
        if (m === undefined) return;
        st.monitors.delete(key);
        monRemove(m.target, m);
        return;
      }
      case "DOWN": {
        const q = node.localProc(f.to);
        if (q === null) return;
        this.onDown(q, f.ref, node.fromWire(f.watched), f.reason);
        return;
      }
      case "SPAWN":
        this.onSpawn(c, f);
        return;
      case "SPAWN_REPLY": {
        const st = this.st(c);
        const p = st.spawns.get(f.req);
        if (p === undefined) return;
        st.spawns.delete(f.req);
        const me = p.waiter.proc;
        if (f.status !== 0 || f.pid === undefined) {
          p.waiter.settle(NULL_PID);
          return;
        }
        const pid = node.fromWire(f.pid);
        if (p.link) {
          if (me.status === EXITED) {
            c.send({ kind: "EXIT", from: node.toWire(me.pid), to: node.wireTo(pid), origin: 0, reason: "noproc" });
          } else {
            // linked before the requester runs again, so an EXIT right behind this reply finds it
            (extOf(me).links ??= new Set()).add(pid);
          }
        }
        p.waiter.settle(pid);
        return;
      }
      case "CALL":
        this.onCall(c, f);
        return;
      case "CAST": {
        const q = node.localProc(f.to);
        if (q === null) return;
        if (!f.args.ok) {
          node.log(`dropped message from ${c.peerName}: ${f.args.error}`);
          return;
        }
        serviceCast(q.pid, f.service, f.handler, f.args.value as unknown[]);
        return;
      }
      case "REPLY": {
        const st = this.st(c);
        const req = st.calls.get(f.ref);
        if (req === undefined) return;
        st.calls.delete(f.ref);
        if (!f.reply.ok) {
          node.log(`dropped message from ${c.peerName}: ${f.reply.error}`);
          failCall(req, "bad reply");
          return;
        }
        completeCall(req, f.reply.value);
        return;
      }
      case "CALL_FAIL": {
        const st = this.st(c);
        const req = st.calls.get(f.ref);
        if (req === undefined) return;
        st.calls.delete(f.ref);
        failCall(req, f.reason);
        return;
      }
      default:
        throw new Error(`unexpected ${f.kind} frame`);
    }
  }

  /** The wire pid of a local process named by a `to` (it may no longer exist). */
  private ownWire(to: WireTo): WirePid {
    return { node: this.node.name, creation: to.creation, id: to.id };
  }

  /** An exit signal from a remote (or dead-incarnation) pid to local process q. */
  private onExit(q: Process, from: Pid, reason: string, origin: number): void {
    if (q.status === EXITED) return;
    const s = this.node.sched;
    if (origin === 0) {
      // only a link that still exists carries a link's exit signal
      if (!removeLink(q, from)) return;
      signal(s, q, from, reason, false);
      return;
    }
    if (reason === "kill") signal(s, q, from, "killed", true);
    else signal(s, q, from, reason, false);
  }

  private onDown(q: Process, ref: number, watched: Pid, reason: string): void {
    if (q.status === EXITED) return;
    const mons = q.ext?.monitors;
    const m = mons?.get(ref);
    if (m === undefined || !m.target.equals(watched)) return;
    mons!.delete(ref);
    this.node.sched.deliver(q, new SysDown(ref, m.target, reason));
  }

  /** A local process monitored from another node exited. */
  monitorFired(m: RemoteMonitor, pid: Pid, reason: string): void {
    const st = this.state.get(m.conn);
    st?.monitors.delete(`${m.watcher.id}:${m.ref}`);
    if (m.conn.closed) return;
    this.node.global.processExited(pid);
    m.conn.send({
      kind: "DOWN",
      watched: this.node.toWire(pid),
      to: { id: m.watcher.id, creation: m.watcher.creation },
      ref: m.ref,
      reason,
    });
  }

  private onSpawn(c: Connection, f: Extract<Frame, { kind: "SPAWN" }>): void {
    const node = this.node;
    const fn = node.lookupFunction(f.key);
    const reply = (status: 0 | 1 | 2, text: string, pid?: Pid): void => {
      const to = { id: f.requester.id, creation: f.requester.creation };
      if (status === 0) c.send({ kind: "SPAWN_REPLY", req: f.req, to, status, pid: node.toWire(pid!) });
      else c.send({ kind: "SPAWN_REPLY", req: f.req, to, status, text });
    };
    if (fn === undefined) {
      reply(1, `unknown function ${f.key}`);
      return;
    }
    if (!f.args.ok) {
      node.log(`dropped message from ${c.peerName}: ${f.args.error}`);
      reply(2, f.args.error);
      return;
    }
    const args = f.args.value as unknown[];
    const slash = f.key.lastIndexOf("/");
    const arity = Number(f.key.slice(slash + 1));
    if (args.length !== arity) {
      node.log(`dropped message from ${c.peerName}: ${f.key} takes ${arity} arguments, got ${args.length}`);
      reply(2, "wrong number of arguments");
      return;
    }
    const opts = spawnOptionsOf(fn);
    const pid = node.sched.spawn(fn, args, opts);
    if (f.link) {
      // linked before the new process first runs (§6.7)
      const requester = node.fromWire(f.requester);
      if (!requester.isNull()) (extOf(pid.proc!).links ??= new Set()).add(requester);
    }
    reply(0, "", pid);
  }

  private onCall(c: Connection, f: Extract<Frame, { kind: "CALL" }>): void {
    const node = this.node;
    const to = { id: f.caller.id, creation: f.caller.creation };
    const q = node.localProc(f.to);
    if (q === null) {
      c.send({ kind: "CALL_FAIL", ref: f.ref, to, reason: "noproc" });
      return;
    }
    if (q.info.svc !== f.service) {
      c.send({ kind: "CALL_FAIL", ref: f.ref, to, reason: "wrong_service" });
      return;
    }
    if (!f.args.ok) {
      node.log(`dropped message from ${c.peerName}: ${f.args.error}`);
      c.send({ kind: "CALL_FAIL", ref: f.ref, to, reason: "bad request" });
      return;
    }
    // a small local process makes the call, so the service sees an ordinary request
    node.sched.spawn(callProxy, [c, f.ref, to, q.pid, f.service, f.handler, f.args.value as unknown[]]);
  }

  /** ROOM_BROADCAST from another node: this node's members only, never forwarded (§6.9). */
  roomBroadcast(room: string, text: string): void {
    deliverRemoteBroadcast(room, text, this.node.sched);
  }

  // ---- node loss --------------------------------------------------------------------------------

  /** Monitors held by the lost node's processes on local processes are dropped. */
  dropIncoming(c: Connection): void {
    const st = this.state.get(c);
    if (st === undefined) return;
    for (const m of st.monitors.values()) monRemove(m.target, m);
    st.monitors.clear();
  }

  /** §6.6 step 4. */
  failPending(c: Connection): void {
    const st = this.state.get(c);
    if (st === undefined) return;
    for (const req of st.calls.values()) failCall(req, "noconnection");
    st.calls.clear();
    for (const p of st.spawns.values()) p.waiter.settle(NULL_PID);
    st.spawns.clear();
  }
}

function removeLink(q: Process, from: Pid): boolean {
  const links = q.ext?.links;
  if (links === null || links === undefined) return false;
  for (const l of links) {
    if (l === from || l.equals(from)) {
      links.delete(l);
      return true;
    }
  }
  return false;
}

function completeCall(req: CallReq, value: unknown): void {
  if (req.state !== PENDING) return;
  req.state = DONE;
  req.value = value;
  const c = req.caller;
  if (c.waitObj === req) {
    c.waitObj = null;
    c.sched.enqueue(c);
  }
}

const CALL_FAILED = "call failed: ";

/** Runs a remote node's CALL as a local call and answers with exactly one REPLY or CALL_FAIL. */
function* callProxy(
  c: Connection,
  ref: number,
  to: WireTo,
  pid: Pid,
  service: string,
  handler: string,
  args: unknown[],
): Generator<unknown, void, unknown> {
  let out: OutFrame;
  try {
    const v = yield* serviceCall(pid, service, handler, args);
    out = { kind: "REPLY", ref, to, reply: v };
  } catch (e) {
    const r = reasonOf(e);
    out = { kind: "CALL_FAIL", ref, to, reason: r.startsWith(CALL_FAILED) ? r.slice(CALL_FAILED.length) : r };
  }
  if (c.closed) return;
  try {
    c.send(out);
  } catch (e) {
    // the reply cannot cross nodes: the caller fails, the service keeps running (§4.6)
    c.send({ kind: "CALL_FAIL", ref, to, reason: e instanceof UnsendableValue ? e.message : reasonOf(e) });
  }
}

// ---- hooks set by other layers --------------------------------------------------------------------

export { registerSpawnOptions, spawnOptionsOf } from "./spawn-options.js";
